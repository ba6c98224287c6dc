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

// A long run of marks, matched in a stretch of text found by `highStretch`: at most 31 steps from
// each position, so linear whatever the text holds.
const longRun = new RegExp(`\\p{M}{${maxCombiningRun + 1},}`, 'gu');
// Every combining mark is at U+0300 or above, so a long run lies inside a stretch of 31 or more
// UTF-16 units that are all at U+0300 or above (never splitting a surrogate pair). This one-range
// class scans much faster than \p{M} with the `u` flag, and ordinary Vietnamese or English text
// (spaces, ASCII letters) has no such stretch, so it pays only this scan.
const highStretch = new RegExp(`[^\\u0000-\\u02ff]{${maxCombiningRun + 1},}`, 'g');

/** Code points in `text` (a surrogate pair is one), without allocating. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) n--;
  }
  return n;
}

/** `run` cut after its first `count` code points, without splitting a surrogate pair. */
function firstCodePoints(run: string, count: number): string {
  let end = 0;
  for (let seen = 0; seen < count && end < run.length; seen++) {
    const unit = run.charCodeAt(end);
    end += unit >= 0xd800 && unit <= 0xdbff ? 2 : 1;
  }
  return run.slice(0, end);
}

/** The first run of more than `maxCombiningRun` combining marks: where it starts and how long it is (in code points). */
export function findLongCombiningRun(text: string): { index: number; length: number } | undefined {
  highStretch.lastIndex = 0;
  for (let stretch = highStretch.exec(text); stretch; stretch = highStretch.exec(text)) {
    longRun.lastIndex = 0;
    const match = longRun.exec(stretch[0]);
    if (match) return { index: stretch.index + match.index, length: codePoints(match[0]) };
  }
  return undefined;
}

/**
 * `text` with every run of combining marks cut to its first `maxCombiningRun` marks; the same
 * string when it has none longer (all ordinary text). Call before `normalize()` on text from
 * outside: the result normalises in linear time.
 */
export function limitCombiningRuns(text: string): string {
  if (!findLongCombiningRun(text)) return text;
  return text.replace(highStretch, (stretch) => stretch.replace(longRun, (run) => firstCodePoints(run, maxCombiningRun)));
}

/** `text.normalize(form)` on `limitCombiningRuns(text)`: linear on any input. */
export function normalizeBounded(text: string, form: 'NFC' | 'NFD'): string {
  return limitCombiningRuns(text).normalize(form);
}
