import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../evals/perf/corpus-gen.js';
import { VectorIndex } from '../../src/indexes/vector-index.js';
import { randomUnitVector } from '../support/random-vectors.js';

// Dense random vectors: searches go through the graph (and the exact scan of pending vectors),
// not the small-index sparse scan.
const dims = 32;
const rand = mulberry32(77);
const unitVector = () => randomUnitVector(rand, dims);
const vectors = Array.from({ length: 2500 }, unitVector);
const collectionOf = (id: number) => (id % 3 === 0 ? 'toan' : 'van');

const root = mkdtempSync(join(tmpdir(), 'trogiang-bg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const workDir = () => join(root, `w${dirs++}`);

/** Every live id is its own nearest neighbour, and no removed id is ever returned. */
function expectSearchable(index: VectorIndex, live: Iterable<number>, removed: Iterable<number> = []) {
  const gone = new Set(removed);
  for (const id of live) {
    const hits = index.search(vectors[id]!, 3);
    expect(hits[0]?.id, `vector ${id}`).toBe(id);
    for (const h of hits) expect(gone.has(h.id)).toBe(false);
  }
}

describe('VectorIndex background build (graph built on a worker thread)', () => {
  it('writes the same graph as adding on this thread, and keeps new vectors searchable meanwhile', async () => {
    const here = VectorIndex.create(dims);
    here.reserve(2000);
    for (let id = 0; id < 2000; id++) here.add(id, vectors[id]!, collectionOf(id));

    const there = VectorIndex.create(dims);
    there.startBackgroundBuild(workDir(), 2000);
    expect(there.buildingInBackground).toBe(true);
    for (let id = 0; id < 2000; id++) there.add(id, vectors[id]!, collectionOf(id));
    // Before the worker's graph comes back: found by the exact scan of pending vectors.
    expectSearchable(there, [0, 1, 999, 1999]);
    const onlyToan = there.search(vectors[1]!, 5, new Set(['toan']));
    expect(onlyToan.length).toBe(5);
    for (const h of onlyToan) expect(collectionOf(h.id)).toBe('toan');
    expect(await there.finishBackgroundBuild()).toEqual({ builtBy: 'worker' });
    expect(there.buildingInBackground).toBe(false);
    expect(there.size).toBe(2000);

    here.save(join(root, 'here.hnsw'));
    there.save(join(root, 'there.hnsw'));
    expect(readFileSync(join(root, 'there.hnsw')).equals(readFileSync(join(root, 'here.hnsw')))).toBe(true);
    for (const id of [5, 500, 1500]) expect(there.search(vectors[id]!, 10)).toEqual(here.search(vectors[id]!, 10));
  });

  it('starts from the existing graph and applies removals and re-adds made during and after the build', async () => {
    const index = VectorIndex.create(dims);
    for (let id = 0; id < 1000; id++) index.add(id, vectors[id]!, collectionOf(id));
    index.startBackgroundBuild(workDir(), 1000);
    for (let id = 1000; id < 1800; id++) index.add(id, vectors[id]!, collectionOf(id));
    index.remove(10); // in the graph the worker started from
    index.remove(1500); // pending, not yet returned
    index.remove(20);
    index.add(20, vectors[20]!, collectionOf(20)); // removed and back
    const finishing = index.finishBackgroundBuild();
    // While the worker writes its graph: applied to the graph that comes back.
    index.add(1800, vectors[1800]!, 'van');
    index.remove(30);
    index.remove(1600);
    expect(await finishing).toEqual({ builtBy: 'worker' });
    const removed = [10, 1500, 30, 1600];
    const live = [...Array(1801).keys()].filter((id) => !removed.includes(id));
    expect(index.size).toBe(live.length);
    for (const id of removed) expect(index.has(id)).toBe(false);
    expectSearchable(
      index,
      live.filter((id) => id % 7 === 0 || id === 20 || id === 1800),
      removed,
    );
  });

  it('inserts the pending vectors itself when the worker cannot deliver its graph', async () => {
    const index = VectorIndex.create(dims);
    const dir = workDir();
    index.startBackgroundBuild(dir, 600);
    for (let id = 0; id < 600; id++) index.add(id, vectors[id]!, 'van');
    rmSync(dir, { recursive: true, force: true }); // the worker's graph cannot be written there
    const outcome = await index.finishBackgroundBuild();
    expect(outcome.builtBy).toBe('this-thread');
    expect((outcome as { reason: string }).reason).toMatch(/built\.hnsw/);
    expect(index.buildingInBackground).toBe(false);
    expect(index.size).toBe(600);
    expectSearchable(index, [0, 299, 599]);
  });

  it('saving during a build inserts the pending vectors first, so the file lacks none', () => {
    const index = VectorIndex.create(dims);
    index.startBackgroundBuild(workDir(), 400);
    for (let id = 0; id < 400; id++) index.add(id, vectors[id]!, 'van');
    const path = join(root, 'mid-build.hnsw');
    index.save(path);
    expect(index.buildingInBackground).toBe(false);
    const loaded = VectorIndex.load(path, dims, index.settings, [...index.entries()]);
    expect(loaded.size).toBe(400);
    expectSearchable(loaded, [0, 200, 399]);
  });

  it('nested starts join one build, which ends with the last finish', async () => {
    const index = VectorIndex.create(dims);
    index.startBackgroundBuild(workDir(), 100);
    index.startBackgroundBuild(workDir(), 100);
    for (let id = 0; id < 200; id++) index.add(id, vectors[id]!, 'van');
    expect(await index.finishBackgroundBuild()).toEqual({ builtBy: 'pending' });
    expect(index.buildingInBackground).toBe(true);
    expect(await index.finishBackgroundBuild()).toEqual({ builtBy: 'worker' });
    expect(index.buildingInBackground).toBe(false);
    expectSearchable(index, [0, 199]);
  });

  it('gets its worker in a process started with `--import` of a TypeScript file (flags are not inherited)', () => {
    const support = join(import.meta.dirname, '..', 'support');
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--import', join(support, 'typescript-preload.ts'), join(support, 'background-build-child.ts'), workDir()],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(JSON.parse(out)).toEqual({ outcome: { builtBy: 'worker' }, size: 50 });
  });
});
