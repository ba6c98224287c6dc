import { normalizeBounded } from './combining-marks.js';

const combiningMarks = /[\u0300-\u036f]/g;

/**
 * Strips every diacritic, keeping the base letters: `học phí` → `hoc phi`, `Đồng` → `Dong`.
 * Learners often type without diacritics, so this is the second, looser form of every term.
 */
export function foldDiacritics(text: string): string {
  // Bounded runs of marks: NFD's reordering is quadratic in a run's length (see combining-marks.ts).
  return normalizeBounded(text, 'NFD').replace(combiningMarks, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** True when the text carries any Vietnamese (or other Latin) diacritic or `đ`. */
export function hasDiacritics(text: string): boolean {
  return foldDiacritics(text) !== text;
}
