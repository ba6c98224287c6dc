import { stemmer } from 'stemmer';
import { foldDiacritics } from './fold-diacritics.js';
import { nfcWithoutControls, normalizeForMatch } from './normalize-text.js';

/**
 * One word of a text in its two comparison forms.
 * `exact` keeps diacritics (lower case, canonical tone placement); `folded` drops them.
 * English words are Porter-stemmed in both forms, so `students` meets `student`.
 */
export interface Token {
  exact: string;
  folded: string;
  /** True when punctuation separates this token from the previous one: no bigram across it. */
  breakBefore: boolean;
  /** Parts of a code or number (`3759`, `bgdđt`, `gdtx`), extra terms that never form bigrams. */
  extra: boolean;
}

// A word is a match of `[\p{L}\p{M}\p{N}]+(?:[-/.,:_][\p{L}\p{M}\p{N}]+)*` (with the `u` flag): a run
// of letters, marks and digits, or such runs joined by - / . , : _ (a code, a date, a number).
const joiners = /[-/.,:_]/;
const digit = /\p{N}/u;
const asciiWord = /^[a-z]+$/;
// Onset + up to three vowels + coda: the shape of a Vietnamese syllable typed without marks.
const vietnameseSyllable = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/;

/** English function words dropped from lexical terms (Lucene's list). */
export const englishStopwords: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

/**
 * English stopwords are dropped unless they are also Vietnamese syllables typed without marks
 * (`to` tổ, `an` an toàn, `on` ôn tập, `the` thế): those carry meaning in Vietnamese queries.
 */
function isDroppedStopword(word: string): boolean {
  return englishStopwords.has(word) && !vietnameseSyllable.test(word);
}

const stemCache = new Map<string, string>();

