export { Bm25Index, defaultBm25Params, type Bm25Hit, type Bm25Params } from './bm25-index.js';
export { VectorIndex, defaultHnswSettings, type HnswSettings, type VectorHit } from './vector-index.js';
export { analyzeQuery, analyzeFields, exactPrefix, tokenizeFields, type FieldTokens, type IndexedFields } from './analyze-fields.js';
export { topKOf, type Scored } from './top-k.js';
export { fsyncDirectory, fsyncFile, writeFileAtomic } from './atomic-write.js';
export { indexFormatVersion, manifestMismatch, type IndexManifest, type IndexSettings } from './manifest.js';
export {
  bm25Fields,
  embeddingText,
  loadIndexes,
  saveIndexes,
  verifyIndexSet,
  type IndexableChunk,
  type LoadedIndexes,
  type LoadResult,
} from './search-indexes.js';
export { digestFile, InvalidIndexFile, validateHnswFile, type FileDigest } from './validate-index-files.js';
