import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForMatch, normalizeToneMarks } from '../../src/text/index.js';
import { canonicalToneIndex, syllableParts, writeSyllable } from './vietnamese-syllables.js';

describe('normalizeToneMarks', () => {
  it.each([
    ['hòa', 'hoà'],
    ['hoà', 'hoà'],
    ['thúy', 'thuý'],
    ['khỏe', 'khoẻ'],
    ['quý', 'quý'],
    ['hoàng', 'hoàng'],
    ['người', 'người'],
    ['giá', 'giá'],
    ['khuỷu', 'khuỷu'],
    ['khủyu', 'khuỷu'],
    ['gì', 'gì'],
    ['giường', 'giường'],
    ['quốc', 'quốc'],
    ['của', 'của'],
    ['ngoài', 'ngoài'],
    ['huỳnh', 'huỳnh'],
    ['Hòa Bình', 'Hoà Bình'],
    ['THÚY', 'THUÝ'],
  ])('writes %s as %s', (input, expected) => {
    expect(normalizeToneMarks(input)).toBe(expected);
  });

  it('leaves text without tone marks, digits and punctuation untouched', () => {
    expect(normalizeToneMarks('hoa 2023-2024, văn bản số 12/QĐ.')).toBe('hoa 2023-2024, văn bản số 12/QĐ.');
  });

  it('makes the old and new tone placement equal for every syllable shape', () => {
    fc.assert(
      fc.property(syllableParts, (parts) => {
        const vowels = [...parts.nucleus.letters].length;
        const expected = writeSyllable(parts, canonicalToneIndex(parts));
        for (let at = 0; at < vowels; at++) {
          expect(normalizeToneMarks(writeSyllable(parts, at))).toBe(expected);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('puts the tone of oa, oe and uy on the second vowel whichever vowel it was typed on', () => {
    const pairs = fc.record({
      onset: fc.constantFrom('', 'h', 'kh', 'th', 'x', 'l', 'ng', 't'),
      nucleus: fc.constantFrom('oa', 'oe', 'uy'),
      tone: fc.constantFrom('\u0300', '\u0301', '\u0303', '\u0309', '\u0323'),
    });
    fc.assert(
      fc.property(pairs, ({ onset, nucleus, tone }) => {
        const old = (onset + nucleus[0] + tone + nucleus[1]).normalize('NFC');
        const fresh = (onset + nucleus + tone).normalize('NFC');
        expect(normalizeToneMarks(old)).toBe(fresh);
        expect(normalizeToneMarks(fresh)).toBe(fresh);
      }),
      { numRuns: 100 },
    );
  });

  it('is idempotent on sentences of random syllables', () => {
    const sentence = fc
      .array(fc.tuple(syllableParts, fc.nat(2)), { minLength: 1, maxLength: 8 })
      .map((words) => words.map(([p, at]) => writeSyllable(p, at % [...p.nucleus.letters].length)).join(' '));
    fc.assert(
      fc.property(sentence, (text) => {
        const once = normalizeToneMarks(text);
        expect(normalizeToneMarks(once)).toBe(once);
        expect(once.split(' ')).toHaveLength(text.split(' ').length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('normalizeForMatch', () => {
  it('lower-cases, composes and normalises tone placement', () => {
    expect(normalizeForMatch('Hòa')).toBe(normalizeForMatch('hoà'));
    expect(normalizeForMatch('HO\u0300A')).toBe('hoà');
    expect(normalizeForMatch('Thu\u0301y')).toBe('thuý');
  });

  it('drops zero-width and control characters', () => {
    expect(normalizeForMatch('ho\u200bc\u0000 phí\ufeff')).toBe('hoc phí');
  });
});
