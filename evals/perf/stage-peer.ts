/**
 * One peer per process, on the same chunks and questions as trogiang:
 *   minisearch  MiniSearch, fields title/heading/text, Vietnamese-aware terms (NFD, marks and đ folded, lower case);
 *               plus a `minisearch-fuzzy` row (prefix + fuzzy 0.2, MiniSearch's documented typo-tolerant search).
 *   orama       Orama full-text (BM25), a custom tokenizer (Orama's documented hook): Unicode word splitting
 *               and the same folding, since its built-in splitters cut Vietnamese letters out of words.
 *   memory      LangChain MemoryVectorStore (brute-force cosine) with trogiang's LocalEmbeddings and IDF statistics
 *               (queries embedded by it; passage vectors taken from trogiang's store: the same vectors).
 *   hnswlib     hnswlib-node built as LangChain's HNSWLib wrapper does: space `cosine`, `initIndex(n)` defaults
 *               (M 16, efConstruction 200), `addPoint` one by one, `searchKnn(query, k)` at the default ef (10).
 *
 * MiniSearch, Orama and hnswlib keep their built index in the peer cache (peer-cache.ts): a later
 * run with the same corpus, package version, settings (and vectors) loads it instead of building,
 * and its `index-build` row carries the figures of the build that made it (`cached: true`,
 * `built_at`) and the load time (`load_s`). The cache is written after the queries and the
 * `peer-memory` row, so a fresh run's peak RSS is build + queries as before. Query latency and
 * recall are always measured in this process.
 *
 * Usage: stage-peer.ts <peer> --docs F --questions F --count N --budget-s S [--data D] (the trogiang
 * data folder: the embedder's IDF statistics and the stored passage vectors, for the vector peers)
 * [--query-budget-s S] [--fuzzy-count N] [--cache-dir D] (default <bench cache>/peers) [--rebuild]
 * (build even when a cached index exists, and replace it) [--no-cache] (neither read nor write it).
 * --budget-s is the build budget: a build over it stops and reports how far it got.
 */
import { Document } from '@langchain/core/documents';
// MiniSearch, Orama and LangChain's classic package come from evals/perf/package.json
// (`npm ci --prefix evals/perf`): each is loaded by its own peer's function, so the hnswlib
// peer (a root dependency) runs without them.
import type { RawData } from '@orama/orama';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import type MiniSearch from 'minisearch';
import type { AsPlainObject } from 'minisearch';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureStats, LocalEmbeddings } from '../../src/embed/index.js';
import { embeddingText } from '../../src/indexes/index.js';
import { cacheDir, chunkKey, isHit, readDocs, readQuestions, storedChunkKey, type BenchQuestion } from './corpus-gen.js';
import { emit, hitString, latencyStats, note, peakRssMb, requireArg, round, rssMb, stageArgs, type Row } from './measure.js';
import {
  builtAtLabel,
  hnswSettings,
  minisearchSettings,
  openPeerCache,
  oramaSchema,
  oramaTokenize,
  fold,
  peerCacheKey,
  vectorsFingerprint,
  writePeerCache,
  type CachedPeer,
  type PeerBuildFigures,
  type PeerCacheEntry,
  type PeerCacheKey,
} from './peer-cache.js';
import { readSplitJson, writeSplitJson } from './split-json.js';

const args = stageArgs();
const peer = process.argv[2]!;
const docsPath = requireArg(args, 'docs');
const questions = readQuestions(requireArg(args, 'questions'), Number(args.get('count') ?? 500));
const budgetMs = Number(args.get('budget-s') ?? 120) * 1000;
const queryBudgetMs = Number(args.get('query-budget-s') ?? 60) * 1000;
const peersDir = args.get('cache-dir') ?? join(cacheDir, 'peers');
const useCache = args.get('no-cache') !== 'true';
const rebuild = args.get('rebuild') === 'true';
const started = performance.now();
const overBudget = () => performance.now() - started > budgetMs;

