import { topKOf, type Scored } from './top-k.js';

/**
 * Vectors of a small index kept dimension by dimension (column-major) in one growing
 * Float32Array, for exact inner-product scans with sparse queries: each of the query's non-zero
 * dimensions is one sequential pass over a column, several times faster than visiting each
 * vector's scattered entries. Removal moves the last vector into the freed column slot.
 */
export class ExactVectors {
  private capacity: number;
  private columns: Float32Array;
  private ids: Int32Array;
  private scores: Float64Array;
  private readonly slotOf = new Map<number, number>();

  /**
   * @param maxCapacity the most vectors it will hold (its owner drops it beyond): growth stops
   *   there, so the last doubling of a 5,000-vector index does not allocate and copy room for
   *   8,192 (16 MB at 512 dimensions, a 0.1-0.3 s stall in the middle of an upload here).
   */
  constructor(
    readonly dimensions: number,
    capacity = 64,
    private readonly maxCapacity = Infinity,
  ) {
    this.capacity = capacity;
    this.columns = new Float32Array(capacity * dimensions);
    this.ids = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
  }

  get size(): number {
    return this.slotOf.size;
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** The ids held, in slot order. */
  idList(): number[] {
    return Array.from(this.ids.subarray(0, this.slotOf.size));
  }

  /** A copy of a held vector. */
  vector(id: number): Float32Array {
    const slot = this.slotOf.get(id);
    if (slot === undefined) throw new Error(`no vector ${id}`);
    const out = new Float32Array(this.dimensions);
    for (let d = 0; d < this.dimensions; d++) out[d] = this.columns[d * this.capacity + slot]!;
    return out;
  }

  set(id: number, vector: ArrayLike<number>): void {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.slotOf.size;
      if (slot === this.capacity) this.grow();
      this.slotOf.set(id, slot);
      this.ids[slot] = id;
    }
    const { columns, capacity } = this;
    for (let d = 0; d < this.dimensions; d++) columns[d * capacity + slot] = vector[d]!;
  }

  delete(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    const last = this.slotOf.size;
    if (slot === last) return;
    const { columns, capacity } = this;
    for (let d = 0, at = 0; d < this.dimensions; d++, at += capacity) columns[at + slot] = columns[at + last]!;
    this.ids[slot] = this.ids[last]!;
    this.slotOf.set(this.ids[slot]!, slot);
  }

  private grow(): void {
    const capacity = Math.max(this.capacity + 1, Math.min(this.capacity * 2, this.maxCapacity));
    const columns = new Float32Array(capacity * this.dimensions);
    for (let d = 0; d < this.dimensions; d++) columns.set(this.columns.subarray(d * this.capacity, (d + 1) * this.capacity), d * capacity);
    const ids = new Int32Array(capacity);
    ids.set(this.ids);
    this.capacity = capacity;
    this.columns = columns;
    this.ids = ids;
    this.scores = new Float64Array(capacity);
  }

  /**
   * The `k` best inner products with a query given by its non-zero `dims` and their `weights`,
   * among the ids `accept` lets through (all when absent). Ties: smaller id first. Each score
   * sums its terms in the order of `dims`, as a vector-by-vector loop would.
   */
  scan(dims: Int32Array, weights: Float64Array, k: number, accept?: (id: number) => boolean): Scored[] {
    const { columns, capacity, scores } = this;
    const count = this.slotOf.size;
    scores.fill(0, 0, count);
    // Four dimensions per pass: a quarter of the loads and stores of the scores, the same additions
    // in the same order (so the same sums as one dimension at a time).
    let i = 0;
    for (; i + 4 <= dims.length; i += 4) {
      const w0 = weights[i]!;
      const w1 = weights[i + 1]!;
      const w2 = weights[i + 2]!;
      const w3 = weights[i + 3]!;
      const a0 = dims[i]! * capacity;
      const a1 = dims[i + 1]! * capacity;
      const a2 = dims[i + 2]! * capacity;
      const a3 = dims[i + 3]! * capacity;
      for (let slot = 0; slot < count; slot++) {
        let score = scores[slot]!;
        score += w0 * columns[a0 + slot]!;
        score += w1 * columns[a1 + slot]!;
        score += w2 * columns[a2 + slot]!;
        score += w3 * columns[a3 + slot]!;
        scores[slot] = score;
      }
    }
    for (; i < dims.length; i++) {
      const weight = weights[i]!;
      const at = dims[i]! * capacity;
      for (let slot = 0; slot < count; slot++) scores[slot]! += weight * columns[at + slot]!;
    }
    if (!accept) return topKOf(this.ids, scores, count, k);
    const ids = new Int32Array(count);
    const kept = new Float64Array(count);
    let n = 0;
    for (let slot = 0; slot < count; slot++) {
      if (!accept(this.ids[slot]!)) continue;
      ids[n] = this.ids[slot]!;
      kept[n++] = scores[slot]!;
    }
    return topKOf(ids, kept, n, k);
  }
}
