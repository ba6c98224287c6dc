import type { AnswerDeps } from '../answer/index.js';
import type { Engine } from '../engine/index.js';
import { verifiedAnswersFor, type VerifiedAnswersOptions } from './verified-answers.js';

/**
 * The curation part of answering, as the chat route does it: the center's verified answers
 * first, retrieval without expired, not-yet-valid and replaced documents, and the cited
 * documents' dates for the answer's validity note. `trogiang ask` answers through it.
 */
export function curatedAnswerDeps(
  engine: Engine,
  centerId: string,
  options: VerifiedAnswersOptions = {},
): Pick<AnswerDeps, 'retrieve' | 'verified' | 'validityOf'> {
  const curation = verifiedAnswersFor(engine, options);
  return {
    retrieve: async (query, retrieveOptions) => engine.retrieve(query, { ...retrieveOptions, exclude: await curation.excludedChunks() }),
    verified: (question, collections) => curation.match(centerId, question, collections),
    validityOf: (documentId) => curation.validity.get(documentId),
  };
}
