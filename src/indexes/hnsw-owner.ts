import hnswlib from 'hnswlib-node';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { hnswHeaderBytes, validateHnswFile } from './validate-index-files.js';

const { HierarchicalNSW } = hnswlib;
type NativeGraph = InstanceType<typeof HierarchicalNSW>;

/** Graph settings the owner needs to create a graph. */
export interface GraphSettings {
  m: number;
  efConstruction: number;
  efSearch: number;
}

/** A nearest neighbour in the graph: its label and inner-product distance (1 - cosine). */
export interface GraphHit {
  label: number;
  distance: number;
}

/**
 * The one owner of a native hnswlib graph (`HierarchicalNSW`): no other module holds the
 * native object, and only the operations below reach it.
 *
 * Issue 15's SIGSEGV in `addPoint` came from the parts of hnswlib that handle deleted elements:
 * replacing a deleted slot (`addPoint(..., replaceDeleted)`, which rewires the graph through
 * `updatePoint`) and inserting next to deleted elements (an insert whose search reaches only
 * deleted nodes gets no candidates, and `mutuallyConnectNewElement` then reads the last element
 * of an empty vector). The service used both on every re-index and replacement. So this owner
 * uses the small, well-trodden subset of hnswlib and enforces it:
 *
 * - a label is added once and never updated, replaced, deleted or undeleted in the native graph
 *   (`add` refuses a label already present; there is no `markDelete` here). Removed vectors
 *   stay in the graph as stale nodes that searches filter out; `VectorIndex` rebuilds the graph
 *   when they outnumber the live ones;
 * - a graph file is validated (validate-index-files.ts: header, sizes, every link) before
 *   hnswlib reads it, and a file whose elements carry delete marks (written before this fix) is
 *   refused, so the graph is rebuilt from the store;
 * - every call is synchronous on the owning thread (the `readIndex`/`writeIndex` variants that
 *   run on libuv's thread pool are never used), so no two operations on one graph overlap; a
 *   call made from inside another (a search filter that calls back in) is refused.
 *
 * Each thread has its own owner (the worker of a background build owns its copy).
 */
export class HnswGraph {
  private readonly labels = new Set<number>();
  private busy: string | null = null;

  private constructor(
    private readonly native: NativeGraph,
    readonly dimensions: number,
    private readonly efSearch: number,
  ) {
    native.setEf(efSearch);
  }

  static create(dimensions: number, settings: GraphSettings, capacity: number): HnswGraph {
    const native = new HierarchicalNSW('ip', dimensions);
    native.initIndex({
      maxElements: Math.max(1, capacity),
      m: settings.m,
      efConstruction: settings.efConstruction,
      randomSeed: 42,
      allowReplaceDeleted: false,
    });
    return new HnswGraph(native, dimensions, settings.efSearch);
  }

  /**
   * Reads a graph file after validating it (throws `InvalidIndexFile` without calling hnswlib
   * when it is truncated, lies about its sizes, links outside itself or holds delete marks).
   */
  static load(path: string, dimensions: number, settings: GraphSettings): HnswGraph {
    const summary = validateHnswFile(path, dimensions);
    const native = new HierarchicalNSW('ip', dimensions);
    native.readIndexSync(path, false);
    const graph = new HnswGraph(native, dimensions, settings.efSearch);
    for (const label of native.getIdsList()) graph.labels.add(label);
    if (graph.labels.size !== summary.count) throw new Error(`${path}: ${summary.count} elements but ${graph.labels.size} distinct labels`);
    return graph;
  }

  /** Elements in the graph (live and stale: the caller knows which are which). */
  get count(): number {
    return this.labels.size;
  }

  get capacity(): number {
    return this.run('capacity', () => this.native.getMaxElements());
  }

  has(label: number): boolean {
    return this.labels.has(label);
  }

  labelList(): number[] {
    return [...this.labels];
  }

  /** Adds a new label; grows the graph by doubling. A label already present is refused. */
  add(label: number, vector: ArrayLike<number>): void {
    if (!Number.isInteger(label) || label < 0 || label > 0xffffffff) throw new Error(`invalid vector label ${label}`);
    if (vector.length !== this.dimensions) throw new Error(`vector has ${vector.length} dimensions, the graph ${this.dimensions}`);
    if (this.labels.has(label)) throw new Error(`vector ${label} is already in the graph`);
    this.run('add', () => {
      const max = this.native.getMaxElements();
      if (this.native.getCurrentCount() >= max) this.native.resizeIndex(Math.max(1024, max * 2));
      this.native.addPoint(Array.from(vector), label, false);
    });
    this.labels.add(label);
  }

  /** Room for `capacity` elements, so a known number of adds does not resize step by step. */
  reserve(capacity: number): void {
    this.run('reserve', () => {
      if (capacity > this.native.getMaxElements()) this.native.resizeIndex(capacity);
    });
  }

  /** The stored vector of a label. */
  point(label: number): number[] {
    if (!this.labels.has(label)) throw new Error(`vector ${label} is not in the graph`);
    return this.run('point', () => this.native.getPoint(label));
  }

  /**
   * The `k` nearest labels that `allow` accepts (all when it is absent), nearest first. `ef`
   * (default: the settings' efSearch) is the candidate list of the walk: a filtered search
   * raises it, so about as many accepted nodes are kept as an unfiltered walk keeps.
   */
  search(query: ArrayLike<number>, k: number, allow?: (label: number) => boolean, ef = this.efSearch): GraphHit[] {
    const wanted = Math.min(k, this.labels.size);
    if (wanted <= 0) return [];
    const vector = Array.from(query);
    const result = this.run('search', () => {
      if (ef === this.efSearch) return this.native.searchKnn(vector, wanted, allow);
      this.native.setEf(ef);
      try {
        return this.native.searchKnn(vector, wanted, allow);
      } finally {
        this.native.setEf(this.efSearch);
      }
    });
    return result.neighbors.map((label, i) => ({ label, distance: result.distances[i]! }));
  }

  /**
   * Writes the graph. hnswlib does not report a failed write (a full disk leaves a silently
   * truncated file), so the file is checked against the sizes in its own header.
   */
  write(path: string): void {
    this.run('write', () => this.native.writeIndexSync(path));
    const header = Buffer.alloc(hnswHeaderBytes);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, header, 0, hnswHeaderBytes, 0);
    } finally {
      closeSync(fd);
    }
    // Header, then each element's level-0 data, then each element's 4-byte link-list size (and its upper-level links).
    const count = Number(header.readBigUInt64LE(16));
    const bytesPerElement = Number(header.readBigUInt64LE(24));
    const smallest = hnswHeaderBytes + count * (bytesPerElement + 4);
    if (count !== this.labels.size || statSync(path).size < smallest) {
      throw new Error(`the vector index file ${path} was not written completely (is the disk full?)`);
    }
  }

  /** Runs one native call; a call from inside another (re-entrancy through a filter) is refused. */
  private run<T>(operation: string, call: () => T): T {
    if (this.busy) throw new Error(`vector graph: ${operation} called while ${this.busy} is running`);
    this.busy = operation;
    try {
      return call();
    } finally {
      this.busy = null;
    }
  }
}
