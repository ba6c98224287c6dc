import { englishStopwords, foldDiacritics, normalizeToneMarks, questionTokenMask, questionWords, type Token } from '../text/index.js';


/** The query's content words (folded), for coverage. */
export function contentTerms(tokens: readonly Token[]): string[] {
  const words = tokens.filter((t) => !t.extra);
  const asks = questionTokenMask(words.map((t) => t.folded));
  return [...new Set(words.filter((_, i) => !asks[i]).map((t) => t.folded))];
}


/**
 * The words answerability weighs: the content terms without English function words ("the",
 * "of", "is"…), which every English passage holds. A question made only of such words and
 * question words has none, and is declined.
 */
export function answerabilityTerms(tokens: readonly Token[]): string[] {
  return contentTerms(tokens).filter((t) => !englishStopwords.has(t));
}

/**
 * The question's salient words: names, places and subjects written with a capital inside the
 * question ("Pháp", "Mỹ", "Paris", "EA", "Accounts Office") and long numbers (a year such as
 * 1789). A question is about them: materials that lack them, or hold them only far from the
 * question's other words, do not cover it even when the common words match ("Thủ đô của Pháp
 * là gì?" against a history lesson full of "Pháp" and "thủ đô"). Folded, in question order.
 */
export function salientTerms(query: string): string[] {
  const words = query.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const folded = words.map((w) => foldDiacritics(normalizeToneMarks(w).toLowerCase()));
  const asks = questionTokenMask(folded);
  const out = new Set<string>();
  words.forEach((w, i) => {
    // The first word is capitalised as the start of the sentence, not as a name. A capitalised
    // word is a name even when its folded form asks ("Mỹ" is not "my").
    const named = i > 0 && /^\p{Lu}/u.test(w) && !questionWords.has(normalizeToneMarks(w).toLowerCase());
    if ((asks[i] && !named) || englishStopwords.has(folded[i]!)) return;
    const year = /^\d{4}$/.test(w);
    if (named || year) out.add(folded[i]!);
  });
  return [...out];
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
  /**
   * Answerability kept when a salient word of the question is missing from the top passages or
   * stands farther than `salientDistance` tokens from every other word of the question.
   */
  salientFactor: number;
  salientDistance: number;
}

/** Threshold 0.40 from `npx tsx evals/calibrate-answerability.ts` and the golden sets (README, "Answerability"). */
export const defaultAnswerability: AnswerabilitySettings = { coverageWeight: 0.7, threshold: 0.4, window: 24, salientFactor: 0.5, salientDistance: 3 };

/** Combines the best passage's term coverage and vector similarity into one 0-1 score. */
export function answerabilityScore(coverage: number, similarity: number, settings: AnswerabilitySettings): number {
  const sim = Math.max(0, Math.min(1, similarity));
  return settings.coverageWeight * coverage + (1 - settings.coverageWeight) * sim;
}
