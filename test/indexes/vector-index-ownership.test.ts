/**
 * The vector index under the operation patterns of issue 15 (native crash in hnswlib's addPoint):
 * a re-index (every vector removed, then added again under new ids), concurrent uploads whose
 * background builds overlap, and index saves landing while a worker is writing its graph. The
 * graph's owner never uses hnswlib's deletion code; removed vectors are stale nodes, dropped by
 * a rebuild once they outnumber the live ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../evals/perf/corpus-gen.js';
import { HnswGraph } from '../../src/indexes/hnsw-owner.js';
import { compactFloor, defaultHnswSettings, VectorIndex } from '../../src/indexes/vector-index.js';
import { randomUnitVector } from '../support/random-vectors.js';

const dims = 32;
const rand = mulberry32(15);
const vectors = new Map<number, Float32Array>();
const vectorOf = (id: number) => {
  let v = vectors.get(id);
  if (!v) vectors.set(id, (v = randomUnitVector(rand, dims)));
  return v;
};
const root = mkdtempSync(join(tmpdir(), 'trogiang-owner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const workDir = () => join(root, `w${dirs++}`);

/** Every live id is its own nearest neighbour (asked for 5 on dense vectors), no removed id is returned. */
function expectExactly(index: VectorIndex, live: Set<number>, sample = 200) {
  expect(index.size).toBe(live.size);
  const ids = [...live];
  for (let i = 0; i < Math.min(sample, ids.length); i++) {
    const id = ids[Math.floor((i * ids.length) / Math.min(sample, ids.length))]!;
    expect(index.has(id)).toBe(true);
    const hits = index.search(vectorOf(id), 5);
    expect(hits[0]?.id, `vector ${id}`).toBe(id);
    for (const h of hits) expect(live.has(h.id), `returned ${h.id}`).toBe(true);
  }
}

describe('HnswGraph (the one owner of a native graph)', () => {
  it('adds a label once: a second add of it is refused, never turned into an in-place update', () => {
    const graph = HnswGraph.create(dims, defaultHnswSettings, 4);
    for (let id = 0; id < 10; id++) graph.add(id, vectorOf(id));
    expect(graph.capacity).toBeGreaterThanOrEqual(10);
    expect(() => graph.add(3, vectorOf(50))).toThrow(/already in the graph/);
    expect(graph.search(vectorOf(3), 1)[0]).toMatchObject({ label: 3 });
  });

  it('refuses a call made from inside another (a search filter calling back in)', () => {
    const graph = HnswGraph.create(dims, defaultHnswSettings, 16);
    for (let id = 0; id < 10; id++) graph.add(id, vectorOf(id));
    let inner: unknown = null;
    graph.search(vectorOf(1), 3, (label) => {
      if (inner === null) {
        try {
          graph.add(99, vectorOf(99));
          inner = 'accepted';
        } catch (error) {
          inner = (error as Error).message;
        }
      }
      return label >= 0;
    });
    expect(inner).toMatch(/add called while search is running/);
    expect(graph.has(99)).toBe(false);
  });
});

