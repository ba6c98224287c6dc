import { questionTokenMask, type Token } from '../text/index.js';


/** The query's content words (folded), for coverage. */
export function contentTerms(tokens: readonly Token[]): string[] {
  const words = tokens.filter((t) => !t.extra);
  const asks = questionTokenMask(words.map((t) => t.folded));
  return [...new Set(words.filter((_, i) => !asks[i]).map((t) => t.folded))];
}


/** How the answerability score is made, and the threshold under which trogiang declines. */
export interface AnswerabilitySettings {
  /** Weight of term coverage; the rest goes to the best vector similarity. */
  coverageWeight: number;
  /** Below it, trogiang declines. Calibrated by evals/calibrate-answerability.ts on the shared sets. */
  threshold: number;
  /**
   * Coverage is measured inside the best window of this many tokens of a passage: the words of a
   * question the materials answer stand close together; those of a near-miss ("học phí ở trung
   * tâm quận 3") are scattered over the passage.
   */
  window: number;
}

/** Threshold 0.40 from `npx tsx evals/calibrate-answerability.ts` and the golden sets (README, "Answerability"). */
export const defaultAnswerability: AnswerabilitySettings = { coverageWeight: 0.7, threshold: 0.4, window: 24 };

/** Combines the best passage's term coverage and vector similarity into one 0-1 score. */
export function answerabilityScore(coverage: number, similarity: number, settings: AnswerabilitySettings): number {
  const sim = Math.max(0, Math.min(1, similarity));
  return settings.coverageWeight * coverage + (1 - settings.coverageWeight) * sim;
}
