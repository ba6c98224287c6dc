import { ExactVectors } from './exact-vectors.js';

/**
 * What the exact columns of collections may hold in all: 256 MiB of float32 (at the local
 * embedder's 512 dimensions, 131,072 vectors: fifty centers of 2,000 chunks and a shared 10,000
 * fit; at 1,536 dimensions, 43,690).
 */
export const columnBudgetBytes = 256 * 2 ** 20;

/**
 * Exact copies of some collections' vectors, one `ExactVectors` each, for filtered searches over
 * few vectors of a large index: scanning a center's 2,000 chunks exactly is cheaper than a graph
 * walk that mostly meets other centers' nodes, and its recall is 1. A collection's columns are
 * made at its first filtered search (from the graph's stored vectors), kept up to date by adds
 * and removals, and the least recently searched are dropped beyond the budget.
 */
export class CollectionColumns {
  /** Least recently searched first (a Map keeps insertion order: a use re-inserts). */
  private readonly held = new Map<string, ExactVectors>();
  private vectors = 0;
  /** How many vectors all columns may hold. */
  readonly budget: number;

  constructor(
    readonly dimensions: number,
    budgetBytes = columnBudgetBytes,
  ) {
    this.budget = Math.floor(budgetBytes / (4 * dimensions));
  }

  /** Vectors held over all collections. */
  get size(): number {
    return this.vectors;
  }

  has(collection: string): boolean {
    return this.held.has(collection);
  }

  /**
   * A collection's columns, made from `ids` and `vectorOf` when not held, and marked as the most
   * recently used. Others (not in `keep`) are dropped to make room; null when it cannot fit.
   */
  ensure(
    collection: string,
    ids: ReadonlySet<number>,
    vectorOf: (id: number) => ArrayLike<number>,
    keep: ReadonlySet<string>,
  ): ExactVectors | null {
    const known = this.held.get(collection);
    if (known) {
      this.held.delete(collection);
      this.held.set(collection, known);
      return known;
    }
    if (ids.size > this.budget) return null;
    for (const [other, columns] of this.held) {
      if (this.vectors + ids.size <= this.budget) break;
      if (keep.has(other)) continue;
      this.held.delete(other);
      this.vectors -= columns.size;
    }
    if (this.vectors + ids.size > this.budget) return null;
    const columns = new ExactVectors(this.dimensions, Math.max(64, ids.size));
    for (const id of ids) columns.set(id, vectorOf(id));
    this.held.set(collection, columns);
    this.vectors += columns.size;
    return columns;
  }

  /** Keeps a held collection's columns up to date (beyond the budget, the least recently used are dropped). */
  add(collection: string, id: number, vector: ArrayLike<number>): void {
    const columns = this.held.get(collection);
    if (!columns || columns.has(id)) return;
    columns.set(id, vector);
    this.vectors++;
    for (const [other, dropped] of this.held) {
      if (this.vectors <= this.budget) break;
      this.held.delete(other);
      this.vectors -= dropped.size;
    }
  }

  delete(collection: string, id: number): void {
    const columns = this.held.get(collection);
    if (!columns || !columns.has(id)) return;
    columns.delete(id);
    this.vectors--;
  }

  clear(): void {
    this.held.clear();
    this.vectors = 0;
  }
}
