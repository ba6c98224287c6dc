export { fuseConvex, fuseScores, defaultRrfK, type RankedList, type ScoredList } from './fuse-scores.js';
export { removeNearDuplicates, termSet } from './near-duplicates.js';
export {
  answerabilityScore,
  contentTerms,
  defaultAnswerability,
  termCoverage,
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
