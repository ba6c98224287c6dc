import hnswlib from 'hnswlib-node';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { BackgroundVectorBuild } from './background-vector-build.js';
import { ExactVectors } from './exact-vectors.js';
import { topKOf } from './top-k.js';

const { HierarchicalNSW } = hnswlib;

/** HNSW graph settings: M links per node, efConstruction while building, ef when searching. */
export interface HnswSettings {
  m: number;
  efConstruction: number;
  efSearch: number;
}

/** efConstruction 100 builds the graph about twice as fast as 200 for the same hybrid recall (evals/perf/PROFILES.md). */
export const defaultHnswSettings: HnswSettings = { m: 16, efConstruction: 100, efSearch: 100 };

/**
 * Up to this many vectors, a sparse query (the local embedder's: a few dozen of 512 dimensions
 * set) is answered by an exact scan over its non-zero dimensions: on a center's corpus of a few
 * hundred chunks that takes microseconds where the graph search took about 0.2 ms, and it finds
 * the true nearest neighbours. Larger indexes, and dense (neural) queries, use the graph.
 */
export const exactScanLimit = 5000;

/** A neighbour: the caller's id and its cosine similarity (vectors are L2-normalised). */
export interface VectorHit {
  id: number;
  score: number;
}

/**
 * Approximate nearest-neighbour search over L2-normalised vectors with `hnswlib-node` (inner
 * product space). Ids are the store's chunk sequence numbers. Grows by doubling; removed ids are
 * marked deleted and their slots reused.
 */
export class VectorIndex {
  private index: InstanceType<typeof HierarchicalNSW>;
  private collectionOf = new Map<number, string>();
  /** Removed ids whose deleted slot may still carry their label in the graph. */
  private removed = new Set<number>();
  /** Every live vector while there are at most `exactScanLimit`, for exact scans; then null. */
  private exact: ExactVectors | null;
  /** A graph being built on another thread, with the vectors it has not yet returned. */
  private background: Background | null = null;

  private constructor(
    readonly dimensions: number,
    readonly settings: HnswSettings,
    index: InstanceType<typeof HierarchicalNSW>,
  ) {
    this.index = index;
    this.index.setEf(settings.efSearch);
    this.exact = new ExactVectors(dimensions);
  }

  static create(dimensions: number, settings: HnswSettings = defaultHnswSettings, capacity = 1024): VectorIndex {
    const index = new HierarchicalNSW('ip', dimensions);
    index.initIndex({ maxElements: capacity, m: settings.m, efConstruction: settings.efConstruction, randomSeed: 42, allowReplaceDeleted: true });
    return new VectorIndex(dimensions, settings, index);
  }

  /** Loads a saved graph; `collections` gives each live id's collection (kept in the store). */
  static load(path: string, dimensions: number, settings: HnswSettings, collections: Iterable<[number, string]>): VectorIndex {
    const index = new HierarchicalNSW('ip', dimensions);
    index.readIndexSync(path, true);
    const vectors = new VectorIndex(dimensions, settings, index);
    for (const [id, collection] of collections) vectors.collectionOf.set(id, collection);
    for (const id of index.getIdsList()) if (!vectors.collectionOf.has(id)) vectors.removed.add(id);
    if (vectors.collectionOf.size <= exactScanLimit) {
      for (const id of vectors.collectionOf.keys()) vectors.exact!.set(id, index.getPoint(id));
    } else {
      vectors.exact = null;
    }
    return vectors;
  }

  get size(): number {
    return this.collectionOf.size;
  }

  has(id: number): boolean {
    return this.collectionOf.has(id);
  }

  /** Ids with their collections, for saving beside the graph. */
  entries(): IterableIterator<[number, string]> {
    return this.collectionOf.entries();
  }

  add(id: number, vector: ArrayLike<number>, collection: string): void {
    if (vector.length !== this.dimensions) {
      throw new Error(`vector has ${vector.length} dimensions, the index ${this.dimensions}`);
    }
    if (this.has(id)) throw new Error(`vector ${id} is already indexed`);
    if (this.exact && this.exact.size >= exactScanLimit) this.exact = null;
    this.exact?.set(id, vector);
    const { background } = this;
    if (background) {
      background.pending.set(id, vector);
      background.build.add(id, vector, collection);
      if (background.late) background.late.push({ id, collection });
    } else {
      this.insert(id, vector);
    }
    this.collectionOf.set(id, collection);
  }

