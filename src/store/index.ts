export type { ChunkChange, ChunkDelta, DocumentRecord, NewChunk, RemovedChunk, Store, StoredChunk } from './store-types.js';
export { SqliteStore } from './sqlite-store.js';
