import { allChunks, type Store, type StoredChunk } from '../../src/store/index.js';

/** Every stored chunk in sequence order, in one array (small test stores only). */
export async function collectChunks(store: Store): Promise<StoredChunk[]> {
  const chunks: StoredChunk[] = [];
  for await (const chunk of allChunks(store)) chunks.push(chunk);
  return chunks;
}
