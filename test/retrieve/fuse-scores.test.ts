import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRrfK, fuseScores, type RankedList } from '../../src/retrieve/fuse-scores.js';

/** RRF written out: for every id, Σ over lists and positions where it appears of weight / (k + rank). */
function referenceRrf(lists: readonly RankedList[], k: number) {
  const ids = [...new Set(lists.flatMap((l) => l.ids))];
  const scored = ids.map((id) => {
    let score = 0;
    for (const list of lists) {
      for (let rank = 1; rank <= list.ids.length; rank++) if (list.ids[rank - 1] === id) score += list.weight / (k + rank);
    }
    return { id, score };
  });
  return scored.sort((a, b) => (a.score === b.score ? a.id - b.id : b.score - a.score));
}

const listsArb = fc.array(
  fc.record({
    ids: fc.array(fc.nat(30), { maxLength: 20 }),
    weight: fc.constantFrom(0.5, 1, 1.5, 2),
  }),
  { maxLength: 4 },
);

describe('fuseScores', () => {
  it('equals the reciprocal rank fusion formula on random lists', () => {
    fc.assert(
      fc.property(listsArb, fc.constantFrom(1, 10, 60), (lists, k) => {
        const fused = fuseScores(lists, k);
        const expected = referenceRrf(lists, k);
        expect(fused.map((f) => f.id).sort((a, b) => a - b)).toEqual(expected.map((e) => e.id).sort((a, b) => a - b));
        const byId = new Map(expected.map((e) => [e.id, e.score]));
        for (const f of fused) expect(f.score).toBeCloseTo(byId.get(f.id)!, 12);
        for (let i = 1; i < fused.length; i++) {
          const [a, b] = [fused[i - 1]!, fused[i]!];
          expect(a.score > b.score || (a.score === b.score && a.id < b.id)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('matches a hand-computed example', () => {
    const fused = fuseScores([
      { ids: [1, 2, 3], weight: 1 },
      { ids: [3, 1], weight: 0.5 },
    ]);
    expect(defaultRrfK).toBe(60);
    expect(fused.map((f) => f.id)).toEqual([1, 3, 2]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 0.5 / 62, 15);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 0.5 / 61, 15);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 15);
  });

  it('gives the smaller id the tie', () => {
    expect(
      fuseScores([
        { ids: [7], weight: 1 },
        { ids: [3], weight: 1 },
      ]).map((f) => f.id),
    ).toEqual([3, 7]);
  });

  it('ranks an id that both lists agree on above ids only one list has', () => {
    const fused = fuseScores([
      { ids: [10, 20, 30], weight: 1 },
      { ids: [40, 50, 30], weight: 1 },
    ]);
    expect(fused[0]!.id).toBe(30);
  });

  it('returns nothing for no lists', () => {
    expect(fuseScores([])).toEqual([]);
    expect(fuseScores([{ ids: [], weight: 1 }])).toEqual([]);
  });
});
