import { describe, expect, it } from 'vitest';
import { sortIds } from '../../src/indexes/sort-ids.js';

/** A deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('sortIds (radix sort of ids)', () => {
  it('sorts like the built-in sort, for every size and range of ids', () => {
    const next = random(7);
    for (const n of [0, 1, 2, 511, 512, 513, 3000, 100_000]) {
      for (const max of [1, 2047, 2048, 4_194_303, 4_194_304, 2 ** 31 - 1]) {
        const ids = Int32Array.from({ length: n }, () => Math.floor(next() * (max + 1)));
        const expected = Int32Array.from(ids).sort();
        expect(sortIds(ids), `n ${n}, max ${max}`).toEqual(expected);
      }
    }
  });

  it('keeps duplicates, and sorts the array it was given in place', () => {
    const ids = Int32Array.from({ length: 2000 }, (_, i) => (i * 7919) % 600);
    const result = sortIds(ids);
    expect(result).toBe(ids);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! >= ids[i - 1]!).toBe(true);
    expect(ids.filter((id) => id === 5).length).toBe(
      Int32Array.from({ length: 2000 }, (_, i) => (i * 7919) % 600).filter((id) => id === 5).length,
    );
  });

  it('sorts a subarray view without touching the rest of its buffer', () => {
    const buffer = Int32Array.from({ length: 4000 }, (_, i) => 4000 - i);
    const view = buffer.subarray(1000, 3000);
    sortIds(view);
    expect(buffer[999]).toBe(3001);
    expect(buffer[3000]).toBe(1000);
    expect([...view]).toEqual([...view].sort((a, b) => a - b));
  });

  it('refuses negative ids', () => {
    expect(() => sortIds(Int32Array.from({ length: 1000 }, (_, i) => i - 1))).toThrow(/negative/);
  });
});
