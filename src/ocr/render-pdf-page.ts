import { Worker } from 'node:worker_threads';

export type RenderRequest = { id: number; page: number; dpi: number; maxPixels: number };
export type RenderReply =
  | { id: number; ok: true; png: Uint8Array; width: number; height: number }
  | { id: number; ok: false; message: string; name: string };

/** One rendered page: a PNG and its size in pixels. */
export interface RenderedPage {
  png: Uint8Array;
  width: number;
  height: number;
}

/** How pages are drawn for OCR. */
export interface RenderOptions {
  /** Resolution, in dots per inch of the page's own size. 300 is what Tesseract is tuned for. */
  dpi: number;
  /** Largest image drawn; a larger page is drawn at a lower resolution to fit. */
  maxPixels: number;
}

const boot = new URL('../indexes/ts-worker-boot.mjs', import.meta.url);
const entry = new URL('./render-pdf-worker.ts', import.meta.url).href;

/**
 * Draws the pages of one PDF to PNG images on a worker thread (pdf.js + @napi-rs/canvas), so a
 * scanned upload does not stop the service from answering while it is drawn. One worker per
 * document, pages drawn in the order asked; `close` stops it. The worker's JavaScript heap is
 * capped, so a PDF built to exhaust memory ends that worker, not the process.
 */
export class PdfPageRenderer {
  private readonly worker: Worker;
  private nextId = 1;
  private failure: Error | null = null;
  private readonly pending = new Map<number, { resolve: (page: RenderedPage) => void; reject: (error: Error) => void }>();

  constructor(bytes: Uint8Array) {
    // No inherited Node flags (as in background-vector-build.ts); the bytes are copied, the caller keeps its own.
    this.worker = new Worker(boot, {
      workerData: { entry, bytes: bytes.slice() },
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    this.worker.on('message', (reply: RenderReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve({ png: reply.png, width: reply.width, height: reply.height });
      else waiting.reject(Object.assign(new Error(reply.message), { name: reply.name }));
    });
    this.worker.on('error', (error) => this.failAll(new Error(`the page renderer failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.failAll(new Error(`the page renderer exited (code ${code})`)));
  }

  /** Draws page `page` (1-based). */
  render(page: number, options: RenderOptions): Promise<RenderedPage> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<RenderedPage>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, page, dpi: options.dpi, maxPixels: options.maxPixels } satisfies RenderRequest);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the page renderer was closed');
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
