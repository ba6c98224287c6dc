import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { collectFiles, Engine, type EngineOptions, type IngestItem } from '../../src/engine/index.js';
import type { BeirDataset } from '../../src/eval/index.js';
import type { ChunkLocation } from './gold-match.js';
import { allChunks, openSqliteStore } from '../../src/store/index.js';

/** What the metrics need to know about a chunk. */
export interface ChunkInfo extends ChunkLocation {
  title: string;
  text: string;
}

/** An engine over a temporary data folder, with its chunks looked up by id. */
export interface CorpusView {
  readonly name: string;
  engine: Engine;
  documents: number;
  chunks: number;
  ingestMs: number;
  chunk(chunkId: string): ChunkInfo | undefined;
  /** Every chunk (for checking that gold passages exist). */
  allChunks(): IterableIterator<ChunkInfo>;
  close(): void;
}

async function openView(
  name: string,
  items: IngestItem[],
  engineOptions: Partial<EngineOptions>,
  docName: (fileName: string) => string,
): Promise<CorpusView> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-eval-'));
  try {
    const started = performance.now();
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, ...engineOptions });
    const outcomes = await engine.ingest(items);
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length) throw new Error(`could not ingest ${failed.map((f) => `${f.fileName} (${'code' in f ? f.code : ''})`).join(', ')}`);
    const ingestMs = performance.now() - started;
    const fileOf = new Map((await engine.store.listDocuments()).map((d) => [d.id, docName(d.fileName)]));
    const chunks = new Map<string, ChunkInfo>();
    for await (const c of allChunks(engine.store)) {
      chunks.set(c.id, {
        doc: fileOf.get(c.documentId) ?? c.documentId,
        pageStart: c.pageStart,
        pageEnd: c.pageEnd,
        headingPath: c.headingPath,
        title: c.title,
        text: c.text,
      });
    }
    return {
      name,
      engine,
      documents: fileOf.size,
      chunks: chunks.size,
      ingestMs,
      chunk: (id) => chunks.get(id),
      allChunks: () => chunks.values(),
      async close() {
        await engine.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Ingests a folder the way `trogiang ingest` does (same file walk, same loaders, one collection)
 * into a temporary data folder. Chunks are named by their file name, as gold passages are.
 */
export async function openCorpus(
  name: string,
  dir: string,
  collection: string,
  engineOptions: Partial<EngineOptions> = {},
): Promise<CorpusView> {
  const files = collectFiles([dir]);
  if (files.length === 0) throw new Error(`no document to ingest in ${dir}`);
  const items = files.map((file) => ({ bytes: readFileSync(file), fileName: basename(file), collection }));
  return openView(name, items, engineOptions, (f) => f);
}

/** Ingests a BEIR set's passages as `runBeir` does (one document per passage, named by its id). */
export async function openBeirCorpus(dataset: BeirDataset, engineOptions: Partial<EngineOptions> = {}): Promise<CorpusView> {
  const items: IngestItem[] = dataset.passages.map((p) => ({
    bytes: Buffer.from(`${p.title}\n${p.text}`),
    fileName: p.id,
    collection: 'beir',
    loaded: { format: 'text', title: p.title, pages: 1, blocks: [{ kind: 'paragraph', text: p.text }] },
  }));
  return openView(dataset.name, items, engineOptions, (f) => f);
}