interface Passage {
  key: string;
  title: string;
  heading: string;
  text: string;
}

/** Streams every section as a passage, in batches. */
async function* passages(batch = 5000): AsyncGenerator<Passage[]> {
  let out: Passage[] = [];
  let index = 0;
  for await (const doc of readDocs(docsPath)) {
    doc.sections.forEach((s, i) => out.push({ key: chunkKey(index, i), title: doc.title, heading: s.heading, text: s.text }));
    index++;
    if (out.length >= batch) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

async function measureQueries(
  system: string,
  mode: string,
  qs: readonly BenchQuestion[],
  run: (q: BenchQuestion) => Promise<string[]> | string[],
  extra: Record<string, string | number | boolean> = {},
): Promise<void> {
  const latencies: number[] = [];
  const hits: boolean[] = [];
  const t0 = performance.now();
  for (const q of qs) {
    if (performance.now() - t0 > queryBudgetMs) break;
    const s = performance.now();
    const ranked = await run(q);
    latencies.push(performance.now() - s);
    hits.push(isHit(ranked, q));
  }
  emit({
    bench: 'query',
    system,
    mode,
    queries: latencies.length,
    capped: latencies.length < qs.length,
    ...latencyStats(latencies),
    recall10: round(hits.filter(Boolean).length / Math.max(1, hits.length), 4),
    hits: hitString(hits),
    ...extra,
  });
}

/** The `index-build` row of a build made in this process; returns its figures (for the cache). */
function buildRow(system: string, chunks: number, ms: number, extra: Row = {}): PeerBuildFigures {
  const figures: PeerBuildFigures = {
    chunks,
    seconds: round(ms / 1000, 2),
    chunks_per_s: Math.round(chunks / (ms / 1000)),
    rss_mb: rssMb(),
    build_peak_rss_mb: peakRssMb(),
  };
  emit({ bench: 'index-build', system, ...figures, cached: false, ...extra });
  return figures;
}

/** The `index-build` row of an index loaded from the cache: the figures recorded at its build, and the load. */
function cachedBuildRow(system: string, entry: PeerCacheEntry, loadMs: number, extra: Row = {}): void {
  const { record } = entry;
  emit({
    bench: 'index-build',
    system,
    ...record.build,
    cached: true,
    built_at: record.builtAt,
    load_s: round(loadMs / 1000, 2),
    load_rss_mb: rssMb(),
    cache_mb: round(entry.bytes / 2 ** 20, 1),
    ...extra,
  });
  note(
    `${system}: loaded the index cached at ${builtAtLabel(record.builtAt)} (build ${record.build.seconds} s) in ${(loadMs / 1000).toFixed(1)} s, ${(entry.bytes / 2 ** 20).toFixed(0)} MB`,
  );
}

/** The cached entry to load, unless --rebuild / --no-cache or none matches the key. */
function cachedEntry(key: PeerCacheKey): PeerCacheEntry | undefined {
  if (!useCache || rebuild) return undefined;
  const entry = openPeerCache(peersDir, key);
  if (!entry) note(`${key.peer}: no cached index for this corpus, package version and settings: building`);
  return entry;
}

/** Writes the cache entry of a fresh build (after the queries and the memory row). */
function saveCache(key: PeerCacheKey, figures: PeerBuildFigures, builtAt: Date, write: (dir: string) => void): void {
  if (!useCache) return;
  const t = performance.now();
  const entry = writePeerCache(peersDir, key, figures, write, builtAt);
  note(
    `${key.peer}: cached the index in ${((performance.now() - t) / 1000).toFixed(1)} s, ${(entry.bytes / 2 ** 20).toFixed(0)} MB (${entry.dir})`,
  );
}

/** A cached entry that exists but cannot be loaded is reported and rebuilt over. */
function loadFailed(peer: CachedPeer, error: unknown): void {
  note(`${peer}: the cached index could not be loaded (${error instanceof Error ? error.message : String(error)}): building`);
}

function timedOut(system: string, chunks: number): void {
  emit({
    bench: 'index-build',
    system,
    chunks,
    timed_out: true,
    seconds: round((performance.now() - started) / 1000, 1),
    budget_s: budgetMs / 1000,
    rss_mb: rssMb(),
  });
  emit({ bench: 'peer-memory', system, peak_rss_mb: peakRssMb() });
}

function localEmbeddings(): LocalEmbeddings {
  const dataDir = requireArg(args, 'data');
  const indexes = join(dataDir, 'indexes');
  const current = readFileSync(join(indexes, 'CURRENT'), 'utf8').trim();
  // The same IDF statistics as trogiang's index, so query and passage vectors are identical to its own.
  return new LocalEmbeddings({ stats: FeatureStats.deserialize(readFileSync(join(indexes, current, 'features.bin'))) });
}

/**
 * The passage vectors, in batches, read from trogiang's store: the same `LocalEmbeddings` output
 * a peer would compute (same text, same IDF statistics), so the peers' build time is the index
 * build alone, comparable to trogiang's BM25 + HNSW figure. The embedding cost is trogiang's
 * `embed_s` (ingest row).
 */
function* storedVectors(batch = 5000): Generator<{ keys: string[]; texts: string[]; vectors: number[][] }> {
  const db = new Database(join(requireArg(args, 'data'), 'trogiang.db'), { readonly: true });
  try {
    let keys: string[] = [];
    let texts: string[] = [];
    let vectors: number[][] = [];
    const rows = db
      .prepare('SELECT document_id, ordinal, title, heading_path, text, vector FROM chunks ORDER BY seq')
      .iterate() as IterableIterator<{
      document_id: string;
      ordinal: number;
      title: string;
      heading_path: string;
      text: string;
      vector: Buffer;
    }>;
    for (const row of rows) {
      keys.push(storedChunkKey(row.document_id, row.ordinal));
      texts.push(embeddingText({ title: row.title, headingPath: JSON.parse(row.heading_path) as string[], text: row.text }));
      const v = row.vector;
      vectors.push(Array.from(new Float32Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength))));
      if (keys.length >= batch) {
        yield { keys, texts, vectors };
        keys = [];
        texts = [];
        vectors = [];
      }
    }
    if (keys.length) yield { keys, texts, vectors };
  } finally {
    db.close();
  }
}

