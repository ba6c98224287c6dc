import { describe, expect, it } from 'vitest';
import { ndcgAt, percentile, retrievalMetrics } from '../../src/eval/index.js';
import { matchesGold, rankAgainstGold, retrievalAgainstGold, type ChunkLocation } from '../../evals/lib/gold-match.js';

const pdf = (page: number): ChunkLocation => ({ doc: 'so-tay.pdf', pageStart: page, pageEnd: page, headingPath: [] });
const md = (...headingPath: string[]): ChunkLocation => ({ doc: 'guide.md', pageStart: null, pageEnd: null, headingPath });

describe('retrievalMetrics', () => {
  it('computes hit@1, hit@5, MRR@10 and recall@10 from the first relevant rank', () => {
    const relevant = new Map([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    const m = retrievalMetrics(['x', 'y', 'a', 'z', 'b'], relevant);
    expect(m.hit1).toBe(0);
    expect(m.hit5).toBe(1);
    expect(m.mrr10).toBeCloseTo(1 / 3, 10);
    expect(m.recall10).toBeCloseTo(2 / 3, 10);
  });

  it('misses when the first relevant passage is below rank 5 or 10', () => {
    const relevant = new Map([['a', 1]]);
    const at6 = retrievalMetrics(['1', '2', '3', '4', '5', 'a'], relevant);
    expect(at6.hit5).toBe(0);
    expect(at6.mrr10).toBeCloseTo(1 / 6, 10);
    const at11 = retrievalMetrics([...'123456789x'.split(''), 'a'], relevant);
    expect(at11.mrr10).toBe(0);
    expect(at11.recall10).toBe(0);
  });

  it('computes nDCG@10 with graded relevance (gain = grade, log2 discount)', () => {
    // ranked: miss, grade 1, grade 2. DCG = 1/log2(3) + 2/log2(4) = 0.63093 + 1;
    // ideal: 2/log2(2) + 1/log2(3) = 2 + 0.63093; nDCG = 1.63093 / 2.63093 = 0.61991.
    const relevant = new Map([
      ['hi', 2],
      ['lo', 1],
    ]);
    expect(ndcgAt(['x', 'lo', 'hi'], relevant, 10)).toBeCloseTo(1.6309297536 / 2.6309297536, 8);
    expect(ndcgAt(['hi', 'lo'], relevant, 10)).toBe(1);
    expect(ndcgAt(['x'], relevant, 10)).toBe(0);
  });
});

describe('matchesGold', () => {
  it('matches a page inside the chunk page range of the same document', () => {
    expect(matchesGold({ doc: 'so-tay.pdf', pageStart: 6, pageEnd: 7, headingPath: [] }, { doc: 'so-tay.pdf', page: 7 })).toBe(true);
    expect(matchesGold(pdf(8), { doc: 'so-tay.pdf', page: 7 })).toBe(false);
    expect(matchesGold(pdf(7), { doc: 'other.pdf', page: 7 })).toBe(false);
  });

  it("matches a section against the chunk's own (last) heading, with dashes and case normalised", () => {
    expect(matchesGold(md('Guide', '4. Fees'), { doc: 'guide.md', section: '4. fees' })).toBe(true);
    expect(matchesGold(md('Guide', '3.1. Hàm SUM – tính tổng'), { doc: 'guide.md', section: '3.1. Hàm SUM - tính tổng' })).toBe(true);
    expect(matchesGold(md('Guide', '4. Fees', 'Refunds'), { doc: 'guide.md', section: '4. Fees' })).toBe(false);
  });

  it('matches any chunk of the document when the gold names neither page nor section', () => {
    expect(matchesGold(md('Notice'), { doc: 'guide.md' })).toBe(true);
  });
});

describe('rankAgainstGold', () => {
  it('credits each gold passage once, to its first chunk, preferring the higher grade', () => {
    const gold = [
      { doc: 'so-tay.pdf', page: 6, grade: 2 },
      { doc: 'so-tay.pdf', page: 18 },
    ];
    const { ids, relevant } = rankAgainstGold([pdf(3), pdf(18), pdf(18), pdf(6)], gold);
    expect(ids).toEqual(['x0', 'g1', 'x2', 'g0']);
    expect([...relevant]).toEqual([
      ['g0', 2],
      ['g1', 1],
    ]);
    const m = retrievalAgainstGold([pdf(3), pdf(18), pdf(18), pdf(6)], gold);
    expect(m.mrr10).toBe(0.5);
    // DCG = 1/log2(3) + 2/log2(5); ideal = 2 + 1/log2(3)
    expect(m.ndcg10).toBeCloseTo((1 / Math.log2(3) + 2 / Math.log2(5)) / (2 + 1 / Math.log2(3)), 10);
    expect(m.recall10).toBe(1);
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(percentile(values, 50)).toBe(10);
    expect(percentile(values, 95)).toBe(19);
    expect(percentile([], 95)).toBe(0);
  });
});
