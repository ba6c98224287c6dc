import type { Engine } from '../engine/index.js';
import { answerForm } from './answer-form.js';

/**
 * The retrieval check with the real retriever: the blanked sentence, asked as a query within its
 * collection, must bring back a passage of its document holding the sentence among the top 3.
 * An item that fails it is one the materials do not pin down: the learner could not find it either.
 */
export function retrievesSentence(engine: Engine, collection: string) {
  return async (query: string, documentId: string, sentence: string): Promise<boolean> => {
    const retrieval = await engine.retrieve(query, { k: 3, collections: [collection] });
    const form = answerForm(sentence);
    return retrieval.results.slice(0, 3).some((r) => r.chunk.documentId === documentId && answerForm(r.chunk.text).includes(form));
  };
}
