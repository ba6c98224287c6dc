import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDiacritics, hasDiacritics } from '../../src/text/index.js';
import { carriesMarks, foldedSyllable, syllableParts, vietnameseLetters, writeSyllable } from './vietnamese-syllables.js';

const combiningInRange = /[\u0300-\u036f]/;
const anyCombining = /\p{M}/u;

/** Text mixing Vietnamese letters, ASCII, spaces and stray combining marks. */
const vietnameseText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...vietnameseLetters),
      fc.constantFrom(' ', '.', ',', '-', '1', '9', 'A', 'z'),
      fc.integer({ min: 0x300, max: 0x36f }).map((cp) => String.fromCodePoint(cp)),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const anyText = fc.oneof(vietnameseText, fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 }));

describe('foldDiacritics', () => {
  it('folds the examples of its documentation', () => {
    expect(foldDiacritics('học phí')).toBe('hoc phi');
    expect(foldDiacritics('Đồng')).toBe('Dong');
    expect(foldDiacritics('NGƯỜI ĐƯỢC Ủy QUYỀN')).toBe('NGUOI DUOC Uy QUYEN');
    expect(foldDiacritics('khuỷu tay, giường, quốc')).toBe('khuyu tay, giuong, quoc');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = foldDiacritics(text);
        expect(foldDiacritics(once)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves no tone, hat or horn mark and no đ/Đ, even in decomposed form', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const folded = foldDiacritics(text);
        expect(folded.normalize('NFD')).not.toMatch(combiningInRange);
        expect(folded).not.toMatch(/[đĐ]/);
      }),
      { numRuns: 200 },
    );
  });

  it('leaves no combining mark at all in Vietnamese text', () => {
    fc.assert(
      fc.property(vietnameseText, (text) => {
        expect(foldDiacritics(text)).not.toMatch(anyCombining);
        expect(foldDiacritics(text)).toMatch(/^[\x20-\x7e]*$/);
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on whether the input is composed or decomposed', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(foldDiacritics(text.normalize('NFD'))).toBe(foldDiacritics(text.normalize('NFC')));
      }),
      { numRuns: 200 },
    );
  });

  it('maps each composed Vietnamese letter to exactly one ASCII letter', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vietnameseLetters), { maxLength: 30 }), (letters) => {
        const text = letters.join('');
        const folded = foldDiacritics(text);
        expect(folded).toHaveLength(text.length);
        expect(folded).toMatch(/^[a-zA-Z]*$/);
        // Case survives folding.
        expect([...folded].map((c) => c === c.toUpperCase())).toEqual(letters.map((c) => c === c.toUpperCase()));
      }),
      { numRuns: 150 },
    );
  });

  it('folds every Vietnamese syllable to its hand-spelled base letters', () => {
    fc.assert(
      fc.property(syllableParts, fc.nat(2), (parts, at) => {
        const toneAt = at % [...parts.nucleus.letters].length;
        const written = writeSyllable(parts, toneAt);
        expect(foldDiacritics(written)).toBe(foldedSyllable(parts));
        expect(foldDiacritics(written.normalize('NFD'))).toBe(foldedSyllable(parts));
      }),
      { numRuns: 200 },
    );
  });
});

describe('hasDiacritics', () => {
  it('is true exactly when a syllable carries a tone, a hat, a horn, a breve or đ', () => {
    fc.assert(
      fc.property(syllableParts, (parts) => {
        expect(hasDiacritics(writeSyllable(parts, 0))).toBe(carriesMarks(parts));
      }),
      { numRuns: 200 },
    );
  });

  it('is false for plain ASCII and true for decomposed marks', () => {
    expect(hasDiacritics('hoc phi 350.000 dong')).toBe(false);
    expect(hasDiacritics('')).toBe(false);
    expect(hasDiacritics('ho\u0323c')).toBe(true);
    expect(hasDiacritics('đi')).toBe(true);
  });
});
