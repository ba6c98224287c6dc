export { chunkDocument, type ChunkSource } from './chunk-document.js';
export { defaultChunkerSettings, type Chunk, type ChunkerSettings } from './chunk-types.js';
