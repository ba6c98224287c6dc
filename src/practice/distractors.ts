import type { KeyKind, KeySpan } from './key-kinds.js';
import { numberOf, unitOf } from './key-kinds.js';
import { answerForm } from './answer-form.js';

/** The candidate keys of one document, by kind: where distractors are drawn from first. */
export type KeyPool = Map<KeyKind, string[]>;

export function addToPool(pool: KeyPool, span: KeySpan): void {
  const list = pool.get(span.kind) ?? [];
  if (!list.some((t) => answerForm(t) === answerForm(span.text))) list.push(span.text);
  pool.set(span.kind, list);
}

const numericKinds: ReadonlySet<KeyKind> = new Set(['money', 'percent', 'quantity']);

/** Writes a number like the key writes it: thousands with `.` (or `,` in English), same decimals. */
function formatLike(key: string, value: number): string {
  const m = key.match(/\d[\d.,]*\d|\d/)!;
  const raw = m[0];
  const grouped = /^\d{1,3}(?:([.,])\d{3})+$/.exec(raw);
  let digits: string;
  if (grouped || value >= 10_000) {
    const sep = grouped?.[1] ?? (/[.]/.test(raw) ? '.' : ',');
    digits = Math.round(value)
      .toString()
      .replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  } else {
    const decimals = /[.,](\d+)$/.exec(raw)?.[1]?.length ?? 0;
    digits = decimals > 0 ? value.toFixed(decimals).replace('.', raw.includes(',') ? ',' : '.') : String(Math.round(value));
  }
  return key.slice(0, m.index) + digits + key.slice(m.index! + raw.length);
}

/** Round figures near the key's magnitude (half, double, one and a half…) as a last resort. */
function nearAmounts(key: string): string[] {
  const value = numberOf(key);
  if (!Number.isFinite(value) || value <= 0) return [];
  // Round figures, as the materials write them: 45 × 1.5 is offered as 70, not 68.
  const step = value >= 1000 ? 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1) : value >= 20 ? 5 : 1;
  const percent = /%$/.test(key.trim());
  const factors = value < 10 || percent ? [] : [1.5, 0.5, 2, 0.75, 1.25, 3];
  const out = factors.map((f) => Math.max(step, Math.round((value * f) / step) * step));
  if (percent) out.push(value + 10, value - 10, value + 20, value - 20, value + 5, value - 5);
  if (value < 10) out.push(value + 1, value + 2, value - 1, value + 3);
  return out.filter((v) => v > 0 && v !== value && (!percent || v <= 100)).map((v) => formatLike(key, v));
}

const pad = (n: number, like: string) => (like.length === 2 ? String(n).padStart(2, '0') : String(n));

/** Other times: half an hour and an hour either side, written like the key (`7h30`, `07:30`, `7 giờ`). */
function nearTimes(key: string): string[] {
  const m = /^(\d{1,2})(\s?h\s?|:|\s?giờ\s?)?(\d{0,2})(.*)$/iu.exec(key);
  if (!m) return [];
  const [, h, sep = '', mm = '', rest = ''] = m;
  const minutes = Number(h) * 60 + Number(mm || 0);
  return [60, -60, 30, -30, 120, -120, 90, -90, 180, -180]
    .map((d) => minutes + d)
    .filter((t) => t >= 0 && t < 24 * 60 && (mm !== '' || t % 60 === 0))
    .map((t) => `${pad(Math.floor(t / 60), h!)}${sep}${mm !== '' ? String(t % 60).padStart(2, '0') : ''}${rest}`);
}

/** Other dates: a week, a day, a month either side (`02/9/2026` → `09/9/2026`). */
function nearDates(key: string): string[] {
  const m = /^(\d{1,2})\/(\d{1,2})(\/\d{2,4})?$/.exec(key);
  if (!m) return [];
  const [, d, mo, y = ''] = m;
  const day = Number(d);
  const month = Number(mo);
  const out: string[] = [];
  for (const delta of [7, -7, 1, -1, 14]) if (day + delta >= 1 && day + delta <= 28) out.push(`${pad(day + delta, d!)}/${mo}${y}`);
  for (const delta of [1, -1]) if (month + delta >= 1 && month + delta <= 12) out.push(`${d}/${pad(month + delta, mo!)}${y}`);
  return out;
}

function nearYears(key: string): string[] {
  const m = /^(.*?)(\d{4})$/u.exec(key);
  if (!m) return [];
  return [1, -1, 2, -2, 5, -5].map((d) => `${m[1]}${Number(m[2]) + d}`);
}

