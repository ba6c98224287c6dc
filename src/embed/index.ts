export { LocalEmbeddings, type LocalEmbeddingsOptions } from './local-embeddings.js';
export { FeatureStats } from './feature-stats.js';
export { extractFeatures, defaultFeatureWeights, type FeatureWeights } from './extract-features.js';
export { hashString } from './hash-string.js';
export { featureListOf, featuresAt, featureListBuffers, type FeatureList } from './feature-list.js';
export { createEmbeddingsFromConfig } from './embeddings-from-config.js';
export { createEmbedder, type Embedder, type EmbeddedDocument, type SliceRunner } from './embedder.js';
export { LocalEmbedder } from './local-embedder.js';
export { RemoteEmbedder } from './remote-embedder.js';
