/**
 * trogiang's stages, one per process (so each peak RSS is its own):
 *   ingest  --docs F --data D [--batch-chunks N]  chunking + embedding + SQLite + both indexes, from parsed blocks
 *   rebuild --data D                              index build from the stored chunks (no re-embedding)
 *   query   --data D --questions F --count N      cold start, then BM25 / vector / hybrid latency and recall@10, extractive answers
 *   pdf     --pdfs DIR                            real PDF bytes through `engine.ingest` (pages per second)
 * Each prints JSON lines (see measure.ts).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { extractiveAnswer } from '../../src/answer/index.js';
import { Engine, type IngestItem } from '../../src/engine/index.js';
import { preloadPdfEngine } from '../../src/ingest/index.js';
import type { RetrievalMode } from '../../src/retrieve/index.js';
import { isHit, loadedOf, markdownOf, readDocs, readQuestions, storedChunkKey } from './corpus-gen.js';
import {
  diskBytes,
  emit,
  hitString,
  latencyStats,
  note,
  peakRssMb,
  pushIsNative,
  requireArg,
  restoreNativePush,
  round,
  rssMb,
  stageArgs,
  type Row,
} from './measure.js';
import { openSqliteStore } from '../../src/store/index.js';

const args = stageArgs();
const stage = process.argv[2];
const collection = 'bench';
// `--native-push`: measure trogiang with V8's Array.prototype.push put back (see native-push.ts;
// trogiang keeps it itself since 5c95b7a, so this only matters for older checkouts).
const nativePush = args.has('native-push') && restoreNativePush();
/** Tags every row of this process with the state of Array.prototype.push. */
const pushTag = () => ({ native_push: nativePush || pushIsNative() === true });

async function ingest(): Promise<void> {
  const docsPath = requireArg(args, 'docs');
  const dataDir = requireArg(args, 'data');
  const batchChunks = Number(args.get('batch-chunks') ?? 200_000);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  // The engine says when a large ingest's vector graph was built on a worker thread, and how long
  // the ingest then waited for it.
  let graphWaitS = 0;
  let graphWorker = false;
  const engine = await Engine.open({
    store: openSqliteStore(dataDir),
    dataDir,
    log: (message) => {
      note(message);
      const waited = /built on a worker thread \([\d.]+ s, ([\d.]+) s waited/.exec(message);
      if (waited) {
        graphWorker = true;
        graphWaitS += Number(waited[1]);
      }
    },
  });
  // Time spent per step, by wrapping the engine's parts (src/ is measured, not changed).
  const spent = {
    features_s: 0, // LocalEmbeddings.observe/forget: IDF statistics (3 feature extractions per chunk)
    embed_s: 0, // LocalEmbeddings.embed
    store_s: 0, // SqliteStore.replaceDocument
    bm25_s: 0, // Bm25Index.add
    hnsw_s: 0, // VectorIndex.add (with the graph built on a worker thread: handing the vector over)
    save_s: 0, // Engine.save: both indexes written
  };
  const wrap = <T extends object>(target: T, method: keyof T & string, bucket: keyof typeof spent) => {
    const original = (target[method] as (...a: unknown[]) => unknown).bind(target);
    (target as Record<string, unknown>)[method] = (...a: unknown[]) => {
      const t = performance.now();
      try {
        return original(...a);
      } finally {
        spent[bucket] += (performance.now() - t) / 1000;
      }
    };
  };
  if (engine.local) {
    wrap(engine.local, 'observe', 'features_s');
    wrap(engine.local, 'forget', 'features_s');
    wrap(engine.local, 'embed', 'embed_s');
  }
  wrap(engine.store, 'replaceDocument', 'store_s');
  wrap(engine.bm25, 'add', 'bm25_s');
  wrap(engine.vectors, 'add', 'hnsw_s');
  wrap(engine, 'save', 'save_s');
  let chunks = 0;
  let documents = 0;
  let ingestMs = 0;
  let batch: IngestItem[] = [];
  let batchSize = 0;
  let batches = 0;
  const flush = async () => {
    if (!batch.length) return;
    const started = performance.now();
    const outcomes = await engine.ingest(batch);
    ingestMs += performance.now() - started;
    for (const o of outcomes) if (o.status === 'failed') throw new Error(`${o.fileName}: ${o.message}`);
    batches++;
    note(`ingested ${documents} documents, ${chunks} chunks (${Math.round(ingestMs / 1000)} s)`);
    batch = [];
    batchSize = 0;
  };
  for await (const doc of readDocs(docsPath)) {
    batch.push({ bytes: Buffer.from(markdownOf(doc)), fileName: doc.file, collection, loaded: loadedOf(doc) });
    batchSize += doc.sections.length;
    chunks += doc.sections.length;
    documents++;
    if (batchSize >= batchChunks) await flush();
  }
  await flush();
  const stored = await engine.store.countChunks();
  await engine.close();
  const steps = Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, round(v, 1)]));
  const indexBytes = diskBytes(join(dataDir, 'indexes'));
  const storeBytes = diskBytes(join(dataDir, 'trogiang.db')) + diskBytes(join(dataDir, 'trogiang.db-wal'));
  const peak = peakRssMb();
  emit({
    bench: 'ingest',
    system: 'trogiang',
    ...pushTag(),
    chunks: stored,
    documents,
    batches,
    seconds: round(ingestMs / 1000, 1),
    chunks_per_s: Math.round(stored / (ingestMs / 1000)),
    index_bytes: indexBytes,
    store_bytes: storeBytes,
    index_bytes_per_chunk: Math.round(indexBytes / stored),
    disk_bytes_per_chunk: Math.round((indexBytes + storeBytes) / stored),
    peak_rss_mb: peak,
  });
  // Index build = what both indexes cost inside the ingest (adds and saves); the rest is chunking,
  // feature statistics, embedding and SQLite.
  const indexS = spent.bm25_s + spent.hnsw_s + spent.save_s;
  emit({
    bench: 'index-build',
    system: 'trogiang',
    ...pushTag(),
    chunks: stored,
    seconds: round(indexS, 1),
    chunks_per_s: Math.round(stored / indexS),
    index_bytes: indexBytes,
    ...steps,
    graph_worker: graphWorker,
    graph_wait_s: round(graphWaitS, 1),
    other_s: round(ingestMs / 1000 - graphWaitS - Object.values(spent).reduce((a, b) => a + b, 0), 1),
  });
}

