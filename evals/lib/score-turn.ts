import { foldDiacritics, normalizeToneMarks } from '../../src/text/index.js';
import { stripCitations } from './normalize-answer.js';
import type { Expectation } from './conversation-schema.js';

/** Default of `expect.within`: the expected text must be in the answer's first 400 characters. */
export const defaultWithin = 400;

/**
 * The comparison form of an answer or an expected string (CONVERSATION-FORMAT.md): NFC, one
 * tone-mark placement, lower case, citation markers removed, diacritics folded (`đ` → `d`), and
 * every character that is not a letter, a digit or one of `. , $ @ % #` turned into a space,
 * spaces collapsed. Dots and commas stay because inside a number they are separators the
 * matcher must see ("350.000"); `$ @ % #` stay because a reference like `$H$1`, an address's `@`
 * or "150%" would otherwise lose what makes it specific.
 *
 * @example foldForMatch('Học phí: 350.000 đồng/tháng [1].') === 'hoc phi 350.000 dong thang .'
 */
export function foldForMatch(text: string): string {
  let s = normalizeToneMarks(text.normalize('NFC')).toLowerCase();
  s = stripCitations(s);
  s = foldDiacritics(s);
  s = s.replace(/[^\p{L}\p{N}.,$@%#]+/gu, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pattern that finds `expected` in a folded answer, with number spacing forgiven: between two
 * digits of the expected text the answer may have nothing, a space, a dot or a comma, whatever
 * the expected text had there ("350.000" = "350 000" = "350,000" = "350000"; "0263 3 812 579" =
 * "02633812579"). Elsewhere a run of spaces, dots and commas in the expected text matches any such
 * run. The match must start and end at a word edge, and a number must not continue into more
 * digits ("150.000" is not found in "3.150.000", nor "2.000" in "2.000.000"; a unit may follow,
 * "350000đ"). Letters and digits
 * are otherwise matched exactly: "7h00" does not match "7 giờ 00" or "7:00" (list every spelling
 * the materials use).
 */
export function expectedPattern(expected: string): RegExp | null {
  const folded = foldForMatch(expected)
    .replace(/^[.,]+|[.,]+$/g, '')
    .trim();
  if (!/[\p{L}\p{N}]/u.test(folded)) return null;
  let body = '';
  let i = 0;
  while (i < folded.length) {
    const sep = /^[ .,]+/.exec(folded.slice(i));
    if (sep) {
      const before = folded[i - 1] ?? '';
      const after = folded[i + sep[0].length] ?? '';
      body += /\d/.test(before) && /\d/.test(after) ? '[ .,]?' : '[ .,]+';
      i += sep[0].length;
      continue;
    }
    const ch = folded[i]!;
    const next = folded[i + 1] ?? '';
    body += escapeRegExp(ch);
    if (/\d/.test(ch) && /\d/.test(next)) body += '[ .,]?';
    i++;
  }
  const first = folded[0]!;
  const last = folded[folded.length - 1]!;
  const start = /\d/.test(first) ? '(?<![\\p{L}\\p{N}])(?<!\\d[.,])' : /[\p{L}]/u.test(first) ? '(?<![\\p{L}\\p{N}])' : '';
  // A number may run into a unit ("350000đ", "25MB") but not into more digits.
  const end = /\d/.test(last) ? '(?!\\d)(?![.,]\\d)' : /[\p{L}]/u.test(last) ? '(?![\\p{L}\\p{N}])' : '';
  return new RegExp(`${start}${body}${end}`, 'u');
}

/** Whether `expected` appears in the first `within` characters of `answer` (see {@link expectedPattern}). */
export function answerContains(answer: string, expected: string, within = defaultWithin): boolean {
  const pattern = expectedPattern(expected);
  if (!pattern) return false;
  return pattern.test(foldForMatch(answer.slice(0, within)));
}

/** What the service returned for one turn, as far as scoring needs it. */
export interface TurnReply {
  answer: string;
  answerable: boolean;
}

/** Why a turn was scored as it was. */
export type TurnVerdict =
  | 'declined' // expected a decline and got one
  | 'answered' // expected facts and the answer leads with them
  | 'not-declined' // expected a decline, got an answer
  | 'wrongly-declined' // expected facts, got a decline
  | 'missing-fact'; // answered, but without the expected text in its first `within` characters

/** Scores one turn: pure, no I/O. */
export function scoreTurn(expect: Expectation, reply: TurnReply): { correct: boolean; verdict: TurnVerdict } {
  if (expect === 'decline') return reply.answerable ? { correct: false, verdict: 'not-declined' } : { correct: true, verdict: 'declined' };
  if (!reply.answerable) return { correct: false, verdict: 'wrongly-declined' };
  const within = expect.within ?? defaultWithin;
  const anyOk = expect.any.some((e) => answerContains(reply.answer, e, within));
  const allOk = (expect.all ?? []).every((e) => answerContains(reply.answer, e, within));
  return anyOk && allOk ? { correct: true, verdict: 'answered' } : { correct: false, verdict: 'missing-fact' };
}
