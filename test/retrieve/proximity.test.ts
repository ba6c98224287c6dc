import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { termPositionsOf, windowCoverage } from '../../src/retrieve/index.js';

const windowCoverageOf = (folded: string[], weights: Map<string, number>, window = 16) => windowCoverage(termPositionsOf(folded), weights, window);

/** The definition, computed the slow way: every window of `window` consecutive terms. */
function naiveCoverage(folded: string[], weights: Map<string, number>, window: number): number {
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total === 0 || folded.length === 0) return 0;
  let best = 0;
  for (let end = 0; end < folded.length; end++) {
    const inside = new Set(folded.slice(Math.max(0, end - window + 1), end + 1));
    let covered = 0;
    for (const [term, w] of weights) if (inside.has(term)) covered += w;
    best = Math.max(best, covered);
  }
  return best / total;
}

describe('windowCoverage', () => {
  it('finds the query words together in one window, not spread over the passage', () => {
    const weights = new Map([['hoc', 1], ['phi', 2], ['thang', 1]]);
    const together = 'muc hoc phi moi thang la bon tram'.split(' ');
    const spread = ['hoc', ...Array<string>(30).fill('x'), 'phi', ...Array<string>(30).fill('y'), 'thang'];
    expect(windowCoverageOf(together, weights, 16)).toBe(1);
    expect(windowCoverageOf(spread, weights, 16)).toBe(0.5);
    expect(windowCoverageOf(spread, weights, 40)).toBe(0.75);
    expect(windowCoverageOf([], weights)).toBe(0);
    expect(windowCoverageOf(together, new Map())).toBe(0);
  });

  it('equals the every-window definition on random passages', () => {
    const vocabulary = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...vocabulary), { maxLength: 80 }),
        fc.dictionary(fc.constantFrom(...vocabulary, 'zz'), fc.double({ min: 0, max: 5, noNaN: true })),
        fc.integer({ min: 1, max: 30 }),
        (folded, weightRecord, window) => {
          const weights = new Map(Object.entries(weightRecord));
          expect(windowCoverage(termPositionsOf(folded), weights, window)).toBeCloseTo(naiveCoverage(folded, weights, window), 9);
        },
      ),
      { numRuns: 500 },
    );
  });
});
