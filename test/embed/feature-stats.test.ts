import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeatureStats } from '../../src/embed/feature-stats.js';

describe('FeatureStats', () => {
  it('counts each bucket once per document, and never below zero', () => {
    const hashArb = fc.oneof(
      fc.nat(40),
      fc.nat(40).map((n) => n + FeatureStats.buckets),
      fc.integer({ min: 0, max: 0xffffffff }),
    );
    const updatesArb = fc.array(fc.tuple(fc.array(hashArb, { maxLength: 12 }), fc.constantFrom<1 | -1>(1, 1, -1)), { maxLength: 30 });
    fc.assert(
      fc.property(updatesArb, (updates) => {
        const stats = new FeatureStats();
        const expected = new Map<number, number>();
        let documents = 0;
        for (const [hashes, delta] of updates) {
          stats.update(hashes, delta);
          for (const b of new Set(hashes.map((h) => stats.bucket(h)))) expected.set(b, Math.max(0, (expected.get(b) ?? 0) + delta));
          documents = Math.max(0, documents + delta);
        }
        expect(stats.documents).toBe(documents);
        for (const [b, df] of expected) expect(stats.df[b]).toBe(df);
        expect(stats.df.reduce((sum, df) => sum + df, 0)).toBe([...expected.values()].reduce((sum, df) => sum + df, 0));
      }),
      { numRuns: 200 },
    );
  });
});
