import { describe, expect, it } from 'vitest';
import { checkBaseline, defaultTolerance, describeCheck, makeBaseline, type Baseline } from '../../evals/lib/baseline-gate.js';
import type { ResultLine } from '../../evals/lib/result-line.js';

function line(patch: Partial<ResultLine> = {}): ResultLine {
  return {
    dataset: 'golden',
    mode: 'hybrid',
    answerer: 'extractive',
    questions: 200,
    answerable: 170,
    unanswerable: 30,
    hit1: 0.8,
    hit5: 0.95,
    mrr10: 0.85,
    ndcg10: 0.8,
    recall10: 0.8,
    containment: 0.8,
    token_f1: 0.4,
    keyphrase_recall: 0.8,
    citation_precision: 0.86,
    citation_recall: 0.7,
    grounding: 1,
    refusal_precision: 0.8,
    refusal_recall: 0.8,
    false_refusal_rate: 0.05,
    answer_rate: 0.95,
    hit5_diacritics: 1,
    hit5_no_diacritics: 0.97,
    diacritics_gap: 0.03,
    fallbacks: 0,
    p50_ms: 2,
    p95_ms: 6,
    judge_faithfulness: null,
    judge_relevance: null,
    ...patch,
  };
}

const baseline: Baseline = {
  version: 1,
  dataset: 'golden',
  configs: {
    'hybrid/extractive': {
      hit5: { value: 0.95, tolerance: 0.02 },
      false_refusal_rate: { value: 0.05, tolerance: 0.02, direction: 'lower' },
      p95_ms: { value: 6, tolerance: 100, direction: 'lower' },
    },
  },
};

describe('checkBaseline', () => {
  it('passes when every metric is within its tolerance', () => {
    const result = checkBaseline(baseline, [line({ hit5: 0.935, false_refusal_rate: 0.065, p95_ms: 90 })]);
    expect(result).toEqual({ ok: true, checked: 3, regressions: [], missingConfigs: [] });
  });

  it('fails when a metric drops more than its tolerance below the baseline', () => {
    const result = checkBaseline(baseline, [line({ hit5: 0.92 })]);
    expect(result.ok).toBe(false);
    expect(result.regressions).toEqual([
      { config: 'hybrid/extractive', metric: 'hit5', baseline: 0.95, tolerance: 0.02, current: 0.92, direction: 'higher' },
    ]);
    expect(describeCheck(result, 'golden')).toEqual(['REGRESSION golden hybrid/extractive hit5: 0.92 < 0.95 − 0.02']);
  });

  it('fails when a lower-is-better metric rises beyond its tolerance, and passes when it improves', () => {
    expect(checkBaseline(baseline, [line({ false_refusal_rate: 0.08 })]).regressions.map((r) => r.metric)).toEqual(['false_refusal_rate']);
    expect(checkBaseline(baseline, [line({ false_refusal_rate: 0, hit5: 1 })]).ok).toBe(true);
  });

  it('fails on a metric the run lacks and on a configuration the run did not produce', () => {
    expect(checkBaseline(baseline, [line({ hit5: null })]).regressions[0]?.current).toBeNull();
    const missing = checkBaseline(baseline, [line({ mode: 'bm25' })]);
    expect(missing.ok).toBe(false);
    expect(missing.missingConfigs).toEqual(['hybrid/extractive']);
  });
});

describe('makeBaseline', () => {
  it('writes every gated metric with its direction and a tolerance of max(0.02, one question)', () => {
    const sizes = new Map([['hybrid/extractive', { hit5: 170, refusal_recall: 30, diacritics_gap: 30 }]]);
    const b = makeBaseline('golden', [line(), line({ dataset: 'other' })], sizes);
    expect(Object.keys(b.configs)).toEqual(['hybrid/extractive']);
    const m = b.configs['hybrid/extractive']!;
    expect(m.hit5).toEqual({ value: 0.95, tolerance: 0.02 });
    expect(m.refusal_recall).toEqual({ value: 0.8, tolerance: 0.0334 });
    expect(m.diacritics_gap).toEqual({ value: 0.03, tolerance: 0.0334, direction: 'lower' });
    expect(m.p95_ms).toEqual({ value: 6, tolerance: 100, direction: 'lower' });
    expect(m.judge_faithfulness).toBeUndefined();
    expect(checkBaseline(b, [line()]).ok).toBe(true);
  });

  it('gives latency a wide tolerance', () => {
    expect(defaultTolerance('p95_ms', 40, 0)).toBe(160);
    expect(defaultTolerance('hit5', 0.9, 10)).toBe(0.1001);
  });
});
