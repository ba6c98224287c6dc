import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactVectors } from '../../src/indexes/exact-vectors.js';

const dims = 6;

/** Brute force: every live vector's inner product, best first, ties by smaller id. */
function bruteForce(live: Map<number, number[]>, query: number[], k: number, accept: (id: number) => boolean) {
  const scored = [...live]
    .filter(([id]) => accept(id))
    .map(([id, v]) => {
      let score = 0;
      for (let d = 0; d < dims; d++) if (query[d] !== 0) score += query[d]! * Math.fround(v[d]!);
      return { id, score };
    });
  return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, Math.max(0, k));
}

const component = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -4, max: 4 }),
  fc.double({ min: -1, max: 1, noNaN: true }).map((x) => x + 0),
);
const vectorArb = fc.array(component, { minLength: dims, maxLength: dims });
const opArb = fc.oneof(
  fc.record({ op: fc.constant('set' as const), id: fc.nat(40), vector: vectorArb }),
  fc.record({ op: fc.constant('delete' as const), id: fc.nat(40) }),
);

describe('ExactVectors', () => {
  it('scans to the brute-force top k through growth, replacement and removal, with and without a filter', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120 }), vectorArb, fc.integer({ min: 0, max: 50 }), (ops, query, k) => {
        const vectors = new ExactVectors(dims, 2);
        const live = new Map<number, number[]>();
        for (const op of ops) {
          if (op.op === 'set') {
            vectors.set(op.id, op.vector);
            live.set(op.id, op.vector);
          } else {
            vectors.delete(op.id);
            live.delete(op.id);
          }
        }
        expect(vectors.size).toBe(live.size);
        const nonZero = query.flatMap((x, d) => (x !== 0 ? [d] : []));
        const queryDims = Int32Array.from(nonZero);
        const weights = Float64Array.from(nonZero, (d) => query[d]!);
        const even = (id: number) => id % 2 === 0;
        expect(vectors.scan(queryDims, weights, k)).toEqual(bruteForce(live, query, k, () => true));
        expect(vectors.scan(queryDims, weights, k, even)).toEqual(bruteForce(live, query, k, even));
      }),
      { numRuns: 300 },
    );
  });
});
