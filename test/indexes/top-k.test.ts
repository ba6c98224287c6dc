import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK, topKOf } from '../../src/indexes/top-k.js';

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

describe('TopK', () => {
  it('equals sorting everything and keeping the first k (score desc, then smaller id)', () => {
    fc.assert(
      fc.property(itemsArb, fc.integer({ min: -1, max: 90 }), (items, k) => {
        const top = new TopK(k);
        for (const item of items) top.push(item.id, item.score);
        expect(top.results()).toEqual(sortAndSlice(items, k));
      }),
      { numRuns: 200 },
    );
  });

  it('topKOf over parallel arrays equals the same definition', () => {
    fc.assert(
      fc.property(itemsArb, fc.integer({ min: -1, max: 90 }), (items, k) => {
        const ids = items.map((i) => i.id);
        const scores = Float64Array.from(items, (i) => i.score);
        expect(topKOf(ids, scores, items.length, k)).toEqual(sortAndSlice(items, k));
      }),
      { numRuns: 300 },
    );
  });

  it('breaks ties by the smaller id regardless of arrival order', () => {
    const top = new TopK(2);
    for (const id of [9, 4, 7, 1, 8]) top.push(id, 1);
    expect(top.results()).toEqual([
      { id: 1, score: 1 },
      { id: 4, score: 1 },
    ]);
  });

  it('returns nothing when k is 0', () => {
    const top = new TopK(0);
    top.push(1, 5);
    expect(top.results()).toEqual([]);
  });
});
