/**
 * Time of Unicode normalisation on a letter carrying n mixed combining marks
 * (`'a' + '\u0301\u0323\u0302' × n/3`, issue 15 item 5), doubling n: `String.normalize('NFC')`
 * as the code called it before (quadratic: the time quadruples), and `cleanText` now (linear:
 * it doubles). Also the same on 2 MB of ordinary Vietnamese text, which must not get slower.
 *
 *   npx tsx evals/perf/normalize-linear.ts [--max 96000]
 *
 * Prints one JSON line per size (see measure.ts); times are the fastest of several runs.
 */
import { parseArgs } from 'node:util';
import { singleLineText as ingestCleanText } from '../../src/ingest/normalize-text.js';
import { nfcWithoutControls as cleanText } from '../../src/text/index.js';
import { emit } from './measure.js';

// The definitions before the fix (src/text/normalize-text.ts and src/ingest/normalize-text.ts).
const oldControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;
const oldCleanText = (text: string) => text.normalize('NFC').replace(oldControl, '');
const oldIngestClean = (text: string) =>
  text
    .normalize('NFC')
    .replace(/[\t\n\r\f\v]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .replace(/[\u200B\u2060\uFEFF\u00AD]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/[\s\u2028\u2029]+/g, ' ')
    .trim();

const { values } = parseArgs({ options: { max: { type: 'string', default: '96000' } } });
const max = Number(values.max);

/** Fastest of `runs` calls, in ms: the machine is shared, and the fastest run is the code's own cost. */
function time(f: () => unknown, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    f();
    times.push(performance.now() - started);
  }
  return Number(Math.min(...times).toFixed(2));
}

for (let n = 6000; n <= max; n *= 2) {
  const text = `Học phí là a${'\u0301\u0323\u0302'.repeat(n / 3)} đồng`;
  const oldRuns = n <= 24_000 ? 3 : 1;
  emit({
    stage: 'normalize-marks',
    marks: n,
    chars: text.length,
    oldCleanTextMs: time(() => oldCleanText(text), oldRuns),
    cleanTextMs: time(() => cleanText(text), 15),
  });
}
const ordinary = 'Học phí lớp tin học cơ bản là 450.000 đồng mỗi tháng; lớp buổi tối học từ 18h00 đến 20h30.\n'.repeat(20_000);
const decomposed = ordinary.normalize('NFD');
for (const [form, text] of [
  ['NFC', ordinary],
  ['NFD', decomposed],
] as const) {
  emit({
    stage: 'normalize-ordinary',
    form,
    chars: text.length,
    oldCleanTextMs: time(() => oldCleanText(text), 7),
    cleanTextMs: time(() => cleanText(text), 7),
    oldIngestCleanMs: time(() => oldIngestClean(text), 7),
    ingestCleanMs: time(() => ingestCleanText(text), 7),
  });
}
