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
 * Usage: stage-peer.ts <peer> --docs F --questions F --count N --budget-s S [--data D] (the trogiang
 * data folder: the embedder's IDF statistics and the stored passage vectors, for the vector peers).
 */
import { Document } from '@langchain/core/documents';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import MiniSearch from 'minisearch';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureStats, LocalEmbeddings } from '../../src/embed/index.js';
import { embeddingText } from '../../src/indexes/index.js';
import { chunkKey, isHit, readDocs, readQuestions, type BenchQuestion } from './corpus-gen.js';
import { emit, hitString, latencyStats, note, peakRssMb, requireArg, round, rssMb, stageArgs } from './measure.js';

const args = stageArgs();
const peer = process.argv[2]!;
const docsPath = requireArg(args, 'docs');
const questions = readQuestions(requireArg(args, 'questions'), Number(args.get('count') ?? 500));
const budgetMs = Number(args.get('budget-s') ?? 120) * 1000;
const queryBudgetMs = Number(args.get('query-budget-s') ?? 60) * 1000;
const started = performance.now();
const overBudget = () => performance.now() - started > budgetMs;

/** Vietnamese-aware term normalisation for the lexical peers: NFD, marks dropped, đ → d, lower case. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

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
    bench: 'query', system, mode, queries: latencies.length, capped: latencies.length < qs.length,
    ...latencyStats(latencies), recall10: round(hits.filter(Boolean).length / Math.max(1, hits.length), 4), hits: hitString(hits), ...extra,
  });
}

function buildRow(system: string, chunks: number, ms: number, extra: Record<string, string | number | boolean> = {}) {
  emit({ bench: 'index-build', system, chunks, seconds: round(ms / 1000, 2), chunks_per_s: Math.round(chunks / (ms / 1000)), rss_mb: rssMb(), ...extra });
}

function timedOut(system: string, chunks: number): void {
  emit({ bench: 'index-build', system, chunks, timed_out: true, seconds: round((performance.now() - started) / 1000, 1), budget_s: budgetMs / 1000, rss_mb: rssMb() });
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
    const rows = db.prepare('SELECT document_id, ordinal, title, heading_path, text, vector FROM chunks ORDER BY seq').iterate() as IterableIterator<{
      document_id: string; ordinal: number; title: string; heading_path: string; text: string; vector: Buffer;
    }>;
    for (const row of rows) {
      const m = /tai-lieu-(\d+)-md/.exec(row.document_id);
      keys.push(chunkKey(m ? Number(m[1]) : -1, row.ordinal));
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
  const ms = new MiniSearch<Passage>({
    idField: 'key',
    fields: ['title', 'heading', 'text'],
    storeFields: [],
    processTerm: (term) => fold(term),
  });
  let chunks = 0;
  const t = performance.now();
  for await (const batch of passages()) {
    ms.addAll(batch);
    chunks += batch.length;
    if (overBudget()) return timedOut('minisearch', chunks);
  }
  buildRow('minisearch', chunks, performance.now() - t);
  note(`minisearch: indexed ${chunks} passages`);
  await measureQueries('minisearch', 'bm25', questions, (q) => ms.search(q.text).slice(0, 10).map((r) => String(r.id)));
  const fuzzyCount = Number(args.get('fuzzy-count') ?? 50);
  await measureQueries('minisearch-fuzzy', 'bm25', questions.slice(0, fuzzyCount), (q) =>
    ms.search(q.text, { prefix: true, fuzzy: 0.2 }).slice(0, 10).map((r) => String(r.id)),
  );
  emit({ bench: 'peer-memory', system: 'minisearch', chunks, peak_rss_mb: peakRssMb(), rss_mb: rssMb(), rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / chunks) });
}

async function orama(): Promise<void> {
  const tokenizer = {
    language: 'english',
    normalizationCache: new Map<string, string>(),
    // Orama's default tokenizer also returns each token once per field (allowDuplicates: false).
    // The closing `_` keeps a syllable from prefix-matching longer words: Orama's full-text search
    // expands every term to all words it prefixes (`co` → `con`, `cong`, `cot`…), which on folded
    // Vietnamese syllables drowns the ranking (recall@10 0.25 at 2k chunks without it).
    tokenize: (raw: string) => [...new Set(fold(raw).split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((t) => `${t}_`))],
  };
  const db = create({
    schema: { title: 'string', heading: 'string', text: 'string' } as const,
    components: { tokenizer },
  });
  let chunks = 0;
  const t = performance.now();
  for await (const batch of passages(2000)) {
    await insertMultiple(db, batch.map((p) => ({ id: p.key, title: p.title, heading: p.heading, text: p.text })), 2000);
    chunks += batch.length;
    if (overBudget()) return timedOut('orama', chunks);
  }
  buildRow('orama', chunks, performance.now() - t);
  note(`orama: indexed ${chunks} passages`);
  await measureQueries('orama', 'bm25', questions, async (q) => {
    const result = await oramaSearch(db, { term: q.text, properties: ['title', 'heading', 'text'], limit: 10 });
    return result.hits.map((h) => String(h.id));
  });
  emit({ bench: 'peer-memory', system: 'orama', chunks, peak_rss_mb: peakRssMb(), rss_mb: rssMb(), rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / chunks) });
}

async function memory(): Promise<void> {
  const embeddings = localEmbeddings();
  const store = new MemoryVectorStore(embeddings);
  let chunks = 0;
  let buildMs = 0;
  for (const batch of storedVectors()) {
    const t = performance.now();
    await store.addVectors(batch.vectors, batch.texts.map((text, i) => new Document({ pageContent: text, metadata: { key: batch.keys[i] } })));
    buildMs += performance.now() - t;
    chunks += batch.keys.length;
    if (overBudget()) return timedOut('langchain-memory', chunks);
  }
  buildRow('langchain-memory', chunks, buildMs, { vectors: 'stored' });
  await measureQueries('langchain-memory', 'vector', questions, async (q) =>
    (await store.similaritySearch(q.text, 10)).map((d) => String(d.metadata.key)),
  );
  emit({ bench: 'peer-memory', system: 'langchain-memory', chunks, peak_rss_mb: peakRssMb(), rss_mb: rssMb(), rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / chunks) });
}

async function hnsw(): Promise<void> {
  const embeddings = localEmbeddings();
  const keys: string[] = [];
  let index: InstanceType<typeof hnswlib.HierarchicalNSW> | null = null;
  let buildMs = 0;
  for (const batch of storedVectors()) {
    const t = performance.now();
    const vectors = batch.vectors;
    // As HNSWLib.addVectors: create and `initIndex(vectors.length)` on first use, grow with resizeIndex.
    if (!index) {
      index = new hnswlib.HierarchicalNSW('cosine', vectors[0]!.length);
      index.initIndex(vectors.length);
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
  buildRow('hnswlib', keys.length, buildMs, { vectors: 'stored' });
  await measureQueries('hnswlib', 'vector', questions, async (q) => {
    const query = await embeddings.embedQuery(q.text);
    return index!.searchKnn(query, 10).neighbors.map((n) => keys[n]!);
  }, { ef: 10 });
  // The same graph searched at trogiang's ef (100), to separate the graph from the search depth.
  index!.setEf(100);
  await measureQueries('hnswlib-ef100', 'vector', questions, async (q) => {
    const query = await embeddings.embedQuery(q.text);
    return index!.searchKnn(query, 10).neighbors.map((n) => keys[n]!);
  }, { ef: 100 });
  // Deeper search on the same graph: how much of the exact neighbours HNSW can recover here.
  index!.setEf(400);
  await measureQueries('hnswlib-ef400', 'vector', questions, async (q) => {
    const query = await embeddings.embedQuery(q.text);
    return index!.searchKnn(query, 10).neighbors.map((n) => keys[n]!);
  }, { ef: 400 });
  emit({ bench: 'peer-memory', system: 'hnswlib', chunks: keys.length, peak_rss_mb: peakRssMb(), rss_mb: rssMb(), rss_bytes_per_chunk: Math.round((rssMb() * 2 ** 20) / keys.length) });
}

if (peer === 'minisearch') await minisearch();
else if (peer === 'orama') await orama();
else if (peer === 'memory') await memory();
else if (peer === 'hnswlib') await hnsw();
else throw new Error(`unknown peer ${peer}`);
