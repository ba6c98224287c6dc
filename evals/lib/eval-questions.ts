import type { BeirDataset } from '../../src/eval/index.js';
import { detectLanguage } from '../../src/text/index.js';
import type { EvalQuestion } from './eval-types.js';
import type { GoldenQuestion } from './golden-schema.js';

/**
 * A BEIR set's judged queries as questions: the qrels are the gold passages (by passage id, with
 * their grades), `answers.jsonl` (when present) gives the short answers for containment and F1
 * and whether the question is answerable. Then the unjudged queries `answers.jsonl` marks
 * unanswerable, with no gold passage, so refusals are measured on them. The language is guessed
 * from the text.
 */
export function beirQuestions(dataset: BeirDataset): EvalQuestion[] {
  return [...dataset.queries, ...dataset.unanswerableQueries].map((q) => {
    const a = dataset.answers.get(q.id);
    const qrels = dataset.qrels.get(q.id) ?? new Map<string, number>();
    return {
      id: q.id,
      question: q.text,
      lang: detectLanguage(q.text),
      type: 'beir',
      answerable: a?.answerable ?? true,
      gold: [...qrels].map(([doc, grade]) => ({ doc, grade })),
      reference: null,
      answers: a?.answers ?? [],
      keyphrases: [],
    };
  });
}

/** A golden line as the runner asks it. */
export function goldenToEval(q: GoldenQuestion): EvalQuestion {
  return {
    id: q.id,
    question: q.question,
    lang: q.lang,
    type: q.type,
    answerable: q.answerable,
    gold: q.gold,
    reference: q.reference,
    answers: q.answers,
    keyphrases: q.keyphrases,
    ...(q.followUpOf !== undefined ? { followUpOf: q.followUpOf } : {}),
    ...(q.variantOf !== undefined ? { variantOf: q.variantOf } : {}),
  };
}
