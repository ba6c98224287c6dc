/**
 * Retrieval for one center's learner on a service hosting many centers (`npm run bench:centers`),
 * side by side with a service hosting that center alone, in one process:
 *
 *   (a) multi-center: `--centers` collections of `--per-center` chunks plus one shared collection
 *       of `--shared` chunks (default 50 × 2,000 + 10,000 = 110,000 chunks);
 *   (b) single-center: only the learner's center and the shared collection (12,000 chunks).
 *
 * Both are real engines (SQLite store, local offline embeddings, BM25 and vector indexes) fed the
 * same generated documents (corpus-gen.ts). The same questions are asked of both, alternating
 * which goes first, with the learner's collections (its center + the shared one): hybrid
 * retrieval p50 / p95 and the ratio (target: p95 within 1.3×), BM25 and vector stages alone,
 * whether both return the same passages, and the recall@10 of the filtered vector search against
 * an exact scan of the visible vectors, for visible sets of several sizes.
 *
 *   options: --centers 50 --per-center 2000 --shared 10000 --queries 600 --center 17
 *            --reuse-data (keep the two data folders of an earlier run with the same sizes)
 *
 * Data folders: `evals/perf/.cache/centers-<sizes>/` (TROGIANG_BENCH_CACHE moves the cache).
 * One JSON line per measurement on stdout, a Markdown summary on stderr.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Engine, type IngestItem } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { cacheDir, ensureCorpus, loadedOf, markdownOf, readDocs, readQuestions, sizeLabel, type BenchDoc } from './corpus-gen.js';
import { emit, latencyStats, note, peakRssMb, round } from './measure.js';

const { values: opts } = parseArgs({
  options: {
    centers: { type: 'string', default: '50' },
    'per-center': { type: 'string', default: '2000' },
    shared: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '600' },
    center: { type: 'string', default: '17' },
    'reuse-data': { type: 'boolean', default: false },
  },
});
const centers = Number(opts.centers);
const perCenter = Number(opts['per-center']);
const sharedChunks = Number(opts.shared);
const learnerCenter = Math.min(centers - 1, Number(opts.center));
const queryCount = Number(opts.queries);
const started = performance.now();
const loadAtStart = loadavg();

const centerName = (i: number) => `center-${String(i).padStart(2, '0')}`;
const sharedName = 'shared-open';
const learner = centerName(learnerCenter);
const visible = [learner, sharedName];

/**
 * The corpus cut into collections in order: `perCenter` chunks for each center, then the shared
 * collection. A document crossing a boundary is split (its second part is a document of its own).
 */
async function* collectionDocs(docsPath: string): AsyncGenerator<{ doc: BenchDoc; collection: string }> {
  const sizes = [...Array.from({ length: centers }, () => perCenter), sharedChunks];
  const names = [...Array.from({ length: centers }, (_, i) => centerName(i)), sharedName];
  let at = 0;
  let filled = 0;
  for await (const whole of readDocs(docsPath)) {
    let sections = whole.sections;
    let part = 0;
    while (sections.length > 0 && at < sizes.length) {
      const room = sizes[at]! - filled;
      const taken = sections.slice(0, room);
      const file = part === 0 ? whole.file : whole.file.replace(/(\.\w+)$/, `-phan-${part}$1`);
      yield { doc: { ...whole, file, sections: taken }, collection: names[at]! };
      sections = sections.slice(room);
      filled += taken.length;
      part++;
      if (filled === sizes[at]) {
        at++;
        filled = 0;
      }
    }
    if (at >= sizes.length) return;
  }
}

async function openEngine(dataDir: string): Promise<Engine> {
  // Saved once at the end of a build: the service's save every 2,000 changes would rewrite the
  // growing indexes 55 times, which measures nothing here.
  return Engine.open({ store: openSqliteStore(dataDir), dataDir, saveEvery: Number.MAX_SAFE_INTEGER, log: (m) => note(`${dataDir.split('/').pop()}: ${m}`) });
}

/**
 * Ingests the documents whose collection `wanted` accepts, a batch at a time. Centers upload at
 * the same time on a real service, so each batch mixes collections (chunk ids interleave).
 */
