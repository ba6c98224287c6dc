import { describe, expect, it } from 'vitest';
import { refusalMetrics } from '../../evals/lib/refusal-metrics.js';

const outcome = (answerable: boolean, declined: boolean) => ({ answerable, declined });

describe('refusalMetrics', () => {
  it('computes precision and recall of declining, and the false-refusal rate', () => {
    // 4 unanswerable (3 declined), 6 answerable (1 declined)
    const outcomes = [
      ...[true, true, true, false].map((d) => outcome(false, d)),
      ...[true, false, false, false, false, false].map((d) => outcome(true, d)),
    ];
    const m = refusalMetrics(outcomes);
    expect(m.precision).toBe(0.75); // 3 of 4 declined were unanswerable
    expect(m.recall).toBe(0.75); // 3 of 4 unanswerable declined
    expect(m.falseRefusalRate).toBeCloseTo(1 / 6, 10);
    expect(m.answerRate).toBeCloseTo(5 / 6, 10);
  });

  it('is null where there is nothing to divide by', () => {
    expect(refusalMetrics([outcome(true, false)])).toEqual({ precision: null, recall: null, falseRefusalRate: 0, answerRate: 1 });
    expect(refusalMetrics([])).toEqual({ precision: null, recall: null, falseRefusalRate: null, answerRate: null });
  });
});
