export { fuseConvex, fuseScores, defaultRrfK, type RankedList, type ScoredList } from './fuse-scores.js';
export { removeNearDuplicates } from './near-duplicates.js';
export {
  answerabilityScore,
  contentTerms,
  defaultAnswerability,
  type AnswerabilitySettings,
} from './answerability.js';
export {
  Retriever,
  defaultRetrieverSettings,
  type Retrieval,
  type RetrievalMode,
  type RetrievedChunk,
  type RetrieveOptions,
  type RetrieverDeps,
  type RetrieverSettings,
} from './retriever.js';