/** Stems English-looking ASCII words; leaves Vietnamese syllables, codes and short words alone. */
function stemIfEnglish(word: string): string {
  if (word.length <= 3 || !asciiWord.test(word) || vietnameseSyllable.test(word)) return word;
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(word);
    if (stemCache.size > 100_000) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

function isCodeLike(original: string): boolean {
  if (digit.test(original)) return true;
  let upper = 0;
  for (const ch of original) if (ch !== ch.toLowerCase()) upper++;
  return upper >= 2;
}

function makeToken(word: string, breakBefore: boolean, extra: boolean): Token {
  const exact = stemIfEnglish(word);
  return { exact, folded: foldDiacritics(exact), breakBefore, extra };
}

/** The tokens one word yields, before `breakBefore` is set (parts of codes are extras). */
type WordTokens = ReadonlyArray<Omit<Token, 'breakBefore'>>;

/** The tokens of one word. */
function analyzeWord(original: string): WordTokens {
  const word = normalizeForMatch(original);
  const tokens: Array<Omit<Token, 'breakBefore'>> = [];
  const plain = (w: string, extra: boolean) => {
    const { exact, folded } = makeToken(w, false, extra);
    tokens.push({ exact, folded, extra });
  };
  if (!joiners.test(word)) {
    if (!isDroppedStopword(word)) plain(word, false);
  } else {
    const parts = word.split(/[-/.,:_]+/).filter((p) => p.length > 0);
    if (isCodeLike(original)) {
      plain(word, false);
      const digitsOnly = /^[\d.,]+$/.test(word) ? word.replace(/[.,]/g, '') : '';
      if (digitsOnly && digitsOnly !== word) plain(digitsOnly, true);
      for (const part of parts) plain(part, true);
    } else {
      for (const part of parts) if (!isDroppedStopword(part)) plain(part, false);
    }
  }
  return tokens;
}

interface CachedWord {
  original: string;
  hash: number;
  tokens: WordTokens;
}

/**
 * `analyzeWord` memoised by the word's range of the text: most words of a corpus repeat, and a
 * Map keyed by the word cost a substring, V8 hashing it and a probe per word (half the time of
 * tokenising); this open-addressing table compares a hash, then the characters in place.
 */
class WordCache {
  private static readonly limit = 200_000;
  /** Entry index + 1 per slot, 0 when free; at most half full. */
  private slots = new Int32Array(1 << 12);
  private entries: CachedWord[] = [];

  tokensOf(text: string, start: number, end: number): WordTokens {
    const hash = hashRange(text, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]!;
      if (at === 0) return this.add(text.slice(start, end), hash, slot);
      const entry = this.entries[at - 1]!;
      if (entry.hash === hash && sameText(entry.original, text, start, end)) return entry.tokens;
    }
  }

  /** Caches a word missing at `slot` (its free slot). */
  private add(original: string, hash: number, slot: number): WordTokens {
    const tokens = analyzeWord(original);
    if (this.entries.length >= WordCache.limit) {
      this.entries = [];
      this.slots.fill(0);
      slot = hash & (this.slots.length - 1);
    }
    this.entries.push({ original, hash, tokens });
    this.slots[slot] = this.entries.length;
    if (this.entries.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return tokens;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    const mask = size - 1;
    this.entries.forEach((entry, i) => {
      let slot = entry.hash & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = i + 1;
    });
  }
}

/** FNV-1a over the UTF-16 code units of `text[start, end)`. */
function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function sameText(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

const wordCache = new WordCache();

// Classes of UTF-16 code units, each found once with the Unicode properties of the word pattern
// and of `\s` (matching the pattern with `matchAll` and testing each gap with a regex took a third
// of tokenising). Surrogates are `otherUnit`; a surrogate pair is classified by `wordLengthAt`.
const otherUnit = 1;
const wordUnit = 2;
const spaceUnit = 3;
const unitClasses = new Uint8Array(0x10000);
const wordCharacter = /^[\p{L}\p{M}\p{N}]$/u;
const whitespace = /^\s$/;

function unitClass(code: number): number {
  let unit = unitClasses[code]!;
  if (unit === 0) {
    const ch = String.fromCharCode(code);
    unit = wordCharacter.test(ch) ? wordUnit : whitespace.test(ch) ? spaceUnit : otherUnit;
    unitClasses[code] = unit;
  }
  return unit;
}

/** Code units of the word character at `i`: 1, 2 for one outside the BMP, 0 when there is none. */
function wordLengthAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (unitClass(code) === wordUnit) return 1;
  if (code >= 0xd800 && code <= 0xdbff) {
    const point = text.codePointAt(i)!;
    if (point > 0xffff && wordCharacter.test(String.fromCodePoint(point))) return 2;
  }
  return 0;
}

/** `- / . , : _`, which join the parts of a code, a date or a number. */
function isJoiner(code: number): boolean {
  return code === 0x2d || code === 0x2f || code === 0x2e || code === 0x2c || code === 0x3a || code === 0x5f;
}

/** Where the word starting at `start` ends: runs of word characters joined by single joiners. */
export function wordEnd(text: string, start: number): number {
  let i = start;
  for (;;) {
    for (let n = wordLengthAt(text, i); n > 0; n = wordLengthAt(text, i)) i += n;
    if (!isJoiner(text.charCodeAt(i)) || wordLengthAt(text, i + 1) === 0) return i;
    i++;
  }
}

/** Where the first word at or after `from` starts; the text's length when there is none. */
export function nextWordStart(text: string, from: number): number {
  let i = from;
  while (i < text.length && wordLengthAt(text, i) === 0) i++;
  return i;
}

/** Whether `text[from, to)` holds anything but white space (`\S`). */
function hasNonSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (unitClass(text.charCodeAt(i)) !== spaceUnit) return true;
  return false;
}

/**
 * Splits text into word tokens: syllables for Vietnamese, stemmed words for English,
 * numbers and codes kept whole (`2023-2024`, `3759/bgdđt-gdtx`) with their parts as extras.
 * English stopwords are dropped (a bigram may span them).
 */
export function tokenize(text: string): Token[] {
  const source = nfcWithoutControls(text);
  const tokens: Token[] = [];
  let end = 0;
  // A break before a dropped stopword (`phí. The giá`) still separates the next kept token.
  let pendingBreak = false;
  for (let start = nextWordStart(source, 0); start < source.length; start = nextWordStart(source, end)) {
    let breakBefore: boolean = pendingBreak || (tokens.length > 0 && hasNonSpace(source, end, start));
    end = wordEnd(source, start);
    for (const t of wordCache.tokensOf(source, start, end)) {
      tokens.push({ exact: t.exact, folded: t.folded, extra: t.extra, breakBefore: t.extra ? false : breakBefore });
      if (!t.extra) breakBefore = false;
    }
    pendingBreak = breakBefore;
  }
  return tokens;
}