async function rebuild(): Promise<void> {
  const dataDir = requireArg(args, 'data');
  const saved = join(dataDir, 'indexes');
  rmSync(saved, { recursive: true, force: true });
  const started = performance.now();
  const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
  const ms = performance.now() - started;
  const chunks = engine.bm25.size;
  await engine.close();
  const files = readdirSync(join(saved, readFileSync(join(saved, 'CURRENT'), 'utf8').trim()));
  const sizes: Row = {};
  for (const f of files)
    sizes[`bytes_${f.replace(/\W+/g, '_')}`] = diskBytes(join(saved, readFileSync(join(saved, 'CURRENT'), 'utf8').trim(), f));
  emit({
    bench: 'index-build',
    system: 'trogiang',
    chunks,
    seconds: round(ms / 1000, 2),
    chunks_per_s: Math.round(chunks / (ms / 1000)),
    index_bytes: diskBytes(saved),
    ...sizes,
    peak_rss_mb: peakRssMb(),
  });
}

/** Empties the retriever's per-chunk caches so each mode starts alike. */
/** Empties the per-query caches (chunks, passage terms, BM25 term lookups), so each mode starts cold. */
function clearCaches(engine: Engine): void {
  for (const value of Object.values(engine.retriever as unknown as Record<string, unknown>)) if (value instanceof Map) value.clear();
  for (const shard of (engine.bm25 as unknown as { shards: Array<{ index: { segmentLookups: Map<string, number> } }> }).shards)
    shard.index.segmentLookups.clear();
}

async function drain(events: AsyncGenerator<unknown>): Promise<void> {
  for await (const _ of events) {
    // consume
  }
}

