import { BackgroundVectorBuild } from './background-vector-build.js';
import { CollectionColumns } from './collection-columns.js';
import { ExactVectors } from './exact-vectors.js';
import { HnswGraph } from './hnsw-owner.js';
import { topKOf, type Scored } from './top-k.js';

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

/**
 * A filtered search whose visible vectors times the query's non-zero dimensions stay under this
 * many multiply-adds (about 1-2 ms here) scans the visible collections exactly (see
 * CollectionColumns): a sparse local query over a center's 12,000 visible chunks is about 0.5M.
 */
export const exactFilteredWork = 2_000_000;

/**
 * Below this share of the index visible, a filtered search is exact whatever its cost (within
 * the columns' budget): a graph walk would mostly meet filtered-out nodes, and its recall falls.
 */
export const graphSelectivityFloor = 0.02;

/** The most a filtered graph search raises ef to (efSearch / the visible share). */
export const maxFilteredEf = 1000;

/** A neighbour: the caller's id and its cosine similarity (vectors are L2-normalised). */
export interface VectorHit {
  id: number;
  score: number;
}

/** Below this many stale nodes a graph is never rebuilt to drop them. */
export const compactFloor = 1024;

/**
 * Approximate nearest-neighbour search over L2-normalised vectors with `hnswlib-node` (inner
 * product space), through its single owner `HnswGraph`. Ids are the store's chunk sequence
 * numbers. A removed vector stays in the graph as a stale node that searches filter out (hnswlib
 * never deletes or replaces an element: its deletion code is what crashed, issue 15); once stale
 * nodes outnumber the live ones (and exceed `compactFloor`) the graph is rebuilt from the live
 * vectors, so the rebuild costs at most one insert per removal.
 */
export class VectorIndex {
  private graph: HnswGraph;
  private collectionOf = new Map<number, string>();
  /** The live ids of each collection. */
  private readonly members = new Map<string, Set<number>>();
  /** Exact copies of recently searched collections, for filtered searches over few vectors. */
  private readonly columns: CollectionColumns;
  /** Ids removed since they were put into this thread's graph: still nodes there, never returned. */
  private stale = new Set<number>();
  /** Every live vector while there are at most `exactScanLimit`, for exact scans; then null. */
  private exact: ExactVectors | null;
  /** A graph being built on another thread, with the vectors it has not yet returned. */
  private background: Background | null = null;

  private constructor(
    readonly dimensions: number,
    readonly settings: HnswSettings,
    graph: HnswGraph,
  ) {
    this.graph = graph;
    this.exact = new ExactVectors(dimensions, 64, exactScanLimit);
    this.columns = new CollectionColumns(dimensions);
  }

  static create(dimensions: number, settings: HnswSettings = defaultHnswSettings, capacity = 1024): VectorIndex {
    return new VectorIndex(dimensions, settings, HnswGraph.create(dimensions, settings, capacity));
  }

  /**
   * Loads a saved graph (validated before hnswlib reads it: see HnswGraph.load); `collections`
   * gives each live id's collection (kept in the store). Graph nodes not in it are stale; a live
   * id missing from the graph means the files disagree, and throws.
   */
  static load(path: string, dimensions: number, settings: HnswSettings, collections: Iterable<[number, string]>): VectorIndex {
    const vectors = new VectorIndex(dimensions, settings, HnswGraph.load(path, dimensions, settings));
    for (const [id, collection] of collections) {
      if (!vectors.graph.has(id)) throw new Error(`vector ${id} is listed but not in the graph file`);
      if (vectors.collectionOf.has(id)) throw new Error(`vector ${id} is listed twice`);
      vectors.collectionOf.set(id, collection);
      vectors.memberAdd(collection, id);
    }
    for (const id of vectors.graph.labelList()) if (!vectors.collectionOf.has(id)) vectors.stale.add(id);
    if (vectors.collectionOf.size <= exactScanLimit) {
      for (const id of vectors.collectionOf.keys()) vectors.exact!.set(id, vectors.graph.point(id));
    } else {
      vectors.exact = null;
    }
    return vectors;
  }

  get size(): number {
    return this.collectionOf.size;
  }

  /** Removed vectors still held as nodes of this thread's graph. */
  get staleCount(): number {
    return this.stale.size;
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
    this.memberAdd(collection, id);
    this.columns.add(collection, id, vector);
  }

  private memberAdd(collection: string, id: number): void {
    let ids = this.members.get(collection);
    if (!ids) this.members.set(collection, (ids = new Set()));
    ids.add(id);
  }

  /** Puts a vector into this thread's graph; `id` is not live. */
  private insert(id: number, vector: ArrayLike<number>): void {
    // A removed id coming back: its stale node must leave the graph first (a label is added once).
    if (this.graph.has(id)) this.compact();
    else this.compactIfDue();
    this.graph.add(id, vector);
  }

