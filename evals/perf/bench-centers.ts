/**
 * Retrieval for one center's learner on a service hosting many centers (`npm run bench:centers`),
 * side by side with a service hosting that center alone, in one process:
 *
 *   (a) multi-center: `--centers` collections of `--per-center` chunks plus one shared collection
 *       of `--shared` chunks (default 50 × 2,000 + 10,000 = 110,000 chunks);
 *   (b) single-center: only the learner's center and the shared collection (12,000 chunks).
 *
 * Both are the service's retriever over its BM25 and vector indexes, with the local offline
 * embeddings, fed the same generated documents (corpus-gen.ts) with the same chunk ids and vectors. The same questions are asked of both, alternating
 * which goes first, with the learner's collections (its center + the shared one): hybrid
 * retrieval p50 / p95 and the ratio (target: p95 within 1.3×), BM25 and vector stages alone,
 * whether both return the same passages, and the recall@10 of the filtered vector search against
 * an exact scan of the visible vectors, for visible sets of several sizes.
 *
 *   options: --centers 50 --per-center 2000 --shared 10000 --queries 600 --center 17
 *
 * The corpus is cached in `evals/perf/.cache/` (TROGIANG_BENCH_CACHE moves it). One JSON line
 * per measurement on stdout, progress on stderr.
 */
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { LocalEmbeddings } from '../../src/embed/index.js';
import { Bm25Index, bm25Fields, defaultBm25Params, defaultHnswSettings, embeddingText, VectorIndex } from '../../src/indexes/index.js';
import { Retriever } from '../../src/retrieve/index.js';
import type { ChunkRecord } from '../../src/store/index.js';
import { ensureCorpus, readDocs, readQuestions, type BenchDoc } from './corpus-gen.js';
import { emit, latencyStats, note, peakRssMb, round } from './measure.js';

