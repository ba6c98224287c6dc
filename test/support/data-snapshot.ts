import { collectChunks } from './collect-chunks.js';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Engine } from '../../src/engine/index.js';
import { storeAndIndexesAgree } from './consistency.js';

/** Everything a failed write must leave exactly as it was: documents, chunks, indexes, their files, answers to searches. */
export interface DataSnapshot {
  documents: Array<{ id: string; contentHash: string; chunkCount: number; updatedAt: string }>;
  chunks: Array<{ seq: number; documentId: string; ordinal: number; text: string }>;
  generation: number;
  bm25Size: number;
  vectorsSize: number;
  agreement: { ok: boolean; problems: string[] };
  /** Files under the data folder's `indexes/`, with sizes. */
  indexFiles: string[];
  searches: Record<string, string[]>;
}

function listFiles(root: string, dir = root): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .flatMap((name) => {
      const path = join(dir, name);
      const stat = statSync(path);
      return stat.isDirectory() ? listFiles(root, path) : [`${relative(root, path)} ${stat.size}`];
    })
    .sort();
}

/** Reads the state of an open engine and its data folder (`queries` are searched, top chunk ids kept). */
export async function snapshotData(engine: Engine, dataDir: string, queries: readonly string[]): Promise<DataSnapshot> {
  const searches: Record<string, string[]> = {};
  for (const q of queries) searches[q] = (await engine.retrieve(q)).results.map((r) => r.chunk.id);
  return {
    documents: (await engine.store.listDocuments()).map((d) => ({
      id: d.id,
      contentHash: d.contentHash,
      chunkCount: d.chunkCount,
      updatedAt: d.updatedAt,
    })),
    chunks: (await collectChunks(engine.store)).map((c) => ({ seq: c.seq, documentId: c.documentId, ordinal: c.ordinal, text: c.text })),
    generation: await engine.store.generation(),
    bm25Size: engine.bm25.size,
    vectorsSize: engine.vectors.size,
    agreement: await storeAndIndexesAgree(engine),
    indexFiles: listFiles(join(dataDir, 'indexes')),
    searches,
  };
}