  /** Puts a vector into this thread's graph; `id` is not yet in `collectionOf`. */
  private insert(id: number, vector: ArrayLike<number>): void {
    if (this.removed.delete(id) && this.revive(id, vector)) return;
    const used = this.index.getCurrentCount();
    const deleted = used - (this.collectionOf.size - (this.background?.pending.size ?? 0));
    if (deleted <= 0 && used >= this.index.getMaxElements()) {
      this.index.resizeIndex(Math.max(1024, this.index.getMaxElements() * 2));
    }
    this.index.addPoint(Array.from(vector), id, deleted > 0);
  }

  /** Room for `capacity` elements in the graph, so a known number of adds does not resize it step by step. */
  reserve(capacity: number): void {
    if (capacity > this.index.getMaxElements()) this.index.resizeIndex(capacity);
  }

  /**
   * Re-adds a removed id in its own deleted slot. Replacing another deleted slot instead would
   * leave a second slot labelled `id`, and reusing that slot later would unlink the live one.
   */
  private revive(id: number, vector: ArrayLike<number>): boolean {
    try {
      this.index.unmarkDelete(id);
    } catch {
      return false; // the slot was already reused for another id: the label is gone
    }
    this.index.addPoint(Array.from(vector), id, false);
    return true;
  }

  remove(id: number): void {
    if (!this.collectionOf.delete(id)) return;
    this.exact?.delete(id);
    const { background } = this;
    if (background) {
      background.build.remove(id);
      if (background.late) background.late.push({ id });
      if (background.pending.has(id)) {
        background.pending.delete(id);
        return;
      }
    }
    this.index.markDelete(id);
    this.removed.add(id);
  }

  /**
   * From now on, adds go to a copy of the graph in a worker thread (see BackgroundVectorBuild)
   * until `finishBackgroundBuild`; meanwhile searches also scan the new vectors exactly. For an
   * ingest of many chunks: `expected` is how many will be added, `dir` a folder the build may
   * own for its files. Nested calls join the running build. Never throws: without a worker the
   * adds simply go to this thread's graph.
   */
  startBackgroundBuild(dir: string, expected: number): void {
    if (this.background) {
      this.background.users++;
      return;
    }
    try {
      const build = BackgroundVectorBuild.start(
        dir,
        { dimensions: this.dimensions, settings: this.settings, collections: [...this.collectionOf], capacity: this.index.getCurrentCount() + expected },
        (path) => {
          if (this.index.getCurrentCount() === 0) return false;
          this.save(path);
          return true;
        },
      );
      this.background = { build, pending: new ExactVectors(this.dimensions, 1024), users: 1, late: null };
    } catch {
      this.background = null; // no worker: adds go to this thread's graph as usual
    }
  }

  /**
   * Ends a background build: the graph the worker wrote replaces this one (with any operation
   * made while it was being written applied again). If the worker failed, the new vectors are
   * inserted here instead, so none is lost.
   */
  async finishBackgroundBuild(): Promise<BackgroundOutcome> {
    const background = this.background;
    if (!background) return { builtBy: 'none' };
    if (--background.users > 0) return { builtBy: 'pending' };
    const collections = [...this.collectionOf];
    background.late = [];
    const path = await background.build.finish();
    let outcome: BackgroundOutcome;
    try {
      if (path === null) throw new Error(background.build.failed ?? 'no graph');
      this.adopt(VectorIndex.load(path, this.dimensions, this.settings, collections), background.late);
      outcome = { builtBy: 'worker' };
    } catch (error) {
      // A failed worker or an unreadable graph file: the vectors are inserted here instead.
      const reason = background.build.failed ?? (error as Error).message;
      this.settle();
      outcome = { builtBy: 'this-thread', reason };
    } finally {
      this.background = null;
      await background.build.dispose();
    }
    return outcome;
  }

  /** Whether adds currently go to a worker thread. */
  get buildingInBackground(): boolean {
    return this.background !== null;
  }

  /** Takes over a graph built elsewhere, then applies the operations made after it was written. */
  private adopt(built: VectorIndex, late: LateOperation[]): void {
    for (const op of late) {
      if (op.collection === undefined) built.remove(op.id);
      else if (!built.has(op.id) && this.collectionOf.has(op.id)) built.add(op.id, this.background!.pending.vector(op.id), op.collection);
    }
    this.index = built.index;
    this.index.setEf(this.settings.efSearch);
    this.collectionOf = built.collectionOf;
    this.removed = built.removed;
    this.exact = built.exact;
  }

