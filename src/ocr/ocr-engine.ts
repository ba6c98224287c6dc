import { copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Scheduler } from 'tesseract.js';

const require = createRequire(import.meta.url);

/** Settings of the OCR engine. Defaults in `defaultOcrEngineOptions`. */
export interface OcrEngineOptions {
  /** Tesseract language codes, in order of preference; each needs its `@tesseract.js-data/<code>` package. */
  languages: readonly string[];
  /** Tesseract workers (threads), so at most this many pages are read at once. */
  workers: number;
  /** An idle engine is stopped after this long (each worker holds a model and a WASM heap); the next page starts it again (about 1.5 s here). */
  idleMs: number;
  /** A page taking longer than this is given up (a wedged worker must not hang an upload for ever). */
  pageTimeoutMs: number;
}

/**
 * Vietnamese then English; one worker per core up to 2 (tesseract.js runs each on its own
 * thread, so the service's thread keeps answering, sharing the cores while a scan is read);
 * idle after 60 s; a page given up after 3 minutes (a page takes 4-5 s of CPU, and was seen
 * taking up to 46 s of wall clock at this machine's worst load).
 */
export const defaultOcrEngineOptions: OcrEngineOptions = {
  languages: ['vie', 'eng'],
  workers: Math.max(1, Math.min(2, availableParallelism())),
  idleMs: 60_000,
  pageTimeoutMs: 180_000,
};

/** What Tesseract read from one image: text in reading order (lines end in "\n") and its mean word confidence (0-100). */
export interface RecognizedText {
  text: string;
  confidence: number;
}

/**
 * The folder of a traineddata package's `4.0.0_best_int` model (the integer LSTM model, the one
 * tesseract.js itself uses for LSTM-only recognition; 1.4 MB for vie, 2.9 MB for eng). Resolved in
 * node_modules, so nothing is fetched.
 */
export function languageDataDir(language: string): string {
  return join(dirname(require.resolve(`@tesseract.js-data/${language}/package.json`)), '4.0.0_best_int');
}

/**
 * One folder holding each language's `<code>.traineddata.gz` (tesseract.js takes a single
 * `langPath`, and each language ships in its own package): the files are copied into `dir` once
 * (4.3 MB for vie + eng), again only if their size changed. Returns `dir`.
 */
function gatherLanguageData(languages: readonly string[], dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const code of languages) {
    const from = join(languageDataDir(code), `${code}.traineddata.gz`);
    const to = join(dir, `${code}.traineddata.gz`);
    const size = statSync(from).size;
    if (!existsSync(to) || statSync(to).size !== size) {
      // Copied under a temporary name and renamed: two processes starting at once never read half a file.
      const part = `${to}.${process.pid}.part`;
      copyFileSync(from, part);
      renameSync(part, to);
    }
  }
  return dir;
}

/**
 * The one owner of the Tesseract workers of a process: a scheduler with `workers` workers,
 * created on the first page, stopped when idle and on `close`. Offline by construction: the
 * worker script and the WASM core are loaded from node_modules by tesseract.js in Node
 * (`workerPath` is its own file, `corePath` unused there), the language data is read from the
 * `@tesseract.js-data/*` packages (`langPath` a local folder, `gzip: true`), and the cache is
 * off (`cacheMethod: 'none'`, `cachePath` a temp folder in case a version writes anyway).
 */
export class OcrEngine {
  private scheduler: Promise<Scheduler> | null = null;
  private inFlight = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  readonly options: OcrEngineOptions;

  constructor(options: Partial<OcrEngineOptions> = {}) {
    this.options = { ...defaultOcrEngineOptions, ...options };
  }

  /** Reads one PNG or JPEG image. Pages queue when all workers are busy. */
  async recognize(image: Uint8Array): Promise<RecognizedText> {
    this.inFlight++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    try {
      const scheduler = await this.start();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`OCR of one page took over ${this.options.pageTimeoutMs} ms`)),
          this.options.pageTimeoutMs,
        );
      });
      try {
        const result = await Promise.race([
          scheduler.addJob('recognize', Buffer.from(image.buffer, image.byteOffset, image.byteLength)),
          timeout,
        ]);
        return { text: result.data.text, confidence: result.data.confidence };
      } catch (error) {
        // A timed-out or failed worker may be wedged: start afresh on the next page.
        void this.stop();
        throw error;
      } finally {
        clearTimeout(timer);
      }
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.scheduler) this.armIdleTimer();
    }
  }

  /** Stops the workers; pages in flight fail. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.stop();
  }

  /** Whether workers are running (for tests and the admin page). */
  get running(): boolean {
    return this.scheduler !== null;
  }

  private armIdleTimer(): void {
    this.idleTimer = setTimeout(() => {
      if (this.inFlight === 0) void this.stop();
    }, this.options.idleMs);
    this.idleTimer.unref();
  }

  private async stop(): Promise<void> {
    const scheduler = this.scheduler;
    this.scheduler = null;
    if (scheduler) await scheduler.then((s) => s.terminate()).catch(() => undefined);
  }

  private start(): Promise<Scheduler> {
    this.scheduler ??= this.createScheduler();
    const scheduler = this.scheduler;
    scheduler.catch(() => {
      if (this.scheduler === scheduler) this.scheduler = null;
    });
    return scheduler;
  }

  private async createScheduler(): Promise<Scheduler> {
    // Loaded on the first page: tesseract.js and its WASM are not needed by anything else.
    const { createScheduler, createWorker, OEM } = await import('tesseract.js');
    const cachePath = join(tmpdir(), 'trogiang-ocr-cache');
    mkdirSync(cachePath, { recursive: true });
    const langPath = gatherLanguageData(this.options.languages, join(cachePath, 'lang'));
    const scheduler = createScheduler();
    try {
      const workers = await Promise.all(
        Array.from({ length: this.options.workers }, () =>
          createWorker([...this.options.languages], OEM.LSTM_ONLY, {
            langPath,
            gzip: true,
            cacheMethod: 'none',
            cachePath,
            logger: () => undefined,
            errorHandler: () => undefined,
          }),
        ),
      );
      for (const worker of workers) scheduler.addWorker(worker);
      return scheduler;
    } catch (error) {
      await scheduler.terminate().catch(() => undefined);
      throw error;
    }
  }
}
