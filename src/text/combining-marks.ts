/**
 * Bounds on runs of combining marks, so Unicode normalisation stays linear on any input.
 *
 * NFC and NFD put the combining marks after a letter in canonical order with an insertion sort:
 * a run of n marks of mixed classes costs n² steps. `'a' + '\u0301\u0323\u0302' × 40,000`
 * (240 KB) took 5.5 s per `text.normalize('NFC')` and blocked the server for every request that
 * read it; a 2 MB file of them blocked it for about 7 minutes. Real text carries at most a few
 * marks per letter (Vietnamese: two, `ệ` = e + ̂ + ̣); Unicode's "Stream-Safe Text Format"
 * (UAX #15) bounds a run at 30, which is the limit here.
 */

/** The longest run of combining marks kept (UAX #15 stream-safe limit). */
export const maxCombiningRun = 30;

// Matching a run of at most 31 marks, then skipping ahead: linear in the text whatever it holds.
const longRun = new RegExp(`\\p{M}{${maxCombiningRun + 1},}`, 'gu');

/** The first run of more than `maxCombiningRun` combining marks: where it starts and how long it is (in code points). */
export function findLongCombiningRun(text: string): { index: number; length: number } | undefined {
  longRun.lastIndex = 0;
  const match = longRun.exec(text);
  if (!match) return undefined;
  let length = 0;
  for (const _ of match[0]) length++;
  return { index: match.index, length };
}

/**
 * `text` with every run of combining marks cut to its first `maxCombiningRun` marks; the same
 * string when it has none longer (all ordinary text). Call before `normalize()` on text from
 * outside: the result normalises in linear time.
 */
export function limitCombiningRuns(text: string): string {
  longRun.lastIndex = 0;
  if (!longRun.test(text)) return text;
  return text.replace(longRun, (run) => Array.from(run).slice(0, maxCombiningRun).join(''));
}

/** `text.normalize(form)` on `limitCombiningRuns(text)`: linear on any input. */
export function normalizeBounded(text: string, form: 'NFC' | 'NFD'): string {
  return limitCombiningRuns(text).normalize(form);
}