  /** Inserts the vectors still held for a background build into this thread's graph, and ends the build. */
  private settle(): void {
    const background = this.background;
    if (!background) return;
    const ids = background.pending.idList();
    for (const id of ids) {
      // Still counted as pending while inserted: `insert` counts the graph's live vectors without it.
      this.insert(id, background.pending.vector(id));
      background.pending.delete(id);
    }
    this.background = null;
    void background.build.dispose();
  }

  /** The `k` nearest vectors, optionally only in `collections`. */
  search(vector: ArrayLike<number>, k: number, collections?: ReadonlySet<string> | null): VectorHit[] {
    const wanted = Math.min(k, this.collectionOf.size);
    if (wanted <= 0) return [];
    const filter = collections
      ? (label: number) => collections.has(this.collectionOf.get(label) ?? '')
      : undefined;
    if (this.exact) {
      // Exact inner products over the query's non-zero dimensions (the local embedder's queries
      // are sparse): exact results, and cheaper than the graph on a small index.
      const { dims, weights } = nonZeroDimensions(vector);
      if (dims.length * 4 <= vector.length) return this.exact.scan(dims, weights, wanted, filter);
    }
    const pending = this.background?.pending;
    const inGraph = this.collectionOf.size - (pending?.size ?? 0);
    const hits = inGraph > 0 ? this.searchGraph(vector, Math.min(wanted, inGraph), filter) : [];
    if (!pending || pending.size === 0) return hits;
    // Vectors on their way to the background graph: scanned exactly, merged with the graph's.
    const { dims, weights } = nonZeroDimensions(vector);
    const all = [...hits, ...pending.scan(dims, weights, wanted, filter)];
    return topKOf(
      all.map((h) => h.id),
      Float64Array.from(all, (h) => h.score),
      all.length,
      wanted,
    );
  }

  private searchGraph(vector: ArrayLike<number>, wanted: number, filter: ((label: number) => boolean) | undefined): VectorHit[] {
    const query = Array.from(vector);
    let result: { distances: number[]; neighbors: number[] };
    try {
      result = this.index.searchKnn(query, wanted, filter);
    } catch {
      // hnswlib throws when a filter leaves fewer than k candidates; ask for fewer.
      result = this.index.searchKnn(query, Math.max(1, Math.floor(wanted / 4)), filter);
    }
    return result.neighbors.map((id, i) => ({ id, score: 1 - result.distances[i]! }));
  }

  /**
   * Writes the graph. hnswlib does not report a failed write (a full disk leaves a silently
   * truncated file), so the file is checked against the sizes in its own header.
   */
  save(path: string): void {
    // A graph being built elsewhere lacks nothing written here: its vectors are inserted first.
    this.settle();
    this.index.writeIndexSync(path);
    const header = Buffer.alloc(32);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, 32, 0);
    } finally {
      closeSync(fd);
    }
    // Header: 96 bytes (offsetLevel0, maxElements, count, bytesPerElement, ...), then each element's
    // level-0 data, then each element's 4-byte link-list size (and its upper-level links).
    const count = Number(header.readBigUInt64LE(16));
    const bytesPerElement = Number(header.readBigUInt64LE(24));
    const smallest = 96 + count * (bytesPerElement + 4);
    if (count !== this.index.getCurrentCount() || statSync(path).size < smallest) {
      throw new Error(`the vector index file ${path} was not written completely (is the disk full?)`);
    }
  }
}

/** Who built the graph of a finished background build (`pending`: other starts have not finished). */
export type BackgroundOutcome = { builtBy: 'worker' | 'none' | 'pending' } | { builtBy: 'this-thread'; reason: string };

/** An add (with its collection) or a removal made while a background graph was being written. */
interface LateOperation {
  id: number;
  collection?: string;
}

interface Background {
  build: BackgroundVectorBuild;
  /** Vectors sent to the worker: searched exactly meanwhile, inserted here if the worker fails. */
  pending: ExactVectors;
  /** Nested starts not yet finished. */
  users: number;
  /** Operations made after the worker was asked to write its graph (null before). */
  late: LateOperation[] | null;
}

/** A vector's non-zero dimensions and their values, the form exact scans take. */
function nonZeroDimensions(vector: ArrayLike<number>): { dims: Int32Array; weights: Float64Array } {
  let nonZero = 0;
  for (let d = 0; d < vector.length; d++) if (vector[d] !== 0) nonZero++;
  const dims = new Int32Array(nonZero);
  const weights = new Float64Array(nonZero);
  for (let d = 0, i = 0; d < vector.length; d++) {
    if (vector[d] === 0) continue;
    dims[i] = d;
    weights[i++] = vector[d]!;
  }
  return { dims, weights };
}