async function minisearch(): Promise<void> {
  const { default: MiniSearch } = await import('minisearch');
  const options = { ...minisearchSettings, processTerm: (term: string) => fold(term) };
  const key = peerCacheKey('minisearch', docsPath);
  let ms: MiniSearch<Passage> | undefined;
  let chunks = 0;
  let fresh: { figures: PeerBuildFigures; at: Date } | undefined;
  const entry = cachedEntry(key);
  if (entry) {
    try {
      const t = performance.now();
      ms = MiniSearch.loadJS<Passage>(readSplitJson(entry.file('index.sjson')) as AsPlainObject, options);
      chunks = ms.documentCount;
      cachedBuildRow('minisearch', entry, performance.now() - t);
    } catch (error) {
      loadFailed('minisearch', error);
      ms = undefined;
    }
  }
  if (!ms) {
    ms = new MiniSearch<Passage>(options);
    const t = performance.now();
    for await (const batch of passages()) {
      ms.addAll(batch);
      chunks += batch.length;
      if (overBudget()) return timedOut('minisearch', chunks);
    }
    fresh = { figures: buildRow('minisearch', chunks, performance.now() - t), at: new Date() };
    note(`minisearch: indexed ${chunks} passages`);
  }
  const index = ms;
  await measureQueries('minisearch', 'bm25', questions, (q) =>
    index
      .search(q.text)
      .slice(0, 10)
      .map((r) => String(r.id)),
  );
  const fuzzyCount = Number(args.get('fuzzy-count') ?? 50);
  await measureQueries('minisearch-fuzzy', 'bm25', questions.slice(0, fuzzyCount), (q) =>
    index
      .search(q.text, { prefix: true, fuzzy: 0.2 })
      .slice(0, 10)
      .map((r) => String(r.id)),
  );
  emit({
    bench: 'peer-memory',
    system: 'minisearch',
    chunks,
    peak_rss_mb: peakRssMb(),
    rss_mb: rssMb(),
    rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / chunks),
    loaded: !fresh,
  });
  if (fresh) saveCache(key, fresh.figures, fresh.at, (dir) => writeSplitJson(join(dir, 'index.sjson'), index.toJSON()));
}

