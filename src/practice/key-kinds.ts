import { findAnswerSpans } from '../answer/index.js';

/**
 * The kinds of key an item blanks. A distractor is always of its key's kind: an amount for an
 * amount, a date for a date, another defined term for a defined term.
 */
export type KeyKind = 'money' | 'percent' | 'date' | 'year' | 'weekday' | 'time' | 'quantity' | 'term' | 'name';

/** A span of a sentence that can be blanked. */
export interface KeySpan {
  kind: KeyKind;
  start: number;
  end: number;
  text: string;
}

const weekday = /^(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?)$/iu;
const bareYear = /^(?:năm\s+)?(?:1[89]|20)\d{2}$/iu;
const numericDate = /^\d{1,2}\/\d{1,2}(?:\/\d{2,4})?$/u;
const time = /^\d{1,2}(?:\s?h\s?\d{0,2}|:\d{2}|\s?giờ(?:\s?\d{1,2}(?:\s?phút)?)?)$|^\d{1,2}(?::\d{2})?\s?(?:am|pm)$/iu;

/** The kind of a date-like span: a full date, a bare year, a weekday (others are too loose to blank). */
function dateKind(text: string): KeyKind | null {
  const t = text.trim();
  if (weekday.test(t)) return 'weekday';
  if (bareYear.test(t)) return 'year';
  if (numericDate.test(t)) return 'date';
  if (/^\d{1,2}\s+\p{Lu}\p{Ll}+(?:\s+\d{4})?$|^\p{Lu}\p{Ll}+\s+\d{1,2}$/u.test(t)) return 'date'; // 5 May 2026, May 5
  return null;
}

/**
 * The figures of a sentence that make a good blank: amounts of money, percentages, dates, years,
 * weekdays, times of day and numbers with their unit (`3 tháng`, `45 phút`). Bare counts are left
 * out: "3" alone could be anything, and a learner cannot tell what is asked.
 */
export function findFigureKeys(sentence: string): KeySpan[] {
  const spans: KeySpan[] = [];
  const add = (kind: KeyKind, s: { start: number; end: number; text: string }) => {
    const text = s.text.trim();
    const start = s.start + s.text.indexOf(text);
    const end = start + text.length;
    // A figure glued to a code or a cell address (`$H$1`, `E2`) is not a figure.
    // "Ngày 19/5/1941" read as "Ngày 19", "8/1945" as 1945: a part of a longer date is not one either.
    if (/[\p{L}$\d/]/u.test(sentence[start - 1] ?? ' ') || /[\p{L}\d$/]/u.test(sentence[end] ?? ' ')) return;
    // "3 giờ tự học" is how long, not what time: a bare hour is a time only after "lúc", "từ", "đến".
    if (kind === 'time' && /^\d{1,2}\s?giờ$/u.test(text) && !/(?:lúc|từ|đến|tới|vào)\s*$/u.test(sentence.slice(0, start))) return;
    // "tuần 1 tháng 10": a number before a month name is not a duration.
    if (kind === 'quantity' && /^\s*\d/.test(sentence.slice(end))) return;
    if (!spans.some((o) => start < o.end && end > o.start)) spans.push({ kind, start, end, text });
  };
  for (const m of sentence.matchAll(/(?<![\d/])\d{1,2}\/\d{1,2}(?:\/\d{4})?(?![\d/])/gu))
    add('date', { start: m.index, end: m.index + m[0].length, text: m[0] });
  for (const s of findAnswerSpans(sentence, 'money')) {
    if (/%$/.test(s.text.trim())) add('percent', s);
    else if (/\d/.test(s.text)) add('money', s);
  }
  for (const s of findAnswerSpans(sentence, 'time')) if (time.test(s.text.trim())) add('time', s);
  for (const s of findAnswerSpans(sentence, 'date')) {
    const kind = dateKind(s.text);
    if (kind) add(kind, s);
  }
  for (const s of findAnswerSpans(sentence, 'duration')) if (/\d/.test(s.text)) add('quantity', s);
  return spans.sort((a, b) => a.start - b.start);
}

/** The unit of a figure (`đồng`, `tháng`, `%`), lower case; '' when it has none. */
export function unitOf(text: string): string {
  return text
    .replace(/[\d.,:/\s$]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The number of a figure, reading `450.000` and `1,5` the Vietnamese way; NaN when none. */
export function numberOf(text: string): number {
  const m = text.match(/\d[\d.,]*/);
  if (!m) return NaN;
  const raw = m[0].replace(/[.,]$/, '');
  // Groups of three after a dot or comma are thousands; a single short tail is a decimal.
  if (/^\d{1,3}(?:[.,]\d{3})+$/.test(raw)) return Number(raw.replace(/[.,]/g, ''));
  return Number(raw.replace(',', '.'));
}