  /** Room for `capacity` elements in the graph, so a known number of adds does not resize it step by step. */
  reserve(capacity: number): void {
    this.graph.reserve(capacity);
  }

  /**
   * Before `adds` inserts into this thread's graph (an upload's sliced adds): drops the stale
   * nodes now if the first insert would (the same rebuild, from the same live nodes, sized for
   * the adds), then makes room for all of them in one step, so no insert in the middle resizes
   * the graph (each doubling copied it: 0.1-0.3 s at 8-16k vectors, measured under load). The
   * graph's capacity does not change its links, so searches return the same.
   */
  prepareForAdds(adds: number): void {
    if (this.background || adds <= 0) return;
    if (this.compactDue()) this.compact(adds);
    const needed = this.graph.count + adds;
    const capacity = this.graph.capacity;
    if (needed <= capacity) return;
    let grown = Math.max(1024, capacity);
    while (grown < needed) grown *= 2;
    this.graph.reserve(grown);
  }

  remove(id: number): void {
    const collection = this.collectionOf.get(id);
    if (collection === undefined) return;
    this.collectionOf.delete(id);
    const ids = this.members.get(collection)!;
    ids.delete(id);
    if (ids.size === 0) this.members.delete(collection);
    this.columns.delete(collection, id);
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
    // Not rebuilt here: a re-index removes every vector before adding the new ones, and the
    // first insert after rebuilds the graph from what is still live (often nothing).
    this.stale.add(id);
  }

  private compactDue(): boolean {
    return this.stale.size > Math.max(compactFloor, this.graph.count - this.stale.size);
  }

  private compactIfDue(): void {
    if (this.compactDue()) this.compact();
  }

  /** Rebuilds this thread's graph from its live nodes, dropping the stale ones (room for `adds` more). */
  private compact(adds = 0): void {
    const live = this.graph.labelList().filter((id) => !this.stale.has(id));
    const graph = HnswGraph.create(this.dimensions, this.settings, Math.max(1024, live.length * 2, live.length + adds));
    for (const id of live) graph.add(id, this.graph.point(id));
    this.graph = graph;
    this.stale.clear();
  }

