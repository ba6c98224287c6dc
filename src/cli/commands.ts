import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { answerQuestion, type AnswerEvent } from '../answer/index.js';
import { ConfigError, type Config } from '../config.js';
import {
  acquireDataFolderLock,
  checkConsistency,
  type DataFolderLock,
  collectFiles,
  Engine,
  type IngestFailureCode,
  type IngestItem,
  type IngestOutcome,
} from '../engine/index.js';
import { fileTooLarge } from '../ingest/index.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readBeirDataset, runBeir } from '../eval/index.js';
import type { RetrievalMode } from '../retrieve/index.js';
import { corpusIngestDue, defaultCenterId, markCorpusIngest, openSqliteStore, openStore } from '../store/index.js';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { curatedAnswerDeps } from '../verified/index.js';
import { progressBar } from './progress.js';
import { createEmbeddingsFromConfig } from '../embed/index.js';

/** Where command output goes (tests pass their own). */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Opens the data folder for one command, holding its lock until the engine is closed: a command
 * never writes beside the running service or another command (DataFolderInUse, exit code 3).
 */
export async function openEngine(config: Config, output: Output, command = 'trogiang', held?: DataFolderLock): Promise<Engine> {
  const { embeddings, embedderId, dimensions } = createEmbeddingsFromConfig(config);
  const lock = held ?? acquireDataFolderLock(config.dataDir, 'cli', command);
  try {
    const options = {
      dataDir: config.dataDir,
      ...(embeddings ? { embeddings, embedderId } : {}),
      ...(dimensions ? { dimensions } : {}),
      limits: config.limits,
      log: (m: string) => output.err(`trogiang: ${m}\n`),
      warn: (m: string) => output.err(`trogiang: warning: ${m}\n`),
      onClose: () => lock.release(),
    };
    // On PostgreSQL a command is one more replica of the shared store, with DATA_DIR as its index
    // cache: it catches up from the change log and writes through the store like any replica.
    if (config.databaseUrl)
      return await Engine.openReplica({
        ...options,
        store: await openStore(config),
        replicaId: `${command}:${hostname()}:${resolve(config.dataDir)}`,
      });
    return await Engine.open({ ...options, store: openSqliteStore(config.dataDir) });
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Prints the per-file result lines and the summary of an ingest run; returns the failure count. */
function reportIngest(outcomes: FileOutcome[], output: Output): number {
  let pages = 0;
  let chunks = 0;
  const counts = { added: 0, replaced: 0, unchanged: 0, failed: 0 };
  for (const o of outcomes) {
    counts[o.status]++;
    if (o.status === 'failed') {
      output.err(`  ✗ ${o.fileName}: ${o.code}: ${o.message}\n`);
    } else if (o.status !== 'unchanged') {
      pages += o.document.pages;
      chunks += o.document.chunkCount;
    }
  }
  output.out(
    `${outcomes.length} files: ${counts.added} added, ${counts.replaced} replaced, ${counts.unchanged} unchanged, ` +
      `${counts.failed} failed; ${pages} pages, ${chunks} chunks indexed\n`,
  );
  return counts.failed;
}

/** A path shown in a message with control characters escaped, so it cannot rewrite the terminal. */
function printable(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Why the command line could not read a file it was given (before the engine sees it). */
const readFailureCodes = ['not_found', 'not_a_file', 'unreadable'] as const;
type ReadFailureCode = (typeof readFailureCodes)[number];

/** One file's result on the command line: the engine's, or a file that could not be read. */
type FileOutcome = IngestOutcome | { status: 'failed'; fileName: string; code: ReadFailureCode; message: string; messageVi: string };

function failed(path: string, code: ReadFailureCode | IngestFailureCode, message: { en: string; vi: string }): FileOutcome {
  return { status: 'failed', fileName: printable(path), code, message: message.en, messageVi: message.vi };
}

/**
 * Reads one file to ingest, or says plainly why not. Checked before reading, because a read has
 * no limit of its own: `/dev/zero` never ends, and a multi-GB file is read whole into memory
 * before the loader could refuse it.
 */
function readForIngest(file: string, maxBytes: number): Uint8Array | FileOutcome {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) {
      return failed(file, 'not_a_file', {
        en: 'This is not a regular file (a device, pipe or socket), so it was not read.',
        vi: 'Đây không phải tệp thường (thiết bị, ống dẫn hoặc socket) nên không được đọc.',
      });
    }
    if (stat.size > maxBytes) {
      const error = fileTooLarge(stat.size, maxBytes);
      return failed(file, error.code, { en: error.message, vi: error.messageVi });
    }
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    // Names in a legacy encoding come back from readdir with U+FFFD and no longer lead to the file.
    if (file.includes('\uFFFD')) {
      return failed(file, 'unreadable', {
        en: 'The file cannot be opened: its name is not valid UTF-8 (an old code page). Rename it and try again.',
        vi: 'Không mở được tệp: tên tệp không dùng bảng mã UTF-8 (bảng mã cũ). Hãy đổi tên tệp rồi thử lại.',
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return failed(file, 'unreadable', {
        en: 'The file cannot be opened: permission denied.',
        vi: 'Không mở được tệp: không có quyền đọc.',
      });
    }
    return failed(file, 'unreadable', { en: `The file cannot be opened (${code}).`, vi: `Không mở được tệp (${code}).` });
  }
}

/**
 * Ingests files and folders. A path that does not exist, is not a regular file, is over the size
 * limit or cannot be read is reported with the loaders' failures (and counts as failed); it no
 * longer ends the run with a stack trace, or never ends it (`/dev/zero`).
 */
export async function ingestPaths(engine: Engine, paths: string[], collection: string, output: Output): Promise<number> {
  const outcomes: FileOutcome[] = [];
  const present: string[] = [];
  for (const path of paths) {
    if (existsSync(path)) present.push(path);
    else
      outcomes.push(
        failed(path, 'not_found', {
          en: `No such file or folder: ${printable(path)}.`,
          vi: `Không có tệp hoặc thư mục: ${printable(path)}.`,
        }),
      );
  }
  const items: IngestItem[] = [];
  for (const file of collectFiles(present)) {
    const read = readForIngest(file, engine.limits.maxBytes);
    if ('status' in read) outcomes.push(read);
    else items.push({ bytes: read, fileName: basename(file), collection });
  }
  const bar = progressBar();
  outcomes.push(...(await engine.ingest(items, (done, total, o) => bar.update(done, total, o.fileName))));
  bar.finish();
  return reportIngest(outcomes, output);
}

/** Ingests the sample corpus on a data folder's first run of `ask` or `search` (`corpusIngestDue`: not after every document was deleted). */
export async function ensureCorpus(engine: Engine, config: Config, output: Output): Promise<void> {
  if (!(await corpusIngestDue(engine.store))) return;
  output.err(`trogiang: first run, ingesting ${config.corpusDir} into ${config.dataDir}\n`);
  await markCorpusIngest(engine.store, 'ingesting');
  await ingestPaths(engine, [config.corpusDir], config.defaultCollection, { out: output.err, err: output.err });
  await markCorpusIngest(engine.store, 'done');
}

export function formatCitationLine(n: number, title: string, page: number | null, headingPath: string[]): string {
  const where = [page !== null ? `trang ${page}` : null, headingPath.at(-1) ?? null].filter(Boolean).join(' · ');
  return `[${n}] ${title}${where ? ` (${where})` : ''}`;
}

/** How `ask` marks an answer the center's teachers wrote (as the widget does). */
export const verifiedMark = "✓ Câu trả lời đã được giáo viên của trung tâm xác nhận / Confirmed by the center's teachers";

/**
 * Answers one question as the service does (`answerQuestion`): with the configured chat model
 * when the settings name one (falling back to the extractive answer on a failure), offline
 * otherwise. `chat` defaults to the model of `config`.
 */
export async function ask(
  engine: Engine,
  question: string,
  collection: string | undefined,
  output: Output,
  model: { chat: BaseChatModel | null; timeoutMs: number } = { chat: null, timeoutMs: 20_000 },
): Promise<void> {
  let done: Extract<AnswerEvent, { type: 'done' }> | undefined;
  const events = answerQuestion(
    { question, history: [], collections: collection ? [collection] : null },
    {
      // As the service answers a learner of the default center: verified answers first, no expired material.
      ...curatedAnswerDeps(engine, defaultCenterId),
      idf: engine.idf,
      chat: model.chat,
      timeoutMs: model.timeoutMs,
      onLlmError: (error, stage) =>
        output.err(`trogiang: the language model failed (${stage}: ${(error as Error)?.message ?? error}); answered from the documents\n`),
    },
  );
  for await (const event of events) {
    // A model that failed mid-answer: what was printed is void, the extractive answer follows.
    if (event.type === 'reset') output.out('\n---\n');
    if (event.type === 'delta') output.out(event.text);
    if (event.type === 'done') done = event;
  }
  output.out('\n');
  if (done?.mode === 'verified') output.out(`\n${verifiedMark}\n`);
  if (done && done.citations.length) {
    output.out('\nNguồn / Sources:\n');
    for (const c of done.citations) output.out(`${formatCitationLine(c.n, c.title, c.page, c.headingPath)} — ${c.documentId}\n`);
  }
}

export async function search(
  engine: Engine,
  query: string,
  k: number,
  collection: string | undefined,
  mode: RetrievalMode,
  output: Output,
): Promise<void> {
  const retrieval = await engine.retrieve(query, { k, mode, collections: collection ? [collection] : null });
  output.out(`answerability ${retrieval.answerability.toFixed(2)} (${retrieval.answerable ? 'answerable' : 'not covered'})\n`);
  retrieval.results.forEach((r, i) => {
    const c = r.chunk;
    output.out(
      `\n${formatCitationLine(i + 1, c.title, c.pageStart, c.headingPath)}  score ${r.score.toFixed(4)}` +
        `  bm25 ${r.bm25Score?.toFixed(2) ?? '-'}  cos ${r.vectorScore?.toFixed(3) ?? '-'}\n`,
    );
    output.out(
      `    matched: ${r.matchedTerms.join(', ')}\n    ${c.text.slice(0, 240).replace(/\n/g, ' ')}${c.text.length > 240 ? '…' : ''}\n`,
    );
  });
}

export async function listDocuments(engine: Engine, output: Output): Promise<void> {
  const docs = await engine.store.listDocuments();
  if (docs.length === 0) {
    output.out('no documents yet: run `npx trogiang ingest <files or folders>`\n');
    return;
  }
  for (const d of docs) {
    output.out(
      `${d.id}\t${d.collection}\t${d.format}\t${d.pages}p\t${d.chunkCount} chunks\t${(d.bytes / 1024).toFixed(0)} KB\t${d.title}\n`,
    );
  }
}

export async function evalBeir(dir: string, modes: RetrievalMode[], fold: boolean, config: Config, output: Output): Promise<void> {
  const dataset = readBeirDataset(dir);
  const { embeddings, embedderId, dimensions } = createEmbeddingsFromConfig(config);
  const results = await runBeir(dataset, modes, {
    fold,
    engine: { ...(embeddings ? { embeddings, embedderId } : {}), ...(dimensions ? { dimensions } : {}) },
    onProgress: (m) => output.err(`${m}\n`),
  });
  for (const r of results) output.out(`${JSON.stringify(r)}\n`);
}

/**
 * Opens the data folder (which replays the change log or rebuilds stale indexes), then verifies
 * that store and indexes agree. Opening checks every saved index file (sizes, checksums, the
 * graph's structure) before any of it reaches native code, and rebuilds from the store when one
 * fails, so `check` also works on damaged files.
 *
 * With `repair`, the saved indexes are never opened: the chunk counts are recounted in the
 * store, the index folder is removed and the indexes are rebuilt from the store, then checked.
 * (Before, repair opened the engine first, and a saved set that crashed hnswlib crashed repair.)
 */
export async function check(config: Config, repair: boolean, output: Output): Promise<number> {
  let result: Awaited<ReturnType<typeof checkConsistency>>;
  if (repair) {
    const lock = acquireDataFolderLock(config.dataDir, 'cli', 'check --repair');
    try {
      const store = openSqliteStore(config.dataDir);
      let fixed: number;
      try {
        fixed = await store.recountChunks();
      } finally {
        await store.close();
      }
      if (fixed) output.out(`chunk counts corrected on ${fixed} documents\n`);
      rmSync(join(config.dataDir, 'indexes'), { recursive: true, force: true });
      rmSync(join(config.dataDir, 'indexes-building'), { recursive: true, force: true });
    } catch (error) {
      lock.release();
      throw error;
    }
    const engine = await openEngine(config, output, 'check --repair', lock);
    try {
      result = await checkConsistency(engine);
    } finally {
      await engine.close();
    }
    output.out('indexes rebuilt from the store\n');
  } else {
    const engine = await openEngine(config, output, 'check');
    try {
      result = await checkConsistency(engine);
    } finally {
      await engine.close();
    }
  }
  for (const p of result.problems.slice(0, 20)) output.err(`  ✗ ${p}\n`);
  output.out(
    result.ok ? `ok: store and indexes agree on ${result.chunks} chunks\n` : `${result.problems.length} problems (run with --repair)\n`,
  );
  return result.ok ? 0 : 1;
}
