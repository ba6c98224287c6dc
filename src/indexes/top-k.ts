/** A scored item. */
export interface Scored {
  id: number;
  score: number;
}

/**
 * Keeps the `k` highest scores seen, in a binary min-heap (O(n log k) instead of sorting all).
 * Ties are broken by the smaller id, so results are deterministic.
 */
export class TopK {
  private readonly ids: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly k: number) {}

  private less(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a < b || (a === b && this.ids[i]! > this.ids[j]!);
  }

  private swap(i: number, j: number): void {
    const id = this.ids[i]!;
    this.ids[i] = this.ids[j]!;
    this.ids[j] = id;
    const score = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = score;
  }

  push(id: number, score: number): void {
    if (this.k <= 0) return;
    if (this.ids.length < this.k) {
      this.ids.push(id);
      this.scores.push(score);
      let i = this.ids.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.less(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    const minScore = this.scores[0]!;
    if (score < minScore || (score === minScore && id > this.ids[0]!)) return;
    this.ids[0] = id;
    this.scores[0] = score;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < this.ids.length && this.less(l, smallest)) smallest = l;
      if (r < this.ids.length && this.less(r, smallest)) smallest = r;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  /** The lowest kept score once k are kept (the k-th best so far), else -Infinity. */
  minScore(): number {
    return this.ids.length < this.k ? -Infinity : this.scores[0]!;
  }

  /** Best first. */
  results(): Scored[] {
    return this.ids
      .map((id, i) => ({ id, score: this.scores[i]! }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }
}