  /**
   * From now on, adds go to a copy of the graph in a worker thread (see BackgroundVectorBuild)
   * until `finishBackgroundBuild`; meanwhile searches also scan the new vectors exactly. For an
   * ingest of many chunks: `expected` is how many will be added, `dir` a folder the build may
   * own for its files. Nested calls join the running build; a call while the build is being
   * finished does not join it (its adds are applied after the hand-over, and its finish does
   * nothing). Never throws: without a worker the adds simply go to this thread's graph.
   */
  startBackgroundBuild(dir: string, expected: number): void {
    if (this.background) {
      if (this.background.late === null) this.background.users++;
      return;
    }
    try {
      const build = BackgroundVectorBuild.start(
        dir,
        {
          dimensions: this.dimensions,
          settings: this.settings,
          collections: [...this.collectionOf],
          capacity: this.graph.count + expected,
        },
        (path) => {
          if (this.graph.count === 0) return false;
          this.graph.write(path);
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
   * inserted here instead, so none is lost. A save while the worker was writing may already
   * have done that (`settle`): then this build is no longer this index's and is only disposed.
   */
  async finishBackgroundBuild(): Promise<BackgroundOutcome> {
    const background = this.background;
    if (!background) return { builtBy: 'none' };
    // Already being finished by another caller (whose start this one's did not join).
    if (background.late !== null) return { builtBy: 'pending' };
    if (--background.users > 0) return { builtBy: 'pending' };
    const collections = [...this.collectionOf];
    background.late = [];
    const path = await background.build.finish();
    if (this.background !== background) {
      await background.build.dispose();
      return { builtBy: 'this-thread', reason: 'an index save inserted its vectors while the worker was writing' };
    }
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
      if (this.background === background) this.background = null;
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
    const pending = this.background!.pending;
    for (const op of late) {
      if (op.collection === undefined) built.remove(op.id);
      else if (!built.has(op.id) && this.collectionOf.has(op.id)) built.add(op.id, pending.vector(op.id), op.collection);
    }
    this.graph = built.graph;
    this.collectionOf = built.collectionOf;
    this.stale = built.stale;
    this.exact = built.exact;
  }

  /** Inserts the vectors still held for a background build into this thread's graph, and ends the build. */
  private settle(): void {
    const background = this.background;
    if (!background) return;
    for (const id of background.pending.idList()) {
      this.insert(id, background.pending.vector(id));
      background.pending.delete(id);
    }
    this.background = null;
    void background.build.dispose();
  }

  /**
   * The `k` nearest vectors, optionally only in `collections`. A filtered search over few
   * vectors (see `exactFilteredWork`, `graphSelectivityFloor`) scans the visible collections
   * exactly; a larger one walks the graph with ef raised by the inverse of the visible share, so
   * it keeps about as many visible candidates as an unfiltered walk (recall measured by
   * `npm run bench:centers`).
   */
  search(vector: ArrayLike<number>, k: number, collections?: ReadonlySet<string> | null): VectorHit[] {
    const visible = collections ? this.visibleCount(collections) : this.collectionOf.size;
    const wanted = Math.min(k, visible);
    if (wanted <= 0) return [];
    // Every collection visible: the same search as an unfiltered one.
    const only = collections && visible < this.collectionOf.size ? collections : null;
    const filter = only ? (label: number) => only.has(this.collectionOf.get(label) ?? '') : undefined;
    const { dims, weights } = nonZeroDimensions(vector);
    if (this.exact) {
      // Exact inner products over the query's non-zero dimensions (the local embedder's queries
      // are sparse): exact results, and cheaper than the graph on a small index.
      if (dims.length * 4 <= vector.length) return this.exact.scan(dims, weights, wanted, filter);
    }
    if (only) {
      const exact = this.scanVisible(only, visible, dims, weights, wanted);
      if (exact) return exact;
    }
    const pending = this.background?.pending;
    const inGraph = this.collectionOf.size - (pending?.size ?? 0);
    const hits = inGraph > 0 ? this.searchGraph(vector, Math.min(wanted, inGraph), only, visible) : [];
    if (!pending || pending.size === 0) return hits;
    // Vectors on their way to the background graph: scanned exactly, merged with the graph's.
    return mergeTop([hits, pending.scan(dims, weights, wanted, filter)], wanted);
  }

  /** Live vectors in `collections`. */
  private visibleCount(collections: ReadonlySet<string>): number {
    let n = 0;
    for (const c of collections) n += this.members.get(c)?.size ?? 0;
    return n;
  }

  /** The exact top k over the visible collections' columns, or null when the graph is the better way (or they do not fit). */
  private scanVisible(
    collections: ReadonlySet<string>,
    visible: number,
    dims: Int32Array,
    weights: Float64Array,
    wanted: number,
  ): VectorHit[] | null {
    if (visible > this.columns.budget) return null;
    if (visible * Math.max(1, dims.length) > exactFilteredWork && visible >= graphSelectivityFloor * this.collectionOf.size) return null;
    const found: Scored[][] = [];
    for (const c of collections) {
      const ids = this.members.get(c);
      if (!ids) continue;
      const columns = this.columns.ensure(c, ids, (id) => this.storedVector(id), collections);
      if (!columns) return null;
      found.push(columns.scan(dims, weights, wanted));
    }
    return mergeTop(found, wanted);
  }

  /** A live vector as stored (for checks against an exact search). */
  vector(id: number): ArrayLike<number> {
    if (!this.collectionOf.has(id)) throw new Error(`no vector ${id}`);
    return this.storedVector(id);
  }

  /** A live vector as stored: in the graph, or on its way to a background graph. */
  private storedVector(id: number): ArrayLike<number> {
    const pending = this.background?.pending;
    return pending?.has(id) ? pending.vector(id) : this.graph.point(id);
  }

  /** The graph's nearest live nodes (stale ones filtered out), optionally only in `collections` (`visible` of them live). */
  private searchGraph(vector: ArrayLike<number>, wanted: number, collections: ReadonlySet<string> | null, visible: number): VectorHit[] {
    const { collectionOf, stale } = this;
    const allow = collections
      ? (label: number) => {
          const collection = collectionOf.get(label);
          return collection !== undefined && collections.has(collection) && !stale.has(label);
        }
      : stale.size > 0
        ? (label: number) => !stale.has(label)
        : undefined;
    const ef = collections
      ? Math.min(maxFilteredEf, Math.ceil((this.settings.efSearch * this.collectionOf.size) / Math.max(1, visible)))
      : this.settings.efSearch;
    return this.graph
      .search(vector, wanted, allow, Math.max(ef, this.settings.efSearch))
      .map((hit) => ({ id: hit.label, score: 1 - hit.distance }));
  }

  /** Writes the graph (a graph being built elsewhere has its vectors inserted here first). */
  save(path: string): void {
    this.settle();
    this.graph.write(path);
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

/** The best `k` of several ranked lists (ties: smaller id first). */
function mergeTop(lists: readonly Scored[][], k: number): VectorHit[] {
  const all = lists.flat();
  if (lists.length === 1) return all.slice(0, k);
  return topKOf(
    all.map((h) => h.id),
    Float64Array.from(all, (h) => h.score),
    all.length,
    k,
  );
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
