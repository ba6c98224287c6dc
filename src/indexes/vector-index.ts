import hnswlib from 'hnswlib-node';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ExactVectors } from './exact-vectors.js';

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
  private readonly index: InstanceType<typeof HierarchicalNSW>;
  private readonly collectionOf = new Map<number, string>();
  /** Removed ids whose deleted slot may still carry their label in the graph. */
  private readonly removed = new Set<number>();
  /** Every live vector while there are at most `exactScanLimit`, for exact scans; then null. */
  private exact: ExactVectors | null;

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
    if (this.removed.delete(id) && this.revive(id, vector)) {
      this.collectionOf.set(id, collection);
      return;
    }
    const used = this.index.getCurrentCount();
    const deleted = used - this.collectionOf.size;
    if (deleted <= 0 && used >= this.index.getMaxElements()) {
      this.index.resizeIndex(Math.max(1024, this.index.getMaxElements() * 2));
    }
    this.index.addPoint(Array.from(vector), id, deleted > 0);
    this.collectionOf.set(id, collection);
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
    this.index.markDelete(id);
    this.removed.add(id);
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
      let nonZero = 0;
      for (let d = 0; d < vector.length; d++) if (vector[d] !== 0) nonZero++;
      if (nonZero * 4 <= vector.length) {
        const dims = new Int32Array(nonZero);
        const weights = new Float64Array(nonZero);
        for (let d = 0, i = 0; d < vector.length; d++) {
          if (vector[d] === 0) continue;
          dims[i] = d;
          weights[i++] = vector[d]!;
        }
        return this.exact.scan(dims, weights, wanted, filter);
      }
    }
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
