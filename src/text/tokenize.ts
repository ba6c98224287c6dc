import { stemmer } from 'stemmer';
import { foldDiacritics } from './fold-diacritics.js';
import { cleanText, normalizeForMatch } from './normalize-text.js';

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

// A word, or a run of words joined by - / . , : _ (a code, a date, a number).
const wordPattern = /[\p{L}\p{M}\p{N}]+(?:[-/.,:_][\p{L}\p{M}\p{N}]+)*/gu;
const joiners = /[-/.,:_]/;
const digit = /\p{N}/u;
const asciiWord = /^[a-z]+$/;
// Onset + up to three vowels + coda: the shape of a Vietnamese syllable typed without marks.
const vietnameseSyllable = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$/;

/** English function words dropped from lexical terms (Lucene's list). */
export const englishStopwords: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
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

interface WordForms {
  /** Tokens this word yields, before `breakBefore` is set (parts of codes are extras). */
  tokens: ReadonlyArray<Omit<Token, 'breakBefore'>>;
}

const wordCache = new Map<string, WordForms>();
const wordCacheLimit = 200_000;

/** The tokens of one matched word, memoised: most words of a corpus repeat. */
function analyzeWord(original: string): WordForms {
  const cached = wordCache.get(original);
  if (cached) return cached;
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
  const forms = { tokens };
  if (wordCache.size >= wordCacheLimit) wordCache.clear();
  wordCache.set(original, forms);
  return forms;
}

const nonSpace = /\S/;

/**
 * Splits text into word tokens: syllables for Vietnamese, stemmed words for English,
 * numbers and codes kept whole (`2023-2024`, `3759/bgdđt-gdtx`) with their parts as extras.
 * English stopwords are dropped (a bigram may span them).
 */
export function tokenize(text: string): Token[] {
  const source = cleanText(text);
  const tokens: Token[] = [];
  let lastEnd = 0;
  // A break before a dropped stopword (`phí. The giá`) still separates the next kept token.
  let pendingBreak = false;
  for (const match of source.matchAll(wordPattern)) {
    const original = match[0];
    const start = match.index;
    let breakBefore: boolean =
      pendingBreak || (tokens.length > 0 && start > lastEnd && nonSpace.test(source.slice(lastEnd, start)));
    lastEnd = start + original.length;
    for (const t of analyzeWord(original).tokens) {
      tokens.push({ exact: t.exact, folded: t.folded, extra: t.extra, breakBefore: t.extra ? false : breakBefore });
      if (!t.extra) breakBefore = false;
    }
    pendingBreak = breakBefore;
  }
  return tokens;
}
