import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topKOf } from '../../src/indexes/top-k.js';

const sortAndSlice = (items: Array<{ id: number; score: number }>, k: number) =>
  [...items].sort((a, b) => (a.score === b.score ? a.id - b.id : b.score > a.score ? 1 : -1)).slice(0, Math.max(0, k));

const itemsArb = fc.array(
  fc.record({
    id: fc.nat(50),
    // Small integers force many ties; doubles cover the general case.
    score: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })).map((s) => s + 0), // no -0
  }),
  { maxLength: 80 },
);

const topOf = (items: Array<{ id: number; score: number }>, k: number) =>
  topKOf(items.map((i) => i.id), Float64Array.from(items, (i) => i.score), items.length, k);

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
