import { foldDiacritics, normalizeToneMarks } from '../text/index.js';
import { findAnswerSpans } from './answer-type.js';

/**
 * The unit an amount is given per: "Học phí một tháng bao nhiêu?" asks per month, and the
 * materials give the same fee per month, per term and per school year ("Nộp theo tháng: 350.000
 * đồng", "học kỳ I … 1.750.000 đồng"). Matching the units lets the answer lead with the amount
 * asked for.
 */
export type AmountUnit = 'month' | 'term' | 'year' | 'session' | 'course' | 'level';

const unitWords: ReadonlyArray<[AmountUnit, string]> = [
  ['month', 'thang|month|months|monthly'],
  ['term', 'hoc ky|ky|term|terms|semester'],
  ['year', 'nam hoc|nam|year|years|annual|yearly'],
  ['session', 'buoi|luot|session|sessions|lesson'],
  ['course', 'khoa hoc|khoa|course|courses'],
  ['level', 'bac|level|levels'],
];

/** Words that make a unit a rate in a question: "một tháng", "mỗi bậc", "per month", "cả khóa". */
const rateWords = 'mot|moi|1|hang|ca|theo|per|a|an|each|one|the whole|for one|for a';

const folded = (text: string) =>
  ` ${foldDiacritics(normalizeToneMarks(text.normalize('NFC')).toLowerCase())
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;

/** The unit a question asks an amount per ("một tháng", "per term", "cả khóa"), or null. */
export function askedUnit(question: string): AmountUnit | null {
  const text = folded(question);
  for (const [unit, words] of unitWords) {
    if (new RegExp(` (?:${rateWords}) (?:${words}) `).test(text) || (unit === 'month' && / monthly /.test(text))) return unit;
  }
  return null;
}

/** Characters either side of an amount within which its unit is written ("350.000 đồng/tháng", "theo tháng: 350.000 đồng"). */
const unitReach = 18;

/**
 * The units the amounts of a sentence are given per: the unit words just after an amount
 * ("350.000 đồng/tháng", "500,000 VND per month") or just before it ("Nộp theo tháng: 350.000
 * đồng", "Tuition per month: …").
 */
export function amountUnits(sentence: string): Set<AmountUnit> {
  const text = sentence.normalize('NFC');
  const units = new Set<AmountUnit>();
  for (const span of findAnswerSpans(text, 'money')) {
    const around = folded(`${text.slice(Math.max(0, span.start - unitReach), span.start)} ${text.slice(span.end, span.end + unitReach)}`);
    for (const [unit, words] of unitWords) if (new RegExp(` (?:${words}) `).test(around)) units.add(unit);
  }
  return units;
}

/** Score factors of a sentence whose amounts are given per the unit asked, or only per others. */
export const unitMatchFactor = 1.25;
export const otherUnitFactor = 0.8;

/** {@link unitMatchFactor} when an amount of the sentence is per `unit`, {@link otherUnitFactor} when its amounts are per other units only, else 1. */
export function unitFactor(unit: AmountUnit | null, sentence: string): number {
  if (!unit) return 1;
  const units = amountUnits(sentence);
  if (units.has(unit)) return unitMatchFactor;
  return units.size > 0 ? otherUnitFactor : 1;
}
