/**
 * Unicode normalisation stays linear on any input (issue 15 item 5): runs of combining marks are
 * cut at 30 before `normalize()`, which sorts a run in quadratic time. On ordinary text nothing
 * changes: property tests compare each function with its definition before the fix. The
 * linear-time check counts work (the reordering steps `normalize()` is given: the square of each
 * run of marks it sees), not wall time; `evals/perf/normalize-linear.ts` measures the time.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanBlocks, singleLineText as ingestCleanText } from '../../src/ingest/normalize-text.js';
import { loadDocument } from '../../src/ingest/index.js';
import {
  nfcWithoutControls as cleanText,
  findLongCombiningRun,
  foldDiacritics,
  limitCombiningRuns,
  maxCombiningRun,
  normalizeForMatch,
  normalizeToneMarks,
  tokenize,
} from '../../src/text/index.js';

// The definitions before the fix.
const oldControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;
const oldCleanText = (text: string) => text.normalize('NFC').replace(oldControl, '');
const oldNormalizeForMatch = (text: string) => normalizeToneMarks(oldCleanText(text).toLowerCase());
const oldFold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
const oldIngestClean = (text: string) =>
  text
    .normalize('NFC')
    .replace(/[\t\n\r\f\v]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(/[\u200B\u2060\uFEFF\u00AD]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[\s\u2028\u2029]+/g, ' ')
    .trim();

const marks = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323', '\u0302', '\u0306', '\u031b', '\u0308', '\u0327'];
// Decomposed letters stay whole (a base with its own marks, at most two), so a run of marks is
// never longer than the marks drawn after a letter plus two: ordinary text, below the cut.
const letters = [
  ...'aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐbcdghklmnpqrstvx',
  ...'hoà thuý quý Nguyễn Trường học phí'.normalize('NFD').match(/\P{M}\p{M}*/gu)!,
  ...'ệ ở ữ Ặ',
];
/** Ordinary text: letters (precomposed and decomposed Vietnamese), spaces, punctuation, controls, each followed by at most 30 marks. */
const ordinaryText = fc
  .array(
    fc.tuple(
      fc.constantFrom(...letters, ' ', ' ', '.', ',', '\n', '\t', '\u200b', '\u00ad', '1', '€'),
      fc.oneof(
        { weight: 3, arbitrary: fc.constant('') },
        {
          weight: 1,
          arbitrary: fc.array(fc.constantFrom(...marks), { minLength: 1, maxLength: maxCombiningRun - 2 }).map((m) => m.join('')),
        },
      ),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.map(([base, m]) => base + m).join(''));

describe('on ordinary text nothing changes', () => {
  it('cleanText, normalizeForMatch, foldDiacritics and the ingest cleanText equal their old definitions', () => {
    fc.assert(
      fc.property(ordinaryText, (text) => {
        expect(limitCombiningRuns(text)).toBe(text);
        expect(cleanText(text)).toBe(oldCleanText(text));
        expect(normalizeForMatch(text)).toBe(oldNormalizeForMatch(text));
        expect(foldDiacritics(text)).toBe(oldFold(text));
        expect(ingestCleanText(text)).toBe(oldIngestClean(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('limitCombiningRuns', () => {
  it('keeps the first 30 marks of every run, and everything else as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'ơ', ' ', 'x'), fc.integer({ min: 0, max: 80 })), { maxLength: 12 }), (runs) => {
        const text = runs.map(([base, n]) => base + '\u0301\u0323'.repeat(n).slice(0, n)).join('');
        const expected = runs.map(([base, n]) => base + '\u0301\u0323'.repeat(n).slice(0, Math.min(n, maxCombiningRun))).join('');
        expect(limitCombiningRuns(text)).toBe(expected);
        expect(findLongCombiningRun(limitCombiningRuns(text))).toBeUndefined();
        const longest = Math.max(0, ...runs.map(([, n]) => n));
        expect(findLongCombiningRun(text)?.length).toBe(
          longest > maxCombiningRun ? runs.find(([, n]) => n > maxCombiningRun)![1] : undefined,
        );
      }),
    );
  });

  it('counts marks outside the BMP as one each, and never splits a surrogate pair', () => {
    const musical = '\u{1D165}'; // MUSICAL SYMBOL COMBINING STEM, a mark of two UTF-16 units
    const cut = limitCombiningRuns(`a${musical.repeat(40)}b`);
    expect(cut).toBe(`a${musical.repeat(30)}b`);
    expect(findLongCombiningRun(`a${musical.repeat(40)}`)).toEqual({ index: 1, length: 40 });
  });
});

describe('normalisation work is linear in the input', () => {
  const original = String.prototype.normalize;
  afterEach(() => {
    String.prototype.normalize = original;
  });

  /** Runs `f` with `normalize()` counted: the sum over its calls of each run of marks squared (insertion-sort steps). */
  function reorderingWork(f: () => unknown): number {
    let work = 0;
    String.prototype.normalize = function (this: string, form?: string) {
      for (const run of this.match(/\p{M}+/gu) ?? []) work += [...run].length ** 2;
      return original.call(this, form);
    };
    try {
      f();
    } catch {
      // refusals count too: their work is what was done before them
    } finally {
      String.prototype.normalize = original;
    }
    return work;
  }

  it.each([12_000, 48_000])('on a letter with %i mixed marks: at most 30 × the length, whatever reads it', (n) => {
    const text = `Học phí là a${'\u0301\u0323\u0302'.repeat(n / 3)} đồng`;
    const bound = maxCombiningRun * text.length;
    const readers: Array<[string, () => unknown]> = [
      ['cleanText', () => cleanText(text)],
      ['normalizeForMatch', () => normalizeForMatch(text)],
      ['foldDiacritics', () => foldDiacritics(text)],
      ['tokenize', () => tokenize(text)],
      ['ingest cleanText', () => ingestCleanText(text)],
      ['ingest cleanBlocks', () => cleanBlocks([{ kind: 'paragraph', text }])],
    ];
    for (const [name, read] of readers) expect(reorderingWork(read), name).toBeLessThanOrEqual(bound);
    // What the old definition did: n² steps (1.4e10 at 120,000 marks: 5.5 s per read).
    expect(reorderingWork(() => oldCleanText(text))).toBe(n ** 2);
  });

  it('loadDocument refuses such a file before normalising it', async () => {
    const bytes = new TextEncoder().encode(`# Bài\n\nHọc phí a${'\u0301\u0323\u0302'.repeat(40_000)}\n`);
    let work = 0;
    String.prototype.normalize = function (this: string, form?: string) {
      for (const run of this.match(/\p{M}+/gu) ?? []) work += [...run].length ** 2;
      return original.call(this, form);
    };
    const error = await loadDocument(bytes, 'bai.md').catch((e: unknown) => e);
    String.prototype.normalize = original;
    expect((error as { code: string }).code).toBe('too_many_combining_marks');
    expect(work).toBeLessThanOrEqual(maxCombiningRun * bytes.length);
  });
});