async function orama(): Promise<void> {
  const { count, create, insertMultiple, load, save, search: oramaSearch } = await import('@orama/orama');
  const tokenizer = { language: 'english', normalizationCache: new Map<string, string>(), tokenize: oramaTokenize };
  const make = () => create({ schema: oramaSchema, components: { tokenizer } });
  const key = peerCacheKey('orama', docsPath);
  let db: ReturnType<typeof make> | undefined;
  let chunks = 0;
  let fresh: { figures: PeerBuildFigures; at: Date } | undefined;
  const entry = cachedEntry(key);
  if (entry) {
    try {
      const t = performance.now();
      db = make();
      load(db, readSplitJson(entry.file('index.sjson')) as RawData);
      chunks = count(db);
      cachedBuildRow('orama', entry, performance.now() - t);
    } catch (error) {
      loadFailed('orama', error);
      db = undefined;
    }
  }
  if (!db) {
    db = make();
    const t = performance.now();
    for await (const batch of passages(2000)) {
      await insertMultiple(
        db,
        batch.map((p) => ({ id: p.key, title: p.title, heading: p.heading, text: p.text })),
        2000,
      );
      chunks += batch.length;
      if (overBudget()) return timedOut('orama', chunks);
    }
    fresh = { figures: buildRow('orama', chunks, performance.now() - t), at: new Date() };
    note(`orama: indexed ${chunks} passages`);
  }
  const index = db;
  await measureQueries('orama', 'bm25', questions, async (q) => {
    const result = await oramaSearch(index, { term: q.text, properties: ['title', 'heading', 'text'], limit: 10 });
    return result.hits.map((h) => String(h.id));
  });
  emit({
    bench: 'peer-memory',
    system: 'orama',
    chunks,
    peak_rss_mb: peakRssMb(),
    rss_mb: rssMb(),
    rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / chunks),
    loaded: !fresh,
  });
  // Orama's `save` returns its index as plain data (≈700 MB of JSON at 100k: over V8's string limit in one piece).
  if (fresh) saveCache(key, fresh.figures, fresh.at, (dir) => writeSplitJson(join(dir, 'index.sjson'), save(index), { splitDepth: 2 }));
}

async function memory(): Promise<void> {
  const { MemoryVectorStore } = await import('@langchain/classic/vectorstores/memory');
  const embeddings = localEmbeddings();
  const store = new MemoryVectorStore(embeddings);
  let chunks = 0;
  let buildMs = 0;
  for (const batch of storedVectors()) {
    const t = performance.now();
    await store.addVectors(
      batch.vectors,
      batch.texts.map((text, i) => new Document({ pageContent: text, metadata: { key: batch.keys[i] } })),
    );
    buildMs += performance.now() - t;
    chunks += batch.keys.length;
    if (overBudget()) return timedOut('langchain-memory', chunks);
  }
  buildRow('langchain-memory', chunks, buildMs, { vectors: 'stored' });
  await measureQueries('langchain-memory', 'vector', questions, async (q) =>
    (await store.similaritySearch(q.text, 10)).map((d) => String(d.metadata.key)),
  );
  emit({
    bench: 'peer-memory',
    system: 'langchain-memory',
    chunks,
    peak_rss_mb: peakRssMb(),
    rss_mb: rssMb(),
    rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / chunks),
  });
}

