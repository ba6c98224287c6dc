export { fuseConvex, fuseScores, defaultRrfK, type RankedList, type ScoredList } from './fuse-scores.js';
export { removeNearDuplicates } from './near-duplicates.js';
export {
  containsTerm,
  foldedTermsOf,
  joinFoldedTerms,
  splitFoldedTerms,
  passageTermsOf,
  passageTermsOfStored,
  termIndex,
  termOverlap,
  TermDictionary,
  type PassageTerms,
} from './passage-terms.js';
export { namePhrases } from './name-phrases.js';
export { possessivePhrases, type PossessivePhrase } from './possessive-phrases.js';
export { placeNames, placeOwners } from './place-names.js';
export { phraseOccursNear, queryTermWeights, windowCoverage, type QueryTermWeights } from './proximity.js';
export {
  answerabilityScore,
  answerabilityTerms,
  contentTerms,
  salientTerms,
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