const { values: opts } = parseArgs({
  options: {
    centers: { type: 'string', default: '50' },
    'per-center': { type: 'string', default: '2000' },
    shared: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '600' },
    center: { type: 'string', default: '17' },
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

/** One side of the comparison: the service's retriever over its own indexes. */
interface Side {
  bm25: Bm25Index;
  vectors: VectorIndex;
  retriever: Retriever;
}

function sideOf(chunks: readonly ChunkRecord[], embedder: LocalEmbeddings): Side {
  const bm25 = new Bm25Index(defaultBm25Params);
  const vectors = VectorIndex.create(embedder.dimensions, defaultHnswSettings, 1024);
  const retriever = new Retriever({
    bm25,
    vectors,
    embedQuery: async (q) => embedder.embedQuery(q),
    getChunks: (seqs) => seqs.map((seq) => chunks[seq]!),
  });
  return { bm25, vectors, retriever };
}

/**
 * Both sides' indexes from the corpus, as the service builds them: the local embedder's IDF
 * statistics observe every chunk of the service, then each chunk is embedded once; the
 * single-center side gets the same chunks (same ids, same vectors) of the learner's collections.
 * Built here rather than through `Engine.ingest` (SQLite, chunker): on this shared machine the
 * full ingest of 110,000 chunks took most of an hour, and retrieval reads the same indexes.
 */
async function build(docsPath: string): Promise<{ multi: Side; single: Side; embedder: LocalEmbeddings; chunks: ChunkRecord[] }> {
  const chunks: ChunkRecord[] = [];
  for await (const { doc, collection } of collectionDocs(docsPath)) {
    const documentId = `${collection}/${doc.file}`;
    doc.sections.forEach((section, ordinal) => {
      chunks.push({
        seq: chunks.length,
        id: `${documentId}#${ordinal}`,
        documentId,
        ordinal,
        title: doc.title,
        headingPath: [section.heading],
        pageStart: null,
        pageEnd: null,
        collection,
        lang: doc.lang,
        text: section.text,
      });
    });
  }
  // Centers upload at the same time on a real service: ids interleave across collections.
  const order = interleaved(chunks);
  order.forEach((chunk, seq) => (chunk.seq = seq));
  chunks.splice(0, chunks.length, ...order);
  const embedder = new LocalEmbeddings();
  const t0 = performance.now();
  for (const chunk of chunks) embedder.observe(embeddingText(chunk));
  note(`feature statistics of ${chunks.length} chunks (${Math.round((performance.now() - t0) / 1000)} s)`);
  const multi = sideOf(chunks, embedder);
  const single = sideOf(chunks, embedder);
  multi.vectors.reserve(chunks.length);
  single.vectors.reserve(perCenter + sharedChunks);
  for (const chunk of chunks) {
    const vector = embedder.embed(embeddingText(chunk));
    const mine = visible.includes(chunk.collection);
    for (const side of mine ? [multi, single] : [multi]) {
      side.bm25.add(chunk.seq, bm25Fields(chunk), chunk.collection);
      side.vectors.add(chunk.seq, vector, chunk.collection);
    }
    if (chunk.seq % 10_000 === 9_999) note(`${chunk.seq + 1} chunks indexed (${Math.round((performance.now() - t0) / 1000)} s)`);
  }
  emit({
    bench: 'centers-build',
    chunks: chunks.length,
    single_chunks: single.bm25.size,
    seconds: round((performance.now() - t0) / 1000, 1),
  });
  return { multi, single, embedder, chunks };
}

/** Chunks in rounds of a document's worth per collection. */
function interleaved(chunks: readonly ChunkRecord[]): ChunkRecord[] {
  const byCollection = new Map<string, ChunkRecord[]>();
  for (const c of chunks) {
    let list = byCollection.get(c.collection);
    if (!list) byCollection.set(c.collection, (list = []));
    list.push(c);
  }
  const lists = [...byCollection.values()];
  const out: ChunkRecord[] = [];
  for (let at = 0; out.length < chunks.length; at += 10) for (const list of lists) out.push(...list.slice(at, at + 10));
  return out;
}

/** Times `run` over the questions for both sides, alternating which goes first. */
async function sideBySide<T>(
  questions: readonly string[],
  run: (side: Side, question: string) => Promise<T> | T,
  multi: Side,
  single: Side,
) {
  const ms = { multi: [] as number[], single: [] as number[] };
  const results = { multi: [] as T[], single: [] as T[] };
  for (const [i, q] of questions.entries()) {
    const order = i % 2 === 0 ? (['multi', 'single'] as const) : (['single', 'multi'] as const);
    for (const which of order) {
      const side = which === 'multi' ? multi : single;
      const t = performance.now();
      results[which].push(await run(side, q));
      ms[which].push(performance.now() - t);
    }
  }
  return { ms, results };
}

/**
 * The exact top 10 of each query among `ids`, in one pass over the stored vectors (each read
 * once; the local embedder's queries are sparse, so a score sums over the query's few dimensions).
 */
function exactTop10(
  queries: readonly ArrayLike<number>[],
  ids: readonly number[],
  vectorOf: (id: number) => ArrayLike<number>,
): number[][] {
  const sparse = queries.map((q) => {
    const dims: number[] = [];
    for (let d = 0; d < q.length; d++) if (q[d] !== 0) dims.push(d);
    return { dims, weights: dims.map((d) => q[d]!) };
  });
  const tops = queries.map(() => [] as Array<{ id: number; score: number }>);
  const better = (a: { id: number; score: number }, b: { id: number; score: number }) =>
    a.score > b.score || (a.score === b.score && a.id < b.id);
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
  note(`load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores; corpus ${corpus.chunks} chunks`);
  const { multi, single, embedder } = await build(corpus.docsPath);
  note(
    `indexes ready: multi ${multi.bm25.size} chunks, single ${single.bm25.size} (${Math.round((performance.now() - started) / 1000)} s)`,
  );

  const all = readQuestions(corpus.questionsPath).map((q) => q.text);
  const warmup = all.slice(queryCount, queryCount + 50);
  const questions = all.slice(0, queryCount);
  const scope = { collections: visible };
  const only = new Set(visible);
  for (const q of warmup) {
    await multi.retriever.retrieve(q, scope);
    await single.retriever.retrieve(q, scope);
  }

  // The service's retrieval (hybrid, 5 passages), then each index alone.
  const key = (r: { chunk: { documentId: string; ordinal: number } }) => `${r.chunk.documentId}#${r.chunk.ordinal}`;
  const hybrid = await sideBySide(questions, async (side, q) => (await side.retriever.retrieve(q, scope)).results.map(key), multi, single);
  const bm25 = await sideBySide(questions, (e, q) => e.bm25.search(q, 50, only).length, multi, single);
  const embedded = new Map<string, ArrayLike<number>>();
  for (const q of questions) embedded.set(q, await embedder.embedQuery(q));
  const vector = await sideBySide(questions, (side, q) => side.vectors.search(embedded.get(q)!, 50, only).length, multi, single);
  const same = hybrid.results.multi.filter((ids, i) => ids.join() === hybrid.results.single[i]!.join()).length;
  for (const [stage, run] of [
    ['hybrid', hybrid],
    ['bm25', bm25],
    ['vector', vector],
  ] as const) {
    const a = latencyStats(run.ms.multi);
    const b = latencyStats(run.ms.single);
    emit({
      bench: 'centers-retrieval',
      stage,
      queries: questions.length,
      visible_chunks: perCenter + sharedChunks,
      multi_chunks: total,
      multi_p50_ms: a.p50_ms,
      multi_p95_ms: a.p95_ms,
      single_p50_ms: b.p50_ms,
      single_p95_ms: b.p95_ms,
      ratio_p50: round(a.p50_ms / b.p50_ms, 3),
      ratio_p95: round(a.p95_ms / b.p95_ms, 3),
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
    const truths = exactTop10(
      probe.map((q) => embedded.get(q)!),
      ids,
      (id) => multi.vectors.vector(id),
    );
    let found = 0;
    const ms: number[] = [];
    for (const [i, q] of probe.entries()) {
      const t = performance.now();
      const hits = multi.vectors.search(embedded.get(q)!, 10, wanted);
      ms.push(performance.now() - t);
      const got = new Set(hits.map((h) => h.id));
      found += truths[i]!.filter((id) => got.has(id)).length / Math.max(1, truths[i]!.length);
    }
    emit({
      bench: 'centers-filtered-recall',
      visible: label,
      visible_chunks: ids.length,
      multi_chunks: total,
      queries: probe.length,
      recall10: round(found / probe.length, 4),
      ...latencyStats(ms),
    });
  }

  const seconds = (performance.now() - started) / 1000;
  emit({
    bench: 'centers-run',
    seconds: round(seconds, 1),
    load_start: loadAtStart.map((l) => round(l, 1)).join(' '),
    load_end: loadavg()
      .map((l) => round(l, 1))
      .join(' '),
    cores: cpus().length,
    peak_rss_mb: peakRssMb(),
  });
}

await main();
