export { fuseConvex, fuseScores, defaultRrfK, type RankedList, type ScoredList } from './fuse-scores.js';
export { removeNearDuplicates, type TermSet } from './near-duplicates.js';
export { termPositionsOf, windowCoverage, type TermPositions } from './proximity.js';
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
