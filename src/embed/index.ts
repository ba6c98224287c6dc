export { LocalEmbeddings, type LocalEmbeddingsOptions } from './local-embeddings.js';
export { FeatureStats } from './feature-stats.js';
export { extractFeatures, defaultFeatureWeights, type FeatureWeights } from './extract-features.js';
export { hashString } from './hash-string.js';
export { featureListOf, featuresAt, featureListBuffers, type FeatureList } from './feature-list.js';
export { createEmbeddingsFromConfig } from './embeddings-from-config.js';
