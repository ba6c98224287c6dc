import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairTable } from '../../src/indexes/pair-table.js';

describe('PairTable', () => {
  it('stores and finds what a Map keyed by both ints does, through growth and overwrites', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3000), fc.nat(3000), fc.nat(1 << 30)), { maxLength: 3000 }), (entries) => {
        const table = new PairTable();
        const expected = new Map<string, number>();
        for (const [a, b, v] of entries) {
          table.set(a, b, v);
          expected.set(`${a},${b}`, v);
        }
        expect(table.size).toBe(expected.size);
        for (const [a, b] of entries) expect(table.get(a, b)).toBe(expected.get(`${a},${b}`));
        // Pairs never stored, including each stored pair reversed when that is another pair.
        for (const [a, b] of entries) if (!expected.has(`${b},${a}`)) expect(table.get(b, a)).toBe(-1);
        expect(table.get(3001, 0)).toBe(-1);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a million pairs that share their first int', () => {
    const table = new PairTable();
    for (let b = 0; b < 1_000_000; b++) table.set(7, b, b + 1);
    expect(table.size).toBe(1_000_000);
    for (let b = 0; b < 1_000_000; b += 9973) expect(table.get(7, b)).toBe(b + 1);
    expect(table.get(8, 0)).toBe(-1);
  });

  it('refuses negative keys and values, which it uses as its empty mark', () => {
    const table = new PairTable();
    expect(() => table.set(-1, 0, 0)).toThrow(RangeError);
    expect(() => table.set(0, 0, -1)).toThrow(RangeError);
    expect(table.size).toBe(0);
  });
});
