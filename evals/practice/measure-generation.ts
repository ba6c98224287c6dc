/**
 * Practice item generation, measured (docs/practice.md): the share of items passing the automatic
 * checks per document of the shipped corpus, the generation time for the corpus and for a generated
 * 300-page collection (ten 30-page PDFs of the corpus's lesson sentences, pdfkit, DejaVu Sans), and a
 * seeded sample of items for the rubric review (evals/practice/review.md).
 *
 *   npm run eval:practice                      # both measurements
 *   npm run eval:practice -- --corpus-only     # the shipped corpus only
 *   npm run eval:practice -- --sample 60       # also print 60 sampled passing items (seed 19)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { Engine } from '../../src/engine/index.js';
import { PracticeService, type PracticeItem } from '../../src/practice/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { dejaVuSansPath } from '../../test/support/make-fixtures.js';
import { openCorpus } from '../lib/corpus-engine.js';
import { mulberry32 } from '../perf/corpus-gen.js';
import { largeMarkdown } from '../perf/large-markdown.js';

const args = process.argv.slice(2);
const sampleSize = args.includes('--sample') ? Number(args[args.indexOf('--sample') + 1]) : 0;
const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);

async function measureCorpus(): Promise<PracticeItem[]> {
  const view = await openCorpus('corpus', join(import.meta.dirname, '../../corpus'), 'corpus');
  try {
    const practice = new PracticeService(view.engine);
    const report = await practice.sync('corpus');
    console.log(`\n## Shipped corpus (${report.documents.length} documents)\n`);
    console.log('| document | sentences with a key | skipped (why) | items | pass every check | pass rate | ms |');
    console.log('|---|---:|---|---:|---:|---:|---:|');
    const why = (s: Record<string, number>) =>
      Object.entries(s)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '—';
    for (const d of report.documents)
      console.log(
        `| ${d.title.slice(0, 60)} | ${d.candidates} | ${why(d.skipped)} | ${d.items} | ${d.passed} | ${pct(d.passed, d.candidates)} | ${Math.round(d.ms)} |`,
      );
    const sum = (f: (d: (typeof report.documents)[number]) => number) => report.documents.reduce((n, d) => n + f(d), 0);
    const skippedAll: Record<string, number> = {};
    for (const d of report.documents) for (const [k, v] of Object.entries(d.skipped)) skippedAll[k] = (skippedAll[k] ?? 0) + v;
    console.log(
      `| **all** | ${sum((d) => d.candidates)} | ${why(skippedAll)} | ${sum((d) => d.items)} | ${sum((d) => d.passed)} | ${pct(
        sum((d) => d.passed),
        sum((d) => d.candidates),
      )} | ${Math.round(report.ms)} |`,
    );
    console.log(
      `\nitems passing every check: ${pct(
        sum((d) => d.passed),
        sum((d) => d.items),
      )} of the items made`,
    );
    console.log(`\ngeneration time, shipped corpus: ${(report.ms / 1000).toFixed(1)} s (${view.chunks} chunks)`);
    return practice.items.list('corpus');
  } finally {
    view.close();
  }
}

/** A 30-page PDF of lesson text, about 1,500 characters a page. */
function lessonPdf(seed: number, pages: number): Promise<Buffer> {
  const paragraphs = largeMarkdown(pages * 1700, seed)
    .split('\n\n')
    .filter((p) => p.trim() && !p.startsWith('#'));
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', autoFirstPage: false, info: { Title: `Tài liệu ôn tập ${seed}` } });
    const parts: Buffer[] = [];
    pdf.on('data', (c: Buffer) => parts.push(c));
    pdf.on('end', () => resolve(Buffer.concat(parts)));
    pdf.on('error', reject);
    pdf.registerFont('DejaVu', dejaVuSansPath);
    let next = 0;
    for (let page = 1; page <= pages; page++) {
      pdf.addPage({ size: 'A4', margins: { top: 60, bottom: 60, left: 60, right: 60 } });
      let text = '';
      while (text.length < 1500) text += `${paragraphs[next++ % paragraphs.length]}\n\n`;
      pdf.font('DejaVu').fontSize(10).text(text.trim().slice(0, 2200), { width: 475, height: 720, ellipsis: false });
    }
    pdf.end();
  });
}

async function measureGenerated(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-practice-'));
  try {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    const files = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => ({
        bytes: await lessonPdf(101 + i, 30),
        fileName: `on-tap-${i + 1}.pdf`,
        collection: 'big',
      })),
    );
    const t0 = performance.now();
    const outcomes = await engine.ingest(files);
    const ingestMs = performance.now() - t0;
    const pages = (await engine.store.listDocuments('big')).reduce((n, d) => n + d.pages, 0);
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length) throw new Error(`ingest failed: ${failed.map((f) => f.fileName).join(', ')}`);
    const practice = new PracticeService(engine);
    const report = await practice.sync('big');
    const items = report.documents.reduce((n, d) => n + d.items, 0);
    const passed = report.documents.reduce((n, d) => n + d.passed, 0);
    const candidates = report.documents.reduce((n, d) => n + d.candidates, 0);
    console.log(
      `\n## Generated collection: ${report.documents.length} PDFs, ${pages} pages, ${await engine.store.countChunks()} chunks (ingest ${(ingestMs / 1000).toFixed(1)} s)\n`,
    );
    console.log(
      `sentences with a key ${candidates}, items ${items}, pass every check ${passed} (${pct(passed, candidates)} of the sentences, ${pct(passed, items)} of the items)`,
    );
    console.log(`generation time, ${pages}-page collection: ${(report.ms / 1000).toFixed(1)} s`);
    await engine.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const items = await measureCorpus();
if (sampleSize > 0) {
  // A seeded draw of passing items, the same every run on the same corpus and code.
  const random = mulberry32(19);
  const pool = items.filter((i) => i.passed);
  const sample: PracticeItem[] = [];
  while (sample.length < Math.min(sampleSize, pool.length)) sample.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
  const lines = sample.map(
    (i, n) =>
      `${n + 1}. [${i.type}/${i.kind}] ${i.prompt}\n   key: ${i.answer}${i.type === 'choice' ? ` | distractors: ${i.distractors.join(' · ')}` : ''}\n   (${i.title}${i.page ? `, p. ${i.page}` : ''})`,
  );
  const out = join(tmpdir(), 'trogiang-practice-sample.txt');
  writeFileSync(out, lines.join('\n') + '\n');
  console.log(`\n${sample.length} sampled items written to ${out}`);
}
if (!args.includes('--corpus-only')) await measureGenerated();
