import { bestTokenF1, containment, keyPhraseRecall, tokenF1 } from './answer-metrics.js';
import { citationPrecision, citationRecall } from './citation-metrics.js';
import { retrievalAgainstGold, type ChunkLocation } from './gold-match.js';
import { groundingScore } from './grounding.js';
import type { EvalQuestion, QuestionScores } from './eval-types.js';

export interface AnsweredQuestion {
  /** Chunks retrieved for the (rewritten) question, in rank order, at least 10 when there are. */
  retrieved: readonly ChunkLocation[];
  answer: string;
  declined: boolean;
  /** The chunks the answer cites, each once. */
  cited: readonly ChunkLocation[];
  /** Full text of source `n` of the answer. */
  sourceText: (n: number) => string | undefined;
}

/**
 * Every per-question metric (definitions in evals/README.md):
 * - retrieval metrics on questions with gold passages;
 * - containment, token F1 and key-phrase recall on answerable questions (a declined answerable
 *   question scores 0);
 * - citation precision and recall on answerable questions that were answered;
 * - grounding on every answered question.
 */
export function scoreQuestion(q: EvalQuestion, a: AnsweredQuestion): QuestionScores {
  const r = q.gold.length > 0 ? retrievalAgainstGold(a.retrieved, q.gold) : null;
  const answered = !a.declined;
  const judgeAnswer = q.answerable;
  const references = q.reference !== null && q.reference !== '' ? [q.reference] : q.answers;
  return {
    hit1: r?.hit1 ?? null,
    hit5: r?.hit5 ?? null,
    mrr10: r?.mrr10 ?? null,
    ndcg10: r?.ndcg10 ?? null,
    recall10: r?.recall10 ?? null,
    containment: judgeAnswer && q.answers.length > 0 ? (answered ? containment(a.answer, q.answers) : 0) : null,
    tokenF1:
      judgeAnswer && references.length > 0
        ? answered
          ? references.length === 1
            ? tokenF1(a.answer, references[0]!, q.lang)
            : bestTokenF1(a.answer, references, q.lang)
          : 0
        : null,
    keyphraseRecall: judgeAnswer && q.keyphrases.length > 0 ? (answered ? keyPhraseRecall(a.answer, q.keyphrases) : 0) : null,
    citationPrecision: judgeAnswer && answered && q.gold.length > 0 ? citationPrecision(a.cited, q.gold) : null,
    citationRecall: judgeAnswer && answered && q.gold.length > 0 ? citationRecall(a.cited, q.gold) : null,
    grounding: answered ? groundingScore(a.answer, a.sourceText) : null,
  };
}
