/** How a set of answers handled the questions the materials do and do not cover. */
export interface RefusalMetrics {
  /** Of the questions declined, the share the materials really do not cover (null: none declined). */
  precision: number | null;
  /** Of the questions the materials do not cover, the share declined (null: there are none). */
  recall: number | null;
  /** Of the questions the materials cover, the share declined (null: there are none). */
  falseRefusalRate: number | null;
  /** Of the questions the materials cover, the share answered: 1 − false-refusal rate. */
  answerRate: number | null;
}

/**
 * Refusal precision and recall, with "declined" as the positive class and the unanswerable
 * questions as the truth, plus the false-refusal rate on answerable questions.
 * @example refusalMetrics([{ answerable: false, declined: true }, { answerable: true, declined: true }])
 *   // { precision: 0.5, recall: 1, falseRefusalRate: 1, answerRate: 0 }
 */
export function refusalMetrics(outcomes: ReadonlyArray<{ answerable: boolean; declined: boolean }>): RefusalMetrics {
  const declined = outcomes.filter((o) => o.declined);
  const unanswerable = outcomes.filter((o) => !o.answerable);
  const answerable = outcomes.filter((o) => o.answerable);
  const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
  return {
    precision: ratio(declined.filter((o) => !o.answerable).length, declined.length),
    recall: ratio(unanswerable.filter((o) => o.declined).length, unanswerable.length),
    falseRefusalRate: ratio(answerable.filter((o) => o.declined).length, answerable.length),
    answerRate: ratio(answerable.filter((o) => !o.declined).length, answerable.length),
  };
}
