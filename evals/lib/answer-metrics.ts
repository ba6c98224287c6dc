import { answerTokens, containsPhrase } from './normalize-answer.js';

/** 1 when the answer contains one of the gold answers (normalised, whole tokens), else 0. */
export function containment(answer: string, goldAnswers: readonly string[]): number {
  return goldAnswers.some((g) => containsPhrase(answer, g)) ? 1 : 0;
}

/**
 * Token F1 of the answer against one reference, on the tokens of {@link answerTokens}
 * (syllables in Vietnamese): precision = common / answer tokens, recall = common / reference
 * tokens, common counted with multiplicity. 0 when either side is empty.
 * @example tokenF1('học phí 350.000 đồng', 'học phí là 350.000 đồng mỗi tháng', 'vi') // 2·1·(4/7)/(1+4/7) = 8/11
 */
export function tokenF1(answer: string, reference: string, lang: 'vi' | 'en'): number {
  const a = answerTokens(answer, lang);
  const r = answerTokens(reference, lang);
  if (a.length === 0 || r.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of a) {
    const left = counts.get(t) ?? 0;
    if (left > 0) {
      common++;
      counts.set(t, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / a.length;
  const recall = common / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The best token F1 over several references (SQuAD convention); 0 without references. */
export function bestTokenF1(answer: string, references: readonly string[], lang: 'vi' | 'en'): number {
  return references.reduce((best, r) => Math.max(best, tokenF1(answer, r, lang)), 0);
}

/** Share of the key phrases the answer contains (normalised, whole tokens); null without key phrases. */
export function keyPhraseRecall(answer: string, keyphrases: readonly string[]): number | null {
  if (keyphrases.length === 0) return null;
  return keyphrases.filter((k) => containsPhrase(answer, k)).length / keyphrases.length;
}