async function hnsw(): Promise<void> {
  const embeddings = localEmbeddings();
  const key = useCache ? peerCacheKey('hnswlib', docsPath, vectorsFingerprint(requireArg(args, 'data'), peersDir)) : undefined;
  let keys: string[] = [];
  let index: InstanceType<typeof hnswlib.HierarchicalNSW> | null = null;
  let fresh: { figures: PeerBuildFigures; at: Date } | undefined;
  const entry = key && cachedEntry(key);
  if (entry) {
    try {
      const t = performance.now();
      const saved = JSON.parse(readFileSync(entry.file('keys.json'), 'utf8')) as { dim: number; keys: string[] };
      index = new hnswlib.HierarchicalNSW(hnswSettings.space, saved.dim);
      index.readIndexSync(entry.file('index.hnsw'));
      keys = saved.keys;
      if (index.getCurrentCount() !== keys.length) throw new Error(`${index.getCurrentCount()} points for ${keys.length} keys`);
      cachedBuildRow('hnswlib', entry, performance.now() - t, { vectors: 'stored' });
    } catch (error) {
      loadFailed('hnswlib', error);
      index = null;
      keys = [];
    }
  }
  if (!index) {
    let buildMs = 0;
    for (const batch of storedVectors()) {
      const t = performance.now();
      const vectors = batch.vectors;
      // As HNSWLib.addVectors: create and `initIndex(vectors.length)` on first use, grow with resizeIndex.
      if (!index) {
        index = new hnswlib.HierarchicalNSW(hnswSettings.space, vectors[0]!.length);
        index.initIndex(vectors.length); // hnswlib's defaults: M 16, efConstruction 200, random seed 100 (hnswSettings)
      }
      const needed = index.getCurrentCount() + vectors.length;
      if (needed > index.getMaxElements()) index.resizeIndex(needed);
      const base = index.getCurrentCount();
      vectors.forEach((v, i) => {
        index!.addPoint(v, base + i);
        keys[base + i] = batch.keys[i]!;
      });
      buildMs += performance.now() - t;
      if (overBudget()) return timedOut('hnswlib', keys.length);
    }
    fresh = { figures: buildRow('hnswlib', keys.length, buildMs, { vectors: 'stored' }), at: new Date() };
  }
  const graph = index!;
  const search = async (q: BenchQuestion) => graph.searchKnn(await embeddings.embedQuery(q.text), 10).neighbors.map((n) => keys[n]!);
  // hnswlib's default ef (10), also after readIndex.
  await measureQueries('hnswlib', 'vector', questions, search, { ef: graph.getEf() });
  // The same graph searched at trogiang's ef (100), to separate the graph from the search depth.
  graph.setEf(100);
  await measureQueries('hnswlib-ef100', 'vector', questions, search, { ef: 100 });
  // Deeper search on the same graph: how much of the exact neighbours HNSW can recover here.
  graph.setEf(400);
  await measureQueries('hnswlib-ef400', 'vector', questions, search, { ef: 400 });
  emit({
    bench: 'peer-memory',
    system: 'hnswlib',
    chunks: keys.length,
    peak_rss_mb: peakRssMb(),
    rss_mb: rssMb(),
    rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / keys.length),
    loaded: !fresh,
  });
  if (fresh && key) {
    saveCache(key, fresh.figures, fresh.at, (dir) => {
      graph.writeIndexSync(join(dir, 'index.hnsw'));
      writeFileSync(join(dir, 'keys.json'), JSON.stringify({ dim: graph.getNumDimensions(), keys }));
    });
  }
}

if (peer === 'minisearch') await minisearch();
else if (peer === 'orama') await orama();
else if (peer === 'memory') await memory();
else if (peer === 'hnswlib') await hnsw();
else throw new Error(`unknown peer ${peer}`);
