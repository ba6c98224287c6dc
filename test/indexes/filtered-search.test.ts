import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../evals/perf/corpus-gen.js';
import type { IndexedFields } from '../../src/indexes/analyze-fields.js';
import { Bm25Index, defaultBm25Params, type Bm25Params } from '../../src/indexes/bm25-index.js';
import { defaultHnswSettings, exactScanLimit, VectorIndex } from '../../src/indexes/vector-index.js';
import { randomUnitVector } from '../support/random-vectors.js';

// A search limited to some collections (a learner's center and its subscriptions) must return
// exactly what a search of an index holding only those collections returns: the same ids and
// the same scores, through removals, re-adds and a save and load.

const collectionNames = ['center-a', 'center-b', 'center-c', 'center-d', 'shared'];
const words = [
  'học',
  'phí',
  'lớp',
  'toán',
  'tháng',
  'giờ',
  'thư',
  'viện',
  'mở',
  'cửa',
  'đăng',
  'ký',
  'thi',
  'chứng',
  'chỉ',
  'tin',
  'văn',
  'fees',
  'class',
  'the',
];
const textArb = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 14 }).map((w) => w.join(' '));
const docArb = fc.record({ title: textArb, text: textArb, collection: fc.constantFrom(...collectionNames) });
const paramsArb: fc.Arbitrary<Bm25Params> = fc.record({
  k1: fc.constantFrom(0.9, 1.2, 1.5),
  b: fc.constantFrom(0, 0.75, 1),
  titleWeight: fc.constantFrom(0, 1, 2),
  headingWeight: fc.constantFrom(0.5, 1),
  bigramWeight: fc.constantFrom(0, 0.4),
  exactWeight: fc.constantFrom(0, 0.15),
  questionWordWeight: fc.constantFrom(1, 0.25),
});

interface Live {
  fields: IndexedFields;
  collection: string;
}

/** An index of only the `visible` documents, added in id order (as the store's sequence numbers go). */
function bm25Of(params: Bm25Params, live: ReadonlyMap<number, Live>, visible: ReadonlySet<string>): Bm25Index {
  const index = new Bm25Index(params);
  for (const [id, doc] of [...live].sort((a, b) => a[0] - b[0])) if (visible.has(doc.collection)) index.add(id, doc.fields, doc.collection);
  return index;
}

