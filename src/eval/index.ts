export { readBeirDataset, type BeirDataset } from './beir-dataset.js';
export { retrievalMetrics, ndcgAt, percentile, type RetrievalMetrics } from './retrieval-metrics.js';
export { runBeir, type BeirResult } from './run-beir.js';
