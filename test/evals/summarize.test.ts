import { describe, expect, it } from 'vitest';
import { conversationOrder } from '../../evals/lib/ask-questions.js';
import type { QuestionRun, QuestionScores } from '../../evals/lib/eval-types.js';
import { meanOf, questionQuality, summarizeRuns, variantGap, worstQuestions } from '../../evals/lib/summarize.js';

const noScores: QuestionScores = {
  hit1: null,
  hit5: null,
  mrr10: null,
  ndcg10: null,
  recall10: null,
  containment: null,
  tokenF1: null,
  keyphraseRecall: null,
  citationPrecision: null,
  citationRecall: null,
  grounding: null,
};

function run(id: string, patch: Partial<QuestionRun> = {}, scores: Partial<QuestionScores> = {}): QuestionRun {
  return {
    id,
    question: id,
    lang: 'vi',
    type: 'factoid',
    answerable: true,
    rewrittenQuestion: id,
    answer: '',
    mode: 'extractive',
    declined: false,
    answerability: 0.7,
    retrieved: [],
    citations: [],
    latencyMs: 1,
    ...patch,
    scores: { ...noScores, ...scores },
  };
}

describe('variantGap', () => {
  it('compares hit@5 of the variants with the same questions as originally written', () => {
    const runs = [
      run('a', {}, { hit5: 1 }),
      run('b', {}, { hit5: 1 }),
      run('c', {}, { hit5: 0 }),
      run('a-nd', { type: 'no-diacritics', variantOf: 'a' }, { hit5: 1 }),
      run('b-nd', { type: 'no-diacritics', variantOf: 'b' }, { hit5: 0 }),
      run('c-typo', { type: 'typo', variantOf: 'c' }, { hit5: 1 }),
    ];
    expect(variantGap(runs, 'no-diacritics')).toEqual({ pairs: 2, hit5Original: 1, hit5Variant: 0.5, gap: 0.5 });
    expect(variantGap(runs, 'typo')).toEqual({ pairs: 1, hit5Original: 0, hit5Variant: 1, gap: -1 });
  });
});

describe('summarizeRuns', () => {
  it('averages each metric over the questions it applies to and splits by language and type', () => {
    const runs = [
      run('a', { latencyMs: 1 }, { hit5: 1, mrr10: 1, containment: 1, citationPrecision: 1 }),
      run('b', { latencyMs: 3, lang: 'en', type: 'english' }, { hit5: 0, mrr10: 0.25, containment: 0, citationPrecision: 0.5 }),
      run('c', { latencyMs: 2, declined: true }, { hit5: 1, mrr10: 0.5, containment: 0 }),
      run('u', { latencyMs: 10, answerable: false, type: 'unanswerable', declined: true }),
    ];
    const s = summarizeRuns('golden', { mode: 'hybrid', answerer: 'extractive' }, runs);
    expect(s.retrieval.hit5).toBeCloseTo(2 / 3, 10);
    expect(s.retrieval.mrr10).toBeCloseTo(1.75 / 3, 10);
    expect(s.citations.precision).toBe(0.75);
    expect(s.refusals).toEqual({ precision: 0.5, recall: 1, falseRefusalRate: 1 / 3, answerRate: 2 / 3 });
    expect(s.latency.p50).toBe(2);
    expect(s.latency.p95).toBe(10);
    expect(s.byLang.en).toMatchObject({ questions: 1, hit5: 0, answerRate: 1 });
    expect(s.byType.unanswerable).toMatchObject({ questions: 1, declineRate: 1, hit5: null });
    expect(s.counts.hit5).toBe(3);
  });
});

describe('worst questions', () => {
  it('ranks declined answerable and answered unanswerable questions first', () => {
    const runs = [
      run('good', {}, { mrr10: 1, containment: 1, keyphraseRecall: 1, citationPrecision: 1 }),
      run('half', {}, { mrr10: 0.5, containment: 0, keyphraseRecall: 1, citationPrecision: 0.5 }),
      run('refused', { declined: true }, { mrr10: 1 }),
      run('leak', { answerable: false }),
    ];
    expect(questionQuality(runs[1]!)).toBe(0.5);
    expect(worstQuestions(runs, 3).map((r) => r.id)).toEqual(['leak', 'refused', 'half']);
    expect(meanOf([null, 1, undefined, 0])).toBe(0.5);
  });
});

describe('conversationOrder', () => {
  it('puts a follow-up after the turn it follows, otherwise keeps the order', () => {
    const qs = [{ id: 'b', followUpOf: 'a' }, { id: 'x' }, { id: 'a' }, { id: 'c', followUpOf: 'b' }];
    expect(conversationOrder(qs).map((q) => q.id)).toEqual(['a', 'b', 'x', 'c']);
  });
});
