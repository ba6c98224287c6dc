/**
 * Retrieval over a scanned handbook vs the text-layer handbook (issue 18, item 3):
 *
 *   npx tsx evals/ocr/scanned-handbook-eval.ts [--dpi 300] [--json out.json]
 *
 * Ingests the sample corpus twice into temporary data folders: once as shipped, once with
 * corpus/so-tay-hoc-vien.pdf replaced by its scanned version (every page drawn at `dpi` as a JPEG
 * into an image-only PDF of the same name, so every page is read by OCR). Then asks every golden
 * question whose gold passages are in that PDF (follow-ups excluded: they need the previous turn)
 * with the engine's default retrieval, k = 10, and reports hit@1, hit@5 and MRR@10 of each.
 * Target: hit@5 of the scanned corpus within 0.03 of the text one.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { closeSharedOcrEngine } from '../../src/ocr/index.js';
import { openCorpus, type CorpusView } from '../lib/corpus-engine.js';
import { retrievalAgainstGold } from '../lib/gold-match.js';
import { loadGoldenSets } from '../lib/golden-schema.js';
import { scanPdf } from './scan-pages.js';

const { values } = parseArgs({ options: { dpi: { type: 'string', default: '300' }, json: { type: 'string' } } });
const root = resolve(import.meta.dirname, '../..');
const corpusDir = join(root, 'corpus');
const handbook = 'so-tay-hoc-vien.pdf';

const questions = loadGoldenSets(join(root, 'evals/golden')).filter(
  (q) => q.followUpOf === undefined && q.gold.length > 0 && q.gold.every((g) => g.doc === handbook),
);

async function measure(corpus: CorpusView) {
  const per: Array<{ id: string } & ReturnType<typeof retrievalAgainstGold>> = [];
  for (const q of questions) {
    const ranking = await corpus.engine.retrieve(q.question, { k: 10 });
    const ranked = ranking.results.flatMap((r) => {
      const info = corpus.chunk(r.chunk.id);
      return info ? [info] : [];
    });
    per.push({ id: q.id, ...retrievalAgainstGold(ranked, q.gold) });
  }
  const mean = (f: (m: (typeof per)[number]) => number) => per.reduce((s, m) => s + f(m), 0) / per.length;
  return { hit1: mean((m) => m.hit1), hit5: mean((m) => m.hit5), mrr10: mean((m) => m.mrr10), per };
}

const scannedDir = mkdtempSync(join(tmpdir(), 'trogiang-scanned-corpus-'));
try {
  for (const name of readdirSync(corpusDir, { withFileTypes: true })) {
    if (name.isFile()) copyFileSync(join(corpusDir, name.name), join(scannedDir, name.name));
  }
  const started = performance.now();
  const scanned = await scanPdf(new Uint8Array(readFileSync(join(corpusDir, handbook))), Number(values.dpi));
  writeFileSync(join(scannedDir, handbook), scanned);
  console.error(
    `scanned ${handbook} at ${values.dpi} dpi: ${(scanned.length / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const text = await openCorpus('text', corpusDir, 'default');
  const textScores = await measure(text);
  text.close();
  // The OCR limit is for uploads; the 19-page handbook is under it anyway.
  const scan = await openCorpus('scanned', scannedDir, 'default');
  console.error(`scanned corpus ingested in ${(scan.ingestMs / 1000).toFixed(0)} s`);
  const scanScores = await measure(scan);
  scan.close();

  const fmt = (n: number) => n.toFixed(3);
  console.log(`${questions.length} golden questions with gold passages in ${handbook} (follow-ups excluded)`);
  console.log('| handbook | hit@1 | hit@5 | MRR@10 |');
  console.log('|---|---|---|---|');
  console.log(`| text layer | ${fmt(textScores.hit1)} | ${fmt(textScores.hit5)} | ${fmt(textScores.mrr10)} |`);
  console.log(`| scanned at ${values.dpi} dpi (OCR) | ${fmt(scanScores.hit1)} | ${fmt(scanScores.hit5)} | ${fmt(scanScores.mrr10)} |`);
  const gap = textScores.hit5 - scanScores.hit5;
  console.log(
    `hit@5 gap: ${fmt(gap)} (target <= 0.030): ${gap <= 0.03 ? 'met' : 'NOT met'}; ingest of the scanned corpus ${(scan.ingestMs / 1000).toFixed(0)} s`,
  );
  const changed = textScores.per.filter((t, i) => t.hit5 !== scanScores.per[i]!.hit5).map((t) => t.id);
  if (changed.length) console.log(`hit@5 differs on: ${changed.join(', ')}`);
  if (values.json)
    writeFileSync(
      values.json,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          dpi: Number(values.dpi),
          questions: questions.length,
          text: textScores,
          scanned: scanScores,
          scannedIngestMs: scan.ingestMs,
        },
        null,
        2,
      ),
    );
} finally {
  rmSync(scannedDir, { recursive: true, force: true });
  await closeSharedOcrEngine();
}
