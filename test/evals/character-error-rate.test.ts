import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterErrorRate, normalizeForCer } from '../../evals/ocr/character-error-rate.js';

/** The textbook dynamic-programming edit distance, as the reference for the library's. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

describe('characterErrorRate', () => {
  it('is 0 for the same text, whatever its Unicode form and spacing', () => {
    const nfc = 'Học phí lớp 10 là 350.000 đồng.';
    expect(characterErrorRate(nfc.normalize('NFD').replace(/ /g, '  \n'), nfc)).toBe(0);
  });

  it('counts a lost diacritic as one error in NFC (not two code points)', () => {
    expect(characterErrorRate('Hoc phí', 'Học phí')).toBeCloseTo(1 / 7);
  });

  it('counts insertions, deletions and substitutions over the reference length', () => {
    expect(characterErrorRate('abXd', 'abcd')).toBe(0.25);
    expect(characterErrorRate('abd', 'abcd')).toBe(0.25);
    expect(characterErrorRate('abcde', 'abcd')).toBe(0.25);
    expect(characterErrorRate('', '')).toBe(0);
    expect(characterErrorRate('x', '')).toBe(1);
  });

  it('agrees with a plain edit distance on random Vietnamese strings', () => {
    const letters = fc.constantFrom(...'aăâđeêoôơuưyạảấầẩẫậ ');
    fc.assert(
      fc.property(fc.array(letters, { minLength: 1, maxLength: 30 }), fc.array(letters, { maxLength: 30 }), (r, h) => {
        const ref = normalizeForCer(r.join(''));
        const hyp = normalizeForCer(h.join(''));
        if (ref.length === 0) return;
        expect(characterErrorRate(hyp, ref)).toBeCloseTo(editDistance(hyp, ref) / ref.length, 10);
      }),
    );
  });
});
