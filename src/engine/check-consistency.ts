import { allChunks, type Store } from '../store/index.js';
import type { Engine } from './engine.js';

/**
 * Checks that the store and both indexes hold exactly the same chunks, and that every document's
 * chunk count is right: the invariant a crash must never break. Returns the problems found.
 */
export async function checkConsistency(engine: Engine<Store>): Promise<{ ok: boolean; chunks: number; problems: string[] }> {
  const problems: string[] = [];
  const seqs = new Set<number>();
  for await (const chunk of allChunks(engine.store)) {
    seqs.add(chunk.seq);
    if (!engine.bm25.has(chunk.seq)) problems.push(`chunk ${chunk.seq} missing from BM25`);
    if (!engine.vectors.has(chunk.seq)) problems.push(`chunk ${chunk.seq} missing from vectors`);
  }
  if (engine.bm25.size !== seqs.size) problems.push(`BM25 has ${engine.bm25.size} chunks, the store ${seqs.size}`);
  if (engine.vectors.size !== seqs.size) problems.push(`vectors have ${engine.vectors.size} chunks, the store ${seqs.size}`);
  for (const doc of await engine.store.listDocuments()) {
    const n = (await engine.store.chunksOfDocument(doc.id)).length;
    if (n !== doc.chunkCount) problems.push(`document ${doc.id} says ${doc.chunkCount} chunks, has ${n}`);
  }
  return { ok: problems.length === 0, chunks: seqs.size, problems };
}
