import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthLargest, topKOf } from '../../src/indexes/top-k.js';

const sortAndSlice = (items: Array<{ id: number; score: number }>, k: number) =>
  [...items].sort((a, b) => (a.score === b.score ? a.id - b.id : b.score > a.score ? 1 : -1)).slice(0, Math.max(0, k));

const itemsArb = fc.array(
  fc.record({
    id: fc.nat(50),
    // Small integers force many ties; doubles cover the general case.
    score: fc
      .oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }))
      .map((s) => s + 0), // no -0
  }),
  { maxLength: 80 },
);

const topOf = (items: Array<{ id: number; score: number }>, k: number) =>
  topKOf(
    items.map((i) => i.id),
    Float64Array.from(items, (i) => i.score),
    items.length,
    k,
  );

describe('topKOf', () => {
  it('equals sorting everything and keeping the first k (score desc, then smaller id)', () => {
    fc.assert(
      fc.property(itemsArb, fc.integer({ min: -1, max: 90 }), (items, k) => {
        expect(topOf(items, k)).toEqual(sortAndSlice(items, k));
      }),
      { numRuns: 300 },
    );
  });

  it('breaks ties by the smaller id regardless of arrival order', () => {
    const items = [9, 4, 7, 1, 8].map((id) => ({ id, score: 1 }));
    expect(topOf(items, 2)).toEqual([
      { id: 1, score: 1 },
      { id: 4, score: 1 },
    ]);
  });

  it('returns nothing when k is 0 or there is nothing to rank', () => {
    expect(topOf([{ id: 1, score: 5 }], 0)).toEqual([]);
    expect(topOf([], 3)).toEqual([]);
  });
});

describe('kthLargest', () => {
  const plain = (scores: Float32Array, docs: readonly number[], k: number) =>
    docs.length < k ? -Infinity : docs.map((d) => scores[d]!).sort((a, b) => b - a)[k - 1]!;

  it('equals the k-th of the sorted scores, below and above the size where it samples a floor first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 12_000 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        (k, n, distinct, seed) => {
          // Few distinct values make ties, as BM25 scores of similar chunks do.
          let state = seed;
          const next = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
          const scores = Float32Array.from({ length: 20_000 }, () => Math.floor(next() * distinct) / 7 + next() * (distinct > 20 ? 1 : 0));
          const docs = Array.from({ length: n }, () => Math.floor(next() * scores.length));
          expect(kthLargest(scores, docs, k)).toBe(plain(scores, docs, k));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the k-th when the largest scores all sit between the sampled positions', () => {
    const scores = new Float32Array(10_000);
    const docs = Array.from({ length: 10_000 }, (_, i) => i);
    for (let i = 0; i < 10_000; i++) scores[i] = i % 16 === 0 ? 1 : 2 + (i % 97);
    expect(kthLargest(scores, docs, 50)).toBe(plain(scores, docs, 50));
    expect(kthLargest(scores, docs.slice(0, 3), 5)).toBe(-Infinity);
  });
});
