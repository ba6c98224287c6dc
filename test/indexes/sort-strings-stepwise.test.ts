import { describe, expect, it } from 'vitest';
import { sortStringsStepwise } from '../../src/indexes/sort-strings-stepwise.js';

/** A deterministic generator, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Runs the generator to its end, counting its steps. */
function run(strings: string[]): { sorted: string[]; steps: number } {
  const steps = sortStringsStepwise(strings);
  let n = 0;
  for (let step = steps.next(); ; step = steps.next(), n++) if (step.done) return { sorted: step.value, steps: n };
}

// BM25 terms: Vietnamese syllables with and without marks, the exact-form prefix, bigrams, astral characters.
const alphabet = ['a', 'ă', 'â', 'b', 'đ', 'e', 'ê', 'h', 'i', 'n', 'o', 'ơ', 'ư', 'ạ', 'ệ', ' ', '=', '😀', 'Z', '1'];

describe('sortStringsStepwise (the BM25 save sorts its terms in steps)', () => {
  it('returns what the built-in sort returns, for every size around its block and merge widths', () => {
    const next = random(11);
    for (const n of [0, 1, 2, 4095, 4096, 4097, 8192, 12_289, 70_000]) {
      const seen = new Set<string>();
      while (seen.size < n) {
        const length = 1 + Math.floor(next() * 12);
        seen.add(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
      }
      const strings = [...seen];
      const expected = [...strings].sort();
      expect(run(strings).sorted, `n ${n}`).toEqual(expected);
    }
  });

  it('yields between blocks and merges of a large input, not at all on a small one', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `t${(i * 7919) % 100_003}`);
    expect(run(many).steps).toBeGreaterThan(20);
    expect(run(['b', 'a', 'c']).steps).toBe(0);
  });
});
