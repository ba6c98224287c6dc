/**
 * Where does the event loop stall during an ingest? Ingests a generated Markdown lesson
 * (`large-markdown.ts`, default 10 MB) into a temporary data folder, then re-indexes it, with a
 * 1 ms timer measuring every gap of the event loop over 80 ms, and the synchronous calls that
 * typically cause them timed (over 30 ms: BM25 flush, vector graph save/load, the store's
 * transaction statements, the worker's reply). The profile behind docs/performance.md.
 *
 *   npx tsx evals/perf/ingest-stalls.ts [megabytes] [--adds] [--pdf]   (--adds: also each BM25/vector add over 30 ms;
 *                                                              --pdf: the bench's 2,000-page PDF instead)
 *   GAP_MS=40 (gaps reported from), GAPS_JSON=file (the gaps, for profile-stalls.ts with --cpu-prof)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/index.js';
import { IdleWorker } from '../../src/threads/idle-worker.js';
import { Bm25Index, VectorIndex } from '../../src/indexes/index.js';
import { Bm25Shard } from '../../src/indexes/bm25-shard.js';
import { largeMarkdown } from './large-markdown.js';
import { openSqliteStore } from '../../src/store/index.js';
import { ensureBigPdf } from './make-big-pdf.js';

const megabytes = Number(process.argv.find((a) => /^\d+(\.\d+)?$/.test(a)) ?? 10);
const t0 = performance.now();
const at = () => `${((performance.now() - t0) / 1000).toFixed(2)} s`;
/** Times each synchronous call of `object[name]`; prints those over 30 ms. */
function timeCalls(object: any, name: string, label = name): void {
  const original = object[name];
  object[name] = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const result = original.apply(this, args);
    const ms = performance.now() - started;
    if (ms > 30) process.stderr.write(`  ${at()}  ${label} ${ms.toFixed(0)} ms\n`);
    return result;
  };
}
timeCalls(Bm25Shard.prototype, 'flush', 'bm25 flush');
timeCalls(VectorIndex.prototype, 'save', 'vector graph save');
timeCalls(VectorIndex, 'load', 'vector graph load');
timeCalls(VectorIndex.prototype, 'startBackgroundBuild', 'vector worker start (graph snapshot)');
timeCalls(IdleWorker.prototype, 'settle', 'worker reply received');
if (process.argv.includes('--adds')) {
  timeCalls(Bm25Index.prototype, 'add', 'bm25 add');
  timeCalls(VectorIndex.prototype, 'add', 'vector add');
}
const dir = mkdtempSync(join(tmpdir(), 'trogiang-stalls-'));
const engine = await Engine.open({
  store: openSqliteStore(join(dir, 'data')),
  dataDir: join(dir, 'data'),
  saveEvery: 0,
  log: (m) => process.stderr.write(`  ${at()}  engine: ${m}\n`),
});
timeCalls((engine.store as unknown as { db: object }).db, 'exec', 'store BEGIN/COMMIT');
timeCalls(engine.store, 'trimChanges', 'store trimChanges');
const pdf = process.argv.includes('--pdf');
const file = pdf
  ? { bytes: readFileSync(await ensureBigPdf()), fileName: 'giao-trinh-2000-trang.pdf', label: 'the 2,000-page PDF' }
  : { bytes: Buffer.from(largeMarkdown(megabytes * 2 ** 20)), fileName: 'on-tap.md', label: `${megabytes} MB Markdown` };
let last = performance.now();
let longest = 0;
let running = true;
let gaps: string[] = [];
/** Every gap with its end on the monotonic clock V8's profiles use (µs), for profile-stalls.ts. */
const gapsOut: Array<{ endUs: number; ms: number }> = [];
const gapMs = Number(process.env.GAP_MS ?? 80);
const tick = () => {
  const now = performance.now();
  if (now - last > gapMs) {
    gaps.push(`${at()}: ${(now - last).toFixed(0)} ms`);
    gapsOut.push({ endUs: Number(process.hrtime.bigint() / 1000n), ms: now - last });
  }
  longest = Math.max(longest, now - last);
  last = now;
  if (running) setTimeout(tick, 1);
};
setTimeout(tick, 1);
for (const [label, work] of [
  [`ingest of ${file.label}`, () => engine.ingest([{ bytes: file.bytes, fileName: file.fileName, collection: 'on-tap' }])],
  ['reindex', () => engine.reindexAll()],
] as const) {
  const started = performance.now();
  longest = 0;
  gaps = [];
  await work();
  process.stdout.write(
    `${label}: ${((performance.now() - started) / 1000).toFixed(1)} s, longest event-loop gap ${longest.toFixed(0)} ms; gaps over 80 ms: ${gaps.join(', ') || 'none'}\n`,
  );
}
running = false;
await engine.close();
if (process.env.GAPS_JSON) writeFileSync(process.env.GAPS_JSON, JSON.stringify(gapsOut));
rmSync(dir, { recursive: true, force: true });