describe('filtered BM25 search', () => {
  it('returns exactly the top k of an index holding only the visible collections, through removals, re-adds and a reload', () => {
    fc.assert(
      fc.property(
        paramsArb,
        fc.array(docArb, { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(59), { maxLength: 25 }),
        fc.subarray(collectionNames, { minLength: 1 }),
        fc.array(textArb, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.boolean(),
        (params, docs, removals, wanted, queries, k, reload) => {
          let index = new Bm25Index(params);
          const live = new Map<number, Live>();
          let nextId = 0;
          docs.forEach((d) => {
            const fields = { title: d.title, headings: '', text: d.text };
            index.add(nextId, fields, d.collection);
            live.set(nextId++, { fields, collection: d.collection });
          });
          // Removals; every third removed document comes back under a new id (a re-index) in the next collection.
          removals.forEach((r, i) => {
            const doc = live.get(r);
            if (!doc) return;
            index.remove(r, doc.fields);
            live.delete(r);
            if (i % 3 === 0) {
              const collection = collectionNames[(collectionNames.indexOf(doc.collection) + 1) % collectionNames.length]!;
              index.add(nextId, doc.fields, collection);
              live.set(nextId++, { fields: doc.fields, collection });
            }
          });
          if (reload) index = Bm25Index.deserialize(index.serialize(), params);
          const visible = new Set(wanted);
          const alone = bm25Of(params, live, visible);
          for (const query of queries) {
            expect(index.search(query, k, visible)).toEqual(alone.search(query, k));
            for (const term of query.split(' ')) {
              expect(index.documentFrequency(term, visible)).toBe(alone.documentFrequency(term));
              expect(index.idf(term, visible)).toBe(alone.idf(term));
            }
          }
          // All collections visible is the unfiltered search.
          for (const query of queries) expect(index.search(query, k, new Set(collectionNames))).toEqual(index.search(query, k));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads only the visible collections: a collection absent from the index, or none at all, finds nothing', () => {
    const index = new Bm25Index(defaultBm25Params);
    index.add(0, { title: '', headings: '', text: 'học phí lớp toán' }, 'center-a');
    index.add(1, { title: '', headings: '', text: 'học phí lớp văn' }, 'center-b');
    expect(index.search('học phí', 5, new Set(['center-c']))).toEqual([]);
    expect(index.search('học phí', 5, new Set(['center-b'])).map((h) => h.id)).toEqual([1]);
    expect(index.documentFrequency('hoc', new Set(['center-a']))).toBe(1);
    expect(index.documentFrequency('hoc')).toBe(2);
  });
});

describe('filtered vector search', () => {
  const dims = 16;
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A query with `nonZero` dimensions set (the local embedder's queries are sparse). */
  function query(rand: () => number, nonZero: number): Float32Array {
    const v = randomUnitVector(rand, dims);
    const keep = new Set<number>();
    while (keep.size < nonZero) keep.add(Math.floor(rand() * dims));
    for (let d = 0; d < dims; d++) if (!keep.has(d)) v[d] = 0;
    return v;
  }

  /** Exact inner products, summed over the query's non-zero dimensions in order (as the exact scans sum). */
  function exactTop(
    live: ReadonlyMap<number, { v: Float32Array; collection: string }>,
    q: Float32Array,
    k: number,
    visible: ReadonlySet<string>,
  ) {
    const scored: Array<{ id: number; score: number }> = [];
    for (const [id, e] of live) {
      if (!visible.has(e.collection)) continue;
      let score = 0;
      for (let d = 0; d < dims; d++) if (q[d] !== 0) score += q[d]! * e.v[d]!;
      scored.push({ id, score });
    }
    return scored.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }

  it('returns exactly the top k of an index of only the visible collections, through removals, re-adds and a reload', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.subarray(collectionNames, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 20 }),
        (seed, wanted, k) => {
          const rand = mulberry32(seed);
          // Past the whole-index exact limit, so the filtered search takes its own way (not the small index's scan).
          const count = exactScanLimit + 700;
          const index = VectorIndex.create(dims, defaultHnswSettings, count);
          const live = new Map<number, { v: Float32Array; collection: string }>();
          for (let id = 0; id < count; id++) {
            const entry = { v: randomUnitVector(rand, dims), collection: collectionNames[Math.floor(rand() * collectionNames.length)]! };
            index.add(id, entry.v, entry.collection);
            live.set(id, entry);
          }
          const visible = new Set(wanted);
          const check = (searched: VectorIndex) => {
            // An index of the visible vectors alone, small enough to be scanned exactly.
            const alone = VectorIndex.create(dims, defaultHnswSettings, count);
            for (const [id, e] of live) if (visible.has(e.collection)) alone.add(id, e.v, e.collection);
            expect(alone.size).toBeLessThanOrEqual(exactScanLimit);
            for (let i = 0; i < 8; i++) {
              const sparse = query(rand, 3);
              expect(searched.search(sparse, k, visible)).toEqual(alone.search(sparse, k));
              // Dense queries take the graph on a small index: checked against exact scores instead.
              const dense = randomUnitVector(rand, dims);
              const hits = searched.search(dense, k, visible);
              const truth = exactTop(live, dense, k, visible);
              expect(hits.map((h) => h.id)).toEqual(truth.map((t) => t.id));
              hits.forEach((h, j) => expect(h.score).toBeCloseTo(truth[j]!.score, 6));
            }
          };
          check(index); // the visible collections' columns are made here
          // Removals and re-adds under new ids reach the columns already made.
          let nextId = count;
          for (const id of [...live.keys()].filter(() => rand() < 0.15)) {
            const entry = live.get(id)!;
            index.remove(id);
            live.delete(id);
            if (rand() < 0.5) {
              const moved = { v: entry.v, collection: collectionNames[Math.floor(rand() * collectionNames.length)]! };
              index.add(nextId, moved.v, moved.collection);
              live.set(nextId++, moved);
            }
          }
          check(index);
          const dir = mkdtempSync(join(tmpdir(), 'trogiang-filtered-'));
          dirs.push(dir);
          index.save(join(dir, 'vectors.hnsw'));
          check(VectorIndex.load(join(dir, 'vectors.hnsw'), dims, defaultHnswSettings, index.entries()));
        },
      ),
      { numRuns: 6 },
    );
  }, 180_000);

  it('finds nothing for collections it does not hold, and never more than the visible vectors', () => {
    const rand = mulberry32(7);
    const index = VectorIndex.create(dims, defaultHnswSettings, 16);
    for (let id = 0; id < 10; id++) index.add(id, randomUnitVector(rand, dims), id < 3 ? 'center-a' : 'center-b');
    const q = randomUnitVector(rand, dims);
    expect(index.search(q, 5, new Set(['nowhere']))).toEqual([]);
    expect(
      index
        .search(q, 5, new Set(['center-a']))
        .map((h) => h.id)
        .sort(),
    ).toEqual([0, 1, 2]);
  });
});
