/**
 * OCR accuracy and speed on scanned pages made from the handbook's own text (issue 18, item 3):
 *
 *   npx tsx evals/ocr/measure-ocr.ts [--pages 3] [--json out.json]
 *
 * 1. Character error rate (CER, `characterErrorRate`) of pages drawn at 150 and 300 dpi (PNG),
 *    and at 300 dpi "cheap scan" (rotated 1.2°, speckled, gray paper), against each page's text
 *    layer; with Tesseract's confidence per page.
 * 2. Pages per minute through the ingest path (`ocrPdfPages`: render on a worker thread, OCR on
 *    the engine's workers) of the same pages as an image-only PDF at 300 dpi.
 * 3. Confidence of pages with no text (noise, a blank sheet), for the low-confidence threshold.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCanvas } from '@napi-rs/canvas';
import { OcrEngine, ocrPage, ocrPdfPages } from '../../src/ocr/index.js';
import { characterErrorRate } from './character-error-rate.js';
import { handbookPages } from './handbook-pages.js';
import { degrade, makeTextPdf, pageTexts, renderPdf, scanPdf } from './scan-pages.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '3' }, json: { type: 'string' } } });
const count = Number(values.pages);

const textPdf = await makeTextPdf(handbookPages(count, { from: 3 }));
const references = await pageTexts(textPdf);
const engine = new OcrEngine();

interface Row {
  variant: string;
  page: number;
  cer: number;
  confidence: number;
  ms: number;
}
const rows: Row[] = [];
const variants: Array<[string, () => Promise<Uint8Array[]>]> = [
  ['150 dpi', () => renderPdf(textPdf, 150)],
  ['300 dpi', () => renderPdf(textPdf, 300)],
  [
    '300 dpi, noisy + rotated 1.2°',
    async () =>
      Promise.all((await renderPdf(textPdf, 300)).map((png, i) => degrade(png, { rotateDegrees: 1.2, speckle: 0.01, seed: 18 + i }))),
  ],
];
for (const [variant, make] of variants) {
  const images = await make();
  for (const [i, image] of images.entries()) {
    const started = performance.now();
    const read = await ocrPage(engine, image, i + 1);
    const row = {
      variant,
      page: i + 1,
      cer: characterErrorRate(read.text, references[i]!),
      confidence: read.confidence,
      ms: performance.now() - started,
    };
    rows.push(row);
    console.error(
      `${variant} p${row.page}: CER ${(row.cer * 100).toFixed(2)}%, confidence ${row.confidence}, ${(row.ms / 1000).toFixed(1)} s`,
    );
  }
}

// Pages with no text: what confidence does Tesseract give whatever it imagines there?
const noText: Array<{ what: string; confidence: number; chars: number }> = [];
for (const [what, fill] of [
  ['blank sheet', 0],
  ['gray noise', 1],
] as const) {
  const canvas = createCanvas(1240, 1754);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 1240, 1754);
  if (fill) {
    const data = ctx.getImageData(0, 0, 1240, 1754);
    let seed = 7;
    for (let i = 0; i < data.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const v = seed >>> 24;
      data.data[i] = data.data[i + 1] = data.data[i + 2] = v;
    }
    ctx.putImageData(data, 0, 0);
  }
  const read = await ocrPage(engine, new Uint8Array(await canvas.encode('png')), 1);
  noText.push({ what, confidence: read.confidence, chars: read.text.length });
  console.error(`${what}: confidence ${read.confidence}, ${read.text.length} characters read`);
}

const scanned = await scanPdf(textPdf, 300);
const loadBefore = loadavg()[0]!;
const cpuBefore = process.cpuUsage();
// How long this thread (the one answering learners in the service) is held while a scan is read.
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const started = performance.now();
const read = await ocrPdfPages(
  scanned,
  Array.from({ length: count }, (_, i) => i + 1),
  { engine },
);
const minutes = (performance.now() - started) / 60_000;
delay.disable();
const eventLoop = { maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 };
const pagesPerMinute = read.length / minutes;
// CPU time of this process, every thread included (render worker, Tesseract workers): a figure
// that does not depend on what else the machine runs. On an idle machine with one core per
// worker, pages a minute are about 60 / (CPU seconds a page) × workers.
const cpu = process.cpuUsage(cpuBefore);
const cpuSecondsPerPage = (cpu.user + cpu.system) / 1e6 / read.length;
const idlePagesPerMinute = (60 / cpuSecondsPerPage) * Math.min(engine.options.workers, availableParallelism());
const loadAverage = (loadBefore + loadavg()[0]!) / 2;
console.error(
  `ingest path (render + OCR, ${engine.options.workers} workers): ${read.length} pages in ${(minutes * 60).toFixed(1)} s = ${pagesPerMinute.toFixed(1)} pages/min at load average ${loadAverage.toFixed(1)}; ${cpuSecondsPerPage.toFixed(1)} CPU s a page`,
);
await engine.close();

const summary = Object.fromEntries(
  variants.map(([variant]) => {
    const own = rows.filter((r) => r.variant === variant);
    const mean = (f: (r: Row) => number) => own.reduce((s, r) => s + f(r), 0) / own.length;
    return [
      variant,
      {
        cer: mean((r) => r.cer),
        worstCer: Math.max(...own.map((r) => r.cer)),
        confidence: mean((r) => r.confidence),
        minConfidence: Math.min(...own.map((r) => r.confidence)),
        secondsPerPage: mean((r) => r.ms) / 1000,
      },
    ];
  }),
);
const report = {
  date: new Date().toISOString(),
  machine: { cores: availableParallelism(), cpu: cpus()[0]?.model },
  pages: count,
  workers: engine.options.workers,
  summary,
  noText,
  pagesPerMinute,
  loadAverage,
  cpuSecondsPerPage,
  idlePagesPerMinute,
  eventLoop,
  rows,
};
console.log('| variant | mean CER | worst page CER | mean confidence | lowest confidence | s / page (1 page at a time) |');
console.log('|---|---|---|---|---|---|');
for (const [variant, s] of Object.entries(summary)) {
  console.log(
    `| ${variant} | ${(s.cer * 100).toFixed(2)}% | ${(s.worstCer * 100).toFixed(2)}% | ${s.confidence.toFixed(1)} | ${s.minConfidence} | ${s.secondsPerPage.toFixed(1)} |`,
  );
}
console.log(`\nNo text: ${noText.map((n) => `${n.what} confidence ${n.confidence} (${n.chars} characters)`).join('; ')}`);
console.log(
  `Ingest path, ${count} pages at 300 dpi, ${engine.options.workers} workers: ${pagesPerMinute.toFixed(1)} pages/min measured (load average ${loadAverage.toFixed(1)} on ${availableParallelism()} cores); ${cpuSecondsPerPage.toFixed(1)} CPU s a page, so about ${idlePagesPerMinute.toFixed(1)} pages/min on an idle machine`,
);
console.log(
  `Event loop of the calling thread meanwhile: longest delay ${eventLoop.maxMs.toFixed(0)} ms, p99 ${eventLoop.p99Ms.toFixed(0)} ms`,
);
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
