import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nfcWithoutControls } from '../../src/text/normalize-text.js';
import { nextWordStart, tokenize, wordEnd, type Token } from '../../src/text/tokenize.js';

// `tokenize` finds words by scanning code units. Its definition is the regular expression below
// (with `matchAll`), a break being any non-space character between two words: the scanner must
// find the same words and breaks on any text, including astral letters, lone surrogates, marks,
// other scripts' digits and every kind of white space.
const wordPattern = /[\p{L}\p{M}\p{N}]+(?:[-/.,:_][\p{L}\p{M}\p{N}]+)*/gu;

const pieces = [
  'a',
  'Z',
  'Đ',
  'ệ',
  'o\u0301',
  '\u0300',
  '1',
  '٣',
  '²',
  'ß',
  'İ',
  'ǅ',
  '𝐀',
  '😀',
  '\ud800',
  '\udc00',
  '\ud835',
  '-',
  '/',
  '.',
  ',',
  ':',
  '_',
  '..',
  '--',
  ' ',
  '\u00a0',
  '\n',
  '\t',
  '\u2028',
  '\u3000',
  '\ufeff',
  '\u200b',
  '\u0000',
  '!',
  '“',
  '›',
  'the',
  'is',
  'Of',
  'học',
  'phí',
  '2023',
  '3759/BGDĐT-GDTX',
  'students',
];
const textArb = fc.array(fc.constantFrom(...pieces), { maxLength: 24 }).map((p) => p.join(''));

function scannedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let start = nextWordStart(text, 0); start < text.length; start = nextWordStart(text, spans.at(-1)![1]))
    spans.push([start, wordEnd(text, start)]);
  return spans;
}

/** The tokens as defined: each matched word's own tokens, breaks from the text between words. */
function definition(text: string): Token[] {
  const source = nfcWithoutControls(text);
  const tokens: Token[] = [];
  let lastEnd = 0;
  let pendingBreak = false;
  for (const match of source.matchAll(wordPattern)) {
    let breakBefore: boolean = pendingBreak || (tokens.length > 0 && /\S/.test(source.slice(lastEnd, match.index)));
    lastEnd = match.index + match[0].length;
    for (const t of tokenize(match[0])) {
      tokens.push({ ...t, breakBefore: t.extra ? false : breakBefore });
      if (!t.extra) breakBefore = false;
    }
    pendingBreak = breakBefore;
  }
  return tokens;
}

describe('tokenize scanner', () => {
  it('finds the words the word pattern matches', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        expect(scannedSpans(text)).toEqual([...text.matchAll(wordPattern)].map((m) => [m.index, m.index + m[0].length]));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives each word its own tokens, with a break after anything but white space', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        expect(tokenize(text)).toEqual(definition(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same tokens once its word cache has been emptied', () => {
    const text = 'Học phí 350.000 đồng, năm học 2023-2024 (3759/BGDĐT-GDTX). The students';
    const first = tokenize(text);
    // More distinct words than the cache keeps, so it is emptied at least once.
    for (let i = 0; i < 210_000; i += 500) tokenize(Array.from({ length: 500 }, (_, j) => `từ${(i + j).toString(36)}`).join(' '));
    expect(tokenize(text)).toEqual(first);
  });
});
