import { foldDiacritics, normalizeToneMarks } from '../../src/text/index.js';

/** `[1]`, `[1, 3]`, `［２］`: the citation markers of an answer. */
export const citationMarker = /[[［]\s*[0-9０-９]{1,3}(?:\s*[,;，；、]\s*[0-9０-９]{1,3})*\s*[\]］]/g;

/** The answer text without its citation markers. */
export function stripCitations(text: string): string {
  return text.replace(citationMarker, ' ');
}

/**
 * The comparison form of an answer or a gold string, so that writing variants do not count as
 * differences:
 *
 * 1. Unicode NFC and one tone-mark placement (`hoà` = `hòa`), then lower case;
 * 2. citation markers removed;
 * 3. numbers: thousands separators dropped (`350.000`, `350,000` → `350000`), a decimal comma
 *    becomes a dot (`7,5` → `7.5`);
 * 4. diacritics folded (`học phí` → `hoc phi`, `đ` → `d`): a reference typed without marks still
 *    matches (`fold: false` keeps them);
 * 5. every other character that is not a letter or digit becomes a space (`8h35-8h55` →
 *    `8h35 8h55`, `04/01/2027` → `04 01 2027`), spaces collapsed.
 *
 * @example normalizeAnswer('Học phí: 350.000 đồng/tháng [1].') === 'hoc phi 350000 dong thang'
 */
export function normalizeAnswer(text: string, options: { fold?: boolean } = {}): string {
  let s = normalizeToneMarks(text.normalize('NFC')).toLowerCase();
  s = stripCitations(s);
  s = s.replace(/(\d)[.,](?=\d{3}(?!\d))/g, '$1');
  s = s.replace(/(\d),(?=\d)/g, '$1.');
  if (options.fold ?? true) s = foldDiacritics(s);
  s = s.replace(/(\d)\.(?=\d)/g, '$1\u0000');
  s = s.replace(/[^\p{L}\p{N}\u0000]+/gu, ' ').replace(/\u0000/g, '.');
  return s.trim();
}

const englishArticles = new Set(['a', 'an', 'the']);

/**
 * Tokens for token F1: the normalised text split at spaces. Vietnamese is written one syllable
 * per space-separated token, so these are syllables; in English they are words, with the
 * articles `a`, `an`, `the` dropped (as SQuAD's evaluation does).
 */
export function answerTokens(text: string, lang: 'vi' | 'en'): string[] {
  const tokens = normalizeAnswer(text).split(' ').filter(Boolean);
  return lang === 'en' ? tokens.filter((t) => !englishArticles.has(t)) : tokens;
}

/** Whether `phrase` occurs in `text` as whole tokens, both normalised. An empty phrase never does. */
export function containsPhrase(text: string, phrase: string): boolean {
  const p = normalizeAnswer(phrase);
  if (p === '') return false;
  return ` ${normalizeAnswer(text)} `.includes(` ${p} `);
}