async function query(): Promise<void> {
  const processStart = 0; // performance.now() counts from process start
  const dataDir = requireArg(args, 'data');
  const count = Number(args.get('count') ?? 500);
  const answers = Number(args.get('answers') ?? 200);
  const all = readQuestions(requireArg(args, 'questions'));
  const questions = all.slice(0, count);
  const warmup = all.slice(count, count + 20);
  const modes = (args.get('modes') ?? 'bm25,vector,hybrid').split(',') as RetrievalMode[];

  // Cold start: open the saved folder (indexes loaded, never re-embedded), answer one question.
  const openStarted = performance.now();
  const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, log: (m) => note(`engine: ${m}`) });
  const openMs = performance.now() - openStarted;
  const first = questions[0]!;
  const firstStarted = performance.now();
  await drain(engine.ask(first.text));
  const firstMs = performance.now() - firstStarted;
  emit({
    bench: 'cold-start',
    system: 'trogiang',
    ...pushTag(),
    chunks: engine.bm25.size,
    open_ms: round(openMs, 1),
    first_answer_ms: round(firstMs, 1),
    cold_start_ms: round(openMs + firstMs, 1),
    process_to_first_answer_ms: round(performance.now() - processStart, 1),
    rss_mb: rssMb(),
  });

  for (const q of warmup) await engine.retrieve(q.text, { k: 10, mode: 'hybrid' });
  for (const mode of modes) {
    clearCaches(engine);
    const latencies: number[] = [];
    const hits: boolean[] = [];
    for (const q of questions) {
      const started = performance.now();
      const retrieval = await engine.retrieve(q.text, { k: 10, mode });
      latencies.push(performance.now() - started);
      hits.push(
        isHit(
          retrieval.results.map((r) => storedChunkKey(r.chunk.documentId, r.chunk.ordinal)),
          q,
        ),
      );
    }
    emit({
      bench: 'query',
      system: 'trogiang',
      mode,
      ...pushTag(),
      chunks: engine.bm25.size,
      queries: questions.length,
      ...latencyStats(latencies),
      recall10: round(hits.filter(Boolean).length / hits.length, 4),
      hits: hitString(hits),
    });
  }

  // Extractive answers as /api/chat makes them: hybrid retrieval of 5 passages, then sentence selection.
  clearCaches(engine);
  const totals: number[] = [];
  const extractive: number[] = [];
  let answerable = 0;
  for (const q of questions.slice(0, answers)) {
    const started = performance.now();
    const retrieval = await engine.retrieve(q.text, { k: 5 });
    const retrieved = performance.now();
    await drain(extractiveAnswer(retrieval, engine.idf));
    const done = performance.now();
    totals.push(done - started);
    extractive.push(done - retrieved);
    if (retrieval.answerable) answerable++;
  }
  const total = latencyStats(totals);
  emit({
    bench: 'answer',
    system: 'trogiang',
    mode: 'extractive',
    ...pushTag(),
    chunks: engine.bm25.size,
    queries: totals.length,
    ...latencyStats(extractive),
    total_p50_ms: total.p50_ms,
    total_p95_ms: total.p95_ms,
    total_p99_ms: total.p99_ms,
    answerable: round(answerable / Math.max(1, totals.length), 3),
  });
  emit({
    bench: 'serve-memory',
    system: 'trogiang',
    ...pushTag(),
    chunks: engine.bm25.size,
    peak_rss_mb: peakRssMb(),
    rss_mb: rssMb(),
    heap_mb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
    rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / engine.bm25.size),
  });
  await engine.close();
}

async function pdf(): Promise<void> {
  const dir = requireArg(args, 'pdfs');
  const dataDir = requireArg(args, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
  await preloadPdfEngine(); // one-time pdf.js start (the service pays it on its first PDF), not per page
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.pdf'))
    .sort();
  // One file first, untimed: one-time costs (pdf.js worker start, Node parsing pdf.js's source map
  // the first time an error stack is read under tsx) are paid once per process, not per page.
  const warmStarted = performance.now();
  await engine.ingest([{ bytes: readFileSync(join(dir, all[0]!)), fileName: all[0]!, collection: 'warmup' }]);
  const warmupMs = performance.now() - warmStarted;
  // pdf.js's worker module (loaded in this thread by the first parse) installs the polyfill again.
  if (nativePush) restoreNativePush();
  const files = all.slice(1);
  const items: IngestItem[] = files.map((f) => ({ bytes: readFileSync(join(dir, f)), fileName: f, collection }));
  const started = performance.now();
  const outcomes = await engine.ingest(items);
  const ms = performance.now() - started;
  let pages = 0;
  for (const o of outcomes) {
    if (o.status === 'failed') throw new Error(`${o.fileName}: ${o.message}`);
    pages += o.document.pages;
  }
  const chunks = (await engine.store.countChunks()) - (await engine.store.listDocuments('warmup')).reduce((n, d) => n + d.chunkCount, 0);
  await engine.close();
  emit({
    bench: 'ingest-pdf',
    ...pushTag(),
    first_file_ms: round(warmupMs, 1),
    system: 'trogiang',
    files: files.length,
    pages,
    chunks,
    bytes: items.reduce((n, i) => n + i.bytes.length, 0),
    seconds: round(ms / 1000, 2),
    pages_per_s: round(pages / (ms / 1000), 1),
    chunks_per_s: Math.round(chunks / (ms / 1000)),
    peak_rss_mb: peakRssMb(),
  });
  rmSync(dataDir, { recursive: true, force: true });
}

if (stage === 'ingest') await ingest();
else if (stage === 'rebuild') await rebuild();
else if (stage === 'query') await query();
else if (stage === 'pdf') await pdf();
else throw new Error(`unknown stage ${stage}`);