const weekdaysVi = ['thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'];
const weekdaysEn = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function otherWeekdays(key: string): string[] {
  const list = /^[a-z]/i.test(key) && !/^thứ|^chủ/iu.test(key) ? weekdaysEn : weekdaysVi;
  const capital = /^[A-ZĐ]/u.test(key);
  return list.map((w) => (capital ? w[0]!.toUpperCase() + w.slice(1) : w[0]!.toLowerCase() + w.slice(1)));
}

/** The made-up figures of a kind near the key (none for terms and names: those come from the text). */
function madeUp(kind: KeyKind, key: string): string[] {
  switch (kind) {
    case 'money':
    case 'percent':
    case 'quantity':
      return nearAmounts(key);
    case 'time':
      return nearTimes(key);
    case 'date':
      return nearDates(key);
    case 'year':
      return nearYears(key);
    case 'weekday':
      return otherWeekdays(key);
    default:
      return [];
  }
}

/** A date as a rough day count (`19/12/1946`), to prefer the dates nearest the key. */
function dayNumber(text: string): number {
  const [d = 0, m = 0, y = 0] = text.split('/').map(Number);
  return y * 372 + m * 31 + d;
}

/** How alike a candidate is to the key, lower first: magnitude for figures, shape for names. */
function distance(kind: KeyKind, key: string, other: string): number {
  if (numericKinds.has(kind) || kind === 'year') {
    const a = numberOf(key);
    const b = numberOf(other);
    return Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0 ? Math.abs(Math.log(a / b)) : 99;
  }
  if (kind === 'date') return Math.abs(dayNumber(key) - dayNumber(other));
  if (kind === 'term' || kind === 'name') {
    // Siblings first: "Hiệp định X" for "Hiệp định Y", then phrases of the same length.
    const [kw, ow] = [key.split(/\s+/), other.split(/\s+/)];
    // …and in the same language: an English menu name for an English one, not a Vietnamese unit.
    const ascii = (t: string) => /^[\x00-\x7f]*$/.test(t);
    return (kw[0] === ow[0] ? 0 : 2) + Math.abs(kw.length - ow.length) * 0.5 + (ascii(key) === ascii(other) ? 0 : 3);
  }
  return 0;
}

/** Whether a candidate has the key's kind and shape: same unit for amounts, same writing for dates. */
function sameShape(kind: KeyKind, key: string, other: string): boolean {
  if (numericKinds.has(kind)) return unitOf(key) === unitOf(other);
  if (kind === 'date') return /\/\d{2,4}$/.test(key) === /\/\d{2,4}$/.test(other) && /\d/.test(other);
  if (kind === 'year') return /^\D*/u.exec(key)![0] === /^\D*/u.exec(other)![0];
  if (kind === 'time') return /h/i.test(key) === /h/i.test(other) && /:/.test(key) === /:/.test(other);
  return true;
}

export interface DistractorRequest {
  kind: KeyKind;
  key: string;
  /** The sentence the key is blanked in: nothing it already says may be a distractor. */
  sentence: string;
  pool: KeyPool;
  /** True when the sentence, the blank filled with this text, is said somewhere in the material. */
  trueInMaterial: (candidate: string) => boolean;
  /** What else the sentence asks of a candidate (a time inside its range); all pass when absent. */
  fits?: (candidate: string) => boolean;
  count?: number;
}

/**
 * Three wrong answers of the key's kind: from the same document first (the nearest amounts, other
 * dates, sibling terms), then, for figures, made-up ones near the key. A candidate that the
 * sentence already holds, that repeats the key or another distractor, or that would make the
 * sentence true somewhere in the material is skipped. Fewer than `count` when the text has too few.
 */
export function pickDistractors(request: DistractorRequest): string[] {
  const { kind, key, sentence, count = 3 } = request;
  const seen = new Set([answerForm(key)]);
  const inSentence = answerForm(sentence);
  const fromText = (request.pool.get(kind) ?? [])
    .filter((c) => sameShape(kind, key, c))
    .sort((a, b) => distance(kind, key, a) - distance(kind, key, b));
  // Figures far from the key are easy to rule out: prefer made-up near ones to a text figure 100× off.
  const near = numericKinds.has(kind)
    ? fromText.filter((c) => distance(kind, key, c) < Math.log(10))
    : kind === 'year'
      ? fromText.filter((c) => Math.abs(numberOf(c) - numberOf(key)) <= 10)
      : fromText;
  const out: string[] = [];
  for (const candidate of [...near, ...madeUp(kind, key)]) {
    const form = answerForm(candidate);
    if (out.length >= count) break;
    if (kind === 'percent' && numberOf(candidate) > 100) continue;
    if (request.fits && !request.fits(candidate)) continue;
    if (form === '' || seen.has(form) || ` ${inSentence} `.includes(` ${form} `)) continue;
    seen.add(form);
    if (request.trueInMaterial(candidate)) continue;
    out.push(candidate);
  }
  return out;
}
