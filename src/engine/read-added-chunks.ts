import type { Store, StoredChunk } from '../store/index.js';

/** Chunks read per query when catching up (about 2 MB of 512-dimension vectors). */
export const addedChunksPage = 1000;

/**
 * The stored chunks (with their vectors) of the log's added `seqs`, by sequence number, read a
 * page at a time with `chunksAfter` across the span of the seqs: a few queries for thousands of
 * changes, not one per change. Writes of chunks are serialised and sequence numbers grow with
 * generations, so the chunks inside the span are the batch's own adds (a chunk removed since is
 * simply absent, and its removal follows in the log); any other one found there is skipped.
 */
export async function readAddedChunks(store: Store, seqs: readonly number[], page = addedChunksPage): Promise<Map<number, StoredChunk>> {
  const found = new Map<number, StoredChunk>();
  if (seqs.length === 0) return found;
  const wanted = new Set(seqs);
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const seq of seqs) {
    if (seq < low) low = seq;
    if (seq > high) high = seq;
  }
  for (let after = low - 1; after < high; ) {
    const chunks = await store.chunksAfter(after, page);
    for (const chunk of chunks) if (chunk.seq <= high && wanted.has(chunk.seq)) found.set(chunk.seq, chunk);
    if (chunks.length < page) break;
    after = chunks[chunks.length - 1]!.seq;
  }
  return found;
}