async function build(dataDir: string, docsPath: string, wanted: (collection: string) => boolean): Promise<Engine> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const engine = await openEngine(dataDir);
  const queues = new Map<string, IngestItem[]>();
  for await (const { doc, collection } of collectionDocs(docsPath)) {
    if (!wanted(collection)) continue;
    let queue = queues.get(collection);
    if (!queue) queues.set(collection, (queue = []));
    queue.push({ bytes: Buffer.from(markdownOf(doc)), fileName: doc.file, collection, loaded: loadedOf(doc) });
  }
  const lists = [...queues.values()];
  const t0 = performance.now();
  let chunks = 0;
  for (let round = 0; lists.some((l) => l.length > 0); round++) {
    const batch: IngestItem[] = [];
    for (const list of lists) batch.push(...list.splice(0, 20));
    const outcomes = await engine.ingest(batch);
    for (const o of outcomes) if (o.status === 'failed') throw new Error(`${o.fileName}: ${o.message}`);
    chunks = engine.bm25.size;
    if (round % 10 === 0) note(`${dataDir.split('/').pop()}: ${chunks} chunks (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  engine.save();
  emit({ bench: 'centers-ingest', folder: dataDir.split('/').pop()!, chunks: engine.bm25.size, seconds: round((performance.now() - t0) / 1000, 1) });
  return engine;
}

async function engineFor(dataDir: string, docsPath: string, wanted: (collection: string) => boolean, expected: number): Promise<Engine> {
  if (opts['reuse-data'] && existsSync(join(dataDir, 'trogiang.db'))) {
    const engine = await openEngine(dataDir);
    if (engine.bm25.size === expected) return engine;
    engine.close();
  }
  return build(dataDir, docsPath, wanted);
}

/** Times `run` over the questions for both engines, alternating which goes first. */
async function sideBySide<T>(questions: readonly string[], run: (engine: Engine, question: string) => Promise<T> | T, multi: Engine, single: Engine) {
  const ms = { multi: [] as number[], single: [] as number[] };
  const results = { multi: [] as T[], single: [] as T[] };
  for (const [i, q] of questions.entries()) {
    const order = i % 2 === 0 ? (['multi', 'single'] as const) : (['single', 'multi'] as const);
    for (const which of order) {
      const engine = which === 'multi' ? multi : single;
      const t = performance.now();
      results[which].push(await run(engine, q));
      ms[which].push(performance.now() - t);
    }
  }
  return { ms, results };
}

/**
 * The exact top 10 of each query among `ids`, in one pass over the stored vectors (each read
 * once; the local embedder's queries are sparse, so a score sums over the query's few dimensions).
 */
function exactTop10(queries: readonly ArrayLike<number>[], ids: readonly number[], vectorOf: (id: number) => ArrayLike<number>): number[][] {
  const sparse = queries.map((q) => {
    const dims: number[] = [];
    for (let d = 0; d < q.length; d++) if (q[d] !== 0) dims.push(d);
    return { dims, weights: dims.map((d) => q[d]!) };
  });
  const tops = queries.map(() => [] as Array<{ id: number; score: number }>);
  const better = (a: { id: number; score: number }, b: { id: number; score: number }) => a.score > b.score || (a.score === b.score && a.id < b.id);
  for (const id of ids) {
    const v = vectorOf(id);
    sparse.forEach(({ dims, weights }, qi) => {
      let score = 0;
      for (let i = 0; i < dims.length; i++) score += weights[i]! * v[dims[i]!]!;
      const top = tops[qi]!;
      const hit = { id, score };
      if (top.length === 10 && !better(hit, top[9]!)) return;
      let at = top.length === 10 ? 9 : top.length;
      top[at] = hit;
      while (at > 0 && better(top[at]!, top[at - 1]!)) {
        [top[at - 1], top[at]] = [top[at]!, top[at - 1]!];
        at--;
      }
    });
  }
  return tops.map((t) => t.map((h) => h.id));
}

async function main(): Promise<void> {
  const total = centers * perCenter + sharedChunks;
  const corpus = await ensureCorpus(total);
  const folder = join(cacheDir, `centers-${centers}x${sizeLabel(perCenter)}+${sizeLabel(sharedChunks)}`);
  note(`load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores; corpus ${corpus.chunks} chunks`);
  const multi = await engineFor(join(folder, 'multi'), corpus.docsPath, () => true, total);
  const single = await engineFor(join(folder, 'single'), corpus.docsPath, (c) => visible.includes(c), perCenter + sharedChunks);
  note(`indexes ready: multi ${multi.bm25.size} chunks, single ${single.bm25.size} (${Math.round((performance.now() - started) / 1000)} s)`);

  const all = readQuestions(corpus.questionsPath).map((q) => q.text);
  const warmup = all.slice(queryCount, queryCount + 50);
  const questions = all.slice(0, queryCount);
  const scope = { collections: visible };
  const only = new Set(visible);
  for (const q of warmup) {
    await multi.retrieve(q, scope);
    await single.retrieve(q, scope);
  }

  // The service's retrieval (hybrid, 5 passages), then each index alone.
  const key = (r: { chunk: { documentId: string; ordinal: number } }) => `${r.chunk.documentId}#${r.chunk.ordinal}`;
  const hybrid = await sideBySide(questions, async (e, q) => (await e.retrieve(q, scope)).results.map(key), multi, single);
  const bm25 = await sideBySide(questions, (e, q) => e.bm25.search(q, 50, only).length, multi, single);
  const embedded = new Map<string, ArrayLike<number>>();
  for (const q of questions) embedded.set(q, await multi.embedder.embedQuery(q));
  const singleEmbedded = new Map<string, ArrayLike<number>>();
  for (const q of questions) singleEmbedded.set(q, await single.embedder.embedQuery(q));
  const vector = await sideBySide(questions, (e, q) => e.vectors.search((e === multi ? embedded : singleEmbedded).get(q)!, 50, only).length, multi, single);
  const same = hybrid.results.multi.filter((ids, i) => ids.join() === hybrid.results.single[i]!.join()).length;
  for (const [stage, run] of [['hybrid', hybrid], ['bm25', bm25], ['vector', vector]] as const) {
    const a = latencyStats(run.ms.multi);
    const b = latencyStats(run.ms.single);
    emit({
      bench: 'centers-retrieval', stage, queries: questions.length, visible_chunks: perCenter + sharedChunks, multi_chunks: total,
      multi_p50_ms: a.p50_ms, multi_p95_ms: a.p95_ms, single_p50_ms: b.p50_ms, single_p95_ms: b.p95_ms,
      ratio_p50: round(a.p50_ms / b.p50_ms, 3), ratio_p95: round(a.p95_ms / b.p95_ms, 3),
      ...(stage === 'hybrid' ? { same_passages: round(same / questions.length, 3) } : {}),
    });
  }

  // Filtered vector search against an exact scan of the visible vectors, for visible sets of several sizes.
  const sets: Array<[string, string[]]> = [
    ['one center', [learner]],
    ['learner (center + shared)', visible],
    ['half the centers + shared', [...Array.from({ length: Math.ceil(centers / 2) }, (_, i) => centerName(i)), sharedName]],
  ];
  const probe = questions.slice(0, 200);
  for (const [label, collections] of sets) {
    const wanted = new Set(collections);
    const ids: number[] = [];
    for (const [id, c] of multi.vectors.entries()) if (wanted.has(c)) ids.push(id);
    const truths = exactTop10(probe.map((q) => embedded.get(q)!), ids, (id) => multi.vectors.vector(id));
    let found = 0;
    const ms: number[] = [];
    for (const [i, q] of probe.entries()) {
      const t = performance.now();
      const hits = multi.vectors.search(embedded.get(q)!, 10, wanted);
      ms.push(performance.now() - t);
      const got = new Set(hits.map((h) => h.id));
      found += truths[i]!.filter((id) => got.has(id)).length / Math.max(1, truths[i]!.length);
    }
    emit({ bench: 'centers-filtered-recall', visible: label, visible_chunks: ids.length, multi_chunks: total, queries: probe.length, recall10: round(found / probe.length, 4), ...latencyStats(ms) });
  }

  const seconds = (performance.now() - started) / 1000;
  emit({ bench: 'centers-run', seconds: round(seconds, 1), load_start: loadAtStart.map((l) => round(l, 1)).join(' '), load_end: loadavg().map((l) => round(l, 1)).join(' '), cores: cpus().length, peak_rss_mb: peakRssMb() });
  multi.close();
  single.close();
}

await main();
