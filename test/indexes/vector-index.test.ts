import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../evals/perf/corpus-gen.js';
import { randomUnitVector } from '../support/random-vectors.js';
import { mountSmallDisk, smallDiskAvailable, unmountAllSmallDisks } from '../support/small-disk.js';
import { defaultHnswSettings, exactScanLimit, VectorIndex } from '../../src/indexes/vector-index.js';

// A seeded generator (the benchmark's mulberry32), so every run sees the same vectors.
const random = mulberry32;

const dims = 32;
const rand = random(20240917);
const unitVector = () => randomUnitVector(rand, dims);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const collections = ['toan', 'van', 'anh'];

function bruteForce(vectors: Map<number, { v: Float32Array; collection: string }>, q: Float32Array, k: number, only?: Set<string>) {
  return [...vectors]
    .filter(([, e]) => !only || only.has(e.collection))
    .map(([id, e]) => ({ id, score: dot(q, e.v) }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}

describe('VectorIndex', () => {
  const count = 2000;
  const live = new Map<number, { v: Float32Array; collection: string }>();
  const removed = new Map<number, Float32Array>();
  let index: VectorIndex;
  let dir: string;
  const queries = Array.from({ length: 200 }, unitVector);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trogiang-vectors-'));
    // A small initial capacity, so adding 2,000 vectors needs several resizes.
    index = VectorIndex.create(dims, defaultHnswSettings, 100);
    for (let i = 0; i < count; i++) {
      const id = 10 + i * 3; // sparse ids, as chunk sequence numbers are after removals
      const entry = { v: unitVector(), collection: collections[i % 3]! };
      index.add(id, entry.v, entry.collection);
      live.set(id, entry);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('grows beyond its initial capacity and finds the exact nearest neighbour for ≥ 95% of queries', () => {
    expect(index.size).toBe(count);
    let agree = 0;
    for (const q of queries) {
      const hit = index.search(q, 1)[0];
      const truth = bruteForce(live, q, 1)[0]!;
      if (hit?.id === truth.id) agree++;
    }
    expect(agree / queries.length).toBeGreaterThanOrEqual(0.95);
  });

  it('scores hits by cosine similarity, best first', () => {
    for (const q of queries.slice(0, 20)) {
      const hits = index.search(q, 10);
      expect(hits).toHaveLength(10);
      for (const h of hits) expect(h.score).toBeCloseTo(dot(q, live.get(h.id)!.v), 4);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score + 1e-6);
    }
    const [self] = index.search(live.get(10)!.v, 1);
    expect(self?.id).toBe(10);
    expect(self?.score).toBeCloseTo(1, 4);
  });

  it('only returns the requested collections', () => {
    const only = new Set(['van']);
    let agree = 0;
    for (const q of queries.slice(0, 50)) {
      const hits = index.search(q, 15, only);
      expect(hits).toHaveLength(15);
      for (const h of hits) expect(live.get(h.id)?.collection).toBe('van');
      if (hits[0]?.id === bruteForce(live, q, 1, only)[0]?.id) agree++;
    }
    expect(agree / 50).toBeGreaterThanOrEqual(0.95);
    expect(index.search(queries[0]!, 5, new Set(['khong-co']))).toEqual([]);
  });

  it('never returns removed ids and still finds the nearest live vector', () => {
    const ids = [...live.keys()];
    for (let i = 0; i < ids.length; i += 4) {
      index.remove(ids[i]!);
      removed.set(ids[i]!, live.get(ids[i]!)!.v);
      live.delete(ids[i]!);
    }
    index.remove(999_999); // unknown ids are ignored
    expect(index.size).toBe(live.size);
    let agree = 0;
    for (const q of queries) {
      const hits = index.search(q, 30);
      for (const h of hits) expect(removed.has(h.id)).toBe(false);
      if (hits[0]?.id === bruteForce(live, q, 1)[0]!.id) agree++;
    }
    expect(agree / queries.length).toBeGreaterThanOrEqual(0.95);
    // Searching right at a removed vector does not bring it back.
    for (const [id, v] of [...removed].slice(0, 50)) {
      expect(index.has(id)).toBe(false);
      expect(index.search(v, 5).map((h) => h.id)).not.toContain(id);
    }
  });

  it('reuses deleted slots for new ids without growing', () => {
    for (let i = 0; i < 100; i++) {
      const id = 100_000 + i;
      const entry = { v: unitVector(), collection: 'anh' };
      index.add(id, entry.v, entry.collection);
      live.set(id, entry);
    }
    expect(index.size).toBe(live.size);
    for (const id of [100_000, 100_050, 100_099]) expect(index.search(live.get(id)!.v, 1)[0]?.id).toBe(id);
  });

  it('returns the same results after save and load', () => {
    const path = join(dir, 'vectors.hnsw');
    index.save(path);
    const loaded = VectorIndex.load(path, dims, defaultHnswSettings, index.entries());
    expect(loaded.size).toBe(index.size);
    for (const q of queries.slice(0, 50)) {
      expect(loaded.search(q, 10)).toEqual(index.search(q, 10));
      expect(loaded.search(q, 5, new Set(['toan']))).toEqual(index.search(q, 5, new Set(['toan'])));
    }
    for (const [id, v] of removed) {
      expect(loaded.has(id)).toBe(false);
      expect(loaded.search(v, 3).map((h) => h.id)).not.toContain(id);
    }
  });

  it('rejects a vector of the wrong size and a live id added twice', () => {
    expect(() => index.add(1, new Float32Array(dims - 1), 'toan')).toThrow(/dimensions/);
    const [id, entry] = [...live][0]!;
    expect(() => index.add(id, entry.v, 'toan')).toThrow(/already indexed/);
  });

  it('returns nothing for k ≤ 0 or an empty index', () => {
    expect(index.search(queries[0]!, 0)).toEqual([]);
    expect(VectorIndex.create(dims).search(queries[0]!, 5)).toEqual([]);
  });
});

describe('VectorIndex with reused ids', () => {
  it('keeps every id findable and removable when removed ids are added again', () => {
    const index = VectorIndex.create(dims, { m: 8, efConstruction: 64, efSearch: 64 }, 16);
    const live = new Map<number, Float32Array>();
    const step = random(7);
    for (let i = 0; i < 40; i++) {
      const v = unitVector();
      index.add(i, v, 'c');
      live.set(i, v);
    }
    // Regression: re-adding a removed id used to take another deleted slot, and reusing the
    // old slot later unlinked the live one ("Label not found" on the next removal).
    for (let round = 0; round < 400; round++) {
      const id = Math.floor(step() * 40);
      if (live.has(id)) {
        expect(() => index.remove(id)).not.toThrow();
        live.delete(id);
      } else {
        const v = unitVector();
        index.add(id, v, 'c');
        live.set(id, v);
      }
      expect(index.size).toBe(live.size);
    }
    for (const [id, v] of live) expect(index.search(v, 1)[0]?.id).toBe(id);
  });

  it('can add removed ids again after save and load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trogiang-vectors-'));
    try {
      const index = VectorIndex.create(dims, { m: 8, efConstruction: 64, efSearch: 64 }, 16);
      const vs = Array.from({ length: 40 }, unitVector);
      vs.forEach((v, id) => index.add(id, v, 'c'));
      const removedIds = [3, 17, 5, 28, 11, 39, 0, 22, 8, 31];
      for (const id of removedIds) index.remove(id);
      index.save(join(dir, 'v.hnsw'));
      const loaded = VectorIndex.load(join(dir, 'v.hnsw'), dims, defaultHnswSettings, index.entries());
      const readded = new Map<number, Float32Array>();
      for (const id of [...removedIds].reverse()) {
        const v = unitVector();
        loaded.add(id, v, 'c');
        readded.set(id, v);
      }
      expect(loaded.size).toBe(40);
      for (const [id, v] of readded) expect(loaded.search(v, 1)[0]?.id).toBe(id);
      for (let id = 0; id < 40; id++) expect(() => loaded.remove(id)).not.toThrow();
      expect(loaded.size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('answers sparse queries exactly on a small index, before and after save and load, and uses the graph past the limit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trogiang-vectors-'));
    try {
      const sparseQuery = () => {
        // Like the local embedder's query vectors: a few of the dimensions set.
        const q = new Float32Array(dims);
        for (let i = 0; i < 4; i++) q[Math.floor(rand() * dims)] = rand() - 0.5;
        let norm = 0;
        for (const x of q) norm += x * x;
        return q.map((x) => x / Math.sqrt(norm || 1));
      };
      // A deliberately poor graph (M 4, ef 10): only an exact scan returns the exact top 10 every time.
      const poor = { m: 4, efConstruction: 8, efSearch: 1 };
      const index = VectorIndex.create(dims, poor, 64);
      const vectors = new Map<number, { v: Float32Array; collection: string }>();
      for (let id = 0; id < 300; id++) {
        const v = unitVector();
        const collection = collections[id % 3]!;
        index.add(id, v, collection);
        vectors.set(id, { v, collection });
      }
      for (const id of [5, 77, 150]) {
        index.remove(id);
        vectors.delete(id);
      }
      index.save(join(dir, 'v.hnsw'));
      const loaded = VectorIndex.load(join(dir, 'v.hnsw'), dims, poor, index.entries());
      for (let i = 0; i < 50; i++) {
        const q = sparseQuery();
        const only = i % 2 ? new Set(['van']) : undefined;
        const expected = bruteForce(vectors, q, 10, only);
        for (const hits of [index.search(q, 10, only), loaded.search(q, 10, only)]) {
          expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
          hits.forEach((h, r) => expect(h.score).toBeCloseTo(expected[r]!.score, 5));
        }
      }
      // Past the limit the graph answers (this poor graph searches greedily at k 1, so k 10 is
      // asked): the probe is found, and no removed id comes back.
      for (let id = 300; id <= exactScanLimit; id++) index.add(id, unitVector(), 'toan');
      const probe = unitVector();
      index.add(exactScanLimit + 1, probe, 'toan');
      const hits = index.search(probe, 10).map((h) => h.id);
      expect(hits[0]).toBe(exactScanLimit + 1);
      for (const id of [5, 77, 150]) expect(hits).not.toContain(id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('VectorIndex on a full disk', () => {
  afterAll(() => unmountAllSmallDisks());

  // A real size-limited tmpfs needs root; without it there is no way to make hnswlib's own write fail.
  it.skipIf(!smallDiskAvailable())('refuses a graph file the disk cut short (hnswlib itself reports nothing)', () => {
    const disk = mountSmallDisk(64 * 1024);
    const index = VectorIndex.create(dims, defaultHnswSettings, 64);
    for (let id = 0; id < 400; id++) index.add(id, unitVector(), 'c');
    expect(() => index.save(join(disk.path, 'v.hnsw'))).toThrow(/not written completely/);
  });
});