describe('VectorIndex without hnswlib deletions', () => {
  it('survives repeated re-indexing (all removed, all added under new ids) and drops stale nodes by rebuilding', () => {
    const index = VectorIndex.create(dims);
    let next = 0;
    let live = new Set<number>();
    for (let i = 0; i < 3000; i++) {
      index.add(next, vectorOf(next), 'c');
      live.add(next++);
    }
    for (let round = 0; round < 3; round++) {
      for (const id of live) index.remove(id);
      expect(index.staleCount).toBe(3000);
      live = new Set();
      for (let i = 0; i < 3000; i++) {
        index.add(next, vectorOf(next), 'c');
        live.add(next++);
        // Stale nodes outnumbered the (zero) live ones past the floor: the first insert rebuilt the graph, empty.
        if (i === 0) expect(index.staleCount).toBe(0);
      }
      expectExactly(index, live, 100);
    }
    // A few removals keep their stale nodes (below the floor); searches skip them.
    const few = [...live].slice(0, 50);
    for (const id of few) {
      index.remove(id);
      live.delete(id);
    }
    expect(index.staleCount).toBe(50);
    for (const id of few) expect(index.search(vectorOf(id), 5).some((h) => h.id === id)).toBe(false);
    expectExactly(index, live, 100);
  });

  it('keeps stale nodes across save and load, and takes back a removed id by rebuilding', () => {
    const index = VectorIndex.create(dims);
    const live = new Set<number>();
    for (let id = 0; id < 6000; id++) {
      index.add(id, vectorOf(id), 'c');
      live.add(id);
    }
    for (let id = 0; id < 500; id++) {
      index.remove(id);
      live.delete(id);
    }
    expect(index.staleCount).toBe(500);
    index.save(join(root, 'stale.hnsw'));
    const loaded = VectorIndex.load(join(root, 'stale.hnsw'), dims, defaultHnswSettings, index.entries());
    expect(loaded.staleCount).toBe(500);
    expectExactly(loaded, live, 100);
    // The same id back again (a label hnswlib already holds): the graph is rebuilt without the stale nodes first.
    loaded.add(7, vectorOf(7), 'c');
    live.add(7);
    expect(loaded.staleCount).toBe(0);
    expectExactly(loaded, live, 100);
    expect(compactFloor).toBeLessThan(6000);
  });
});

describe('VectorIndex background builds under overlapping uploads', () => {
  it('a save while a worker is writing its graph does not strand the build: finish returns and nothing is lost', async () => {
    const index = VectorIndex.create(dims);
    const live = new Set<number>();
    for (let id = 0; id < 500; id++) {
      index.add(id, vectorOf(id), 'c');
      live.add(id);
    }
    index.startBackgroundBuild(workDir(), 2000);
    for (let id = 500; id < 2500; id++) {
      index.add(id, vectorOf(id), 'c');
      live.add(id);
    }
    const finishing = index.finishBackgroundBuild();
    // Another upload's save lands while the worker writes (before, `finish` never returned).
    index.save(join(root, 'mid.hnsw'));
    const outcome = await Promise.race([finishing, new Promise((resolve) => setTimeout(() => resolve('hung'), 20_000))]);
    expect(outcome).toMatchObject({ builtBy: 'this-thread' });
    expect(index.buildingInBackground).toBe(false);
    expectExactly(index, live);
    const loaded = VectorIndex.load(join(root, 'mid.hnsw'), dims, defaultHnswSettings, index.entries());
    expectExactly(loaded, live);
  });

  it('random interleavings of adds, removals, starts, finishes and saves end in exactly the live set', async () => {
    for (const seed of [1, 2, 3]) {
      const r = mulberry32(seed);
      const index = VectorIndex.create(dims);
      const live = new Set<number>();
      const finishes: Array<Promise<unknown>> = [];
      let next = 0;
      for (let step = 0; step < 160; step++) {
        const roll = r();
        if (roll < 0.45) {
          const n = 1 + Math.floor(r() * 60);
          for (let i = 0; i < n; i++) {
            index.add(next, vectorOf(next), 'c');
            live.add(next++);
          }
        } else if (roll < 0.65 && live.size > 0) {
          const ids = [...live];
          const n = Math.min(ids.length, 1 + Math.floor(r() * 80));
          for (let i = 0; i < n; i++) {
            const id = ids[Math.floor(r() * ids.length)]!;
            index.remove(id);
            live.delete(id);
          }
        } else if (roll < 0.75) {
          index.startBackgroundBuild(workDir(), 100);
        } else if (roll < 0.88) {
          finishes.push(index.finishBackgroundBuild());
        } else if (roll < 0.94) {
          index.save(join(root, `s${seed}.hnsw`));
        } else {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(r() * 20)));
        }
      }
      await Promise.all(finishes);
      // Starts not yet finished (each start is paired with a finish, as the engine does).
      for (let i = 0; index.buildingInBackground && i < 1000; i++) {
        await index.finishBackgroundBuild();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(index.buildingInBackground).toBe(false);
      expectExactly(index, live);
      index.save(join(root, `end${seed}.hnsw`));
      expectExactly(VectorIndex.load(join(root, `end${seed}.hnsw`), dims, defaultHnswSettings, index.entries()), live);
    }
  }, 120_000);
});
