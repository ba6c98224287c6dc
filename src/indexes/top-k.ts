/** A scored item. */
export interface Scored {
  id: number;
  score: number;
}

/**
 * Keeps the `k` highest scores seen, in a binary min-heap (O(n log k) instead of sorting all).
 * Ties are broken by the smaller id, so results are deterministic. Ids and scores live in typed
 * arrays: every search pushes each candidate through here, and boxed arrays cost more than the
 * comparisons.
 */
export class TopK {
  private ids: Float64Array;
  private scores: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    const capacity = Math.max(0, Math.min(k, 64));
    this.ids = new Float64Array(capacity);
    this.scores = new Float64Array(capacity);
  }

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
    if (this.size < this.k) {
      if (this.size === this.ids.length) this.grow();
      let i = this.size++;
      this.ids[i] = id;
      this.scores[i] = score;
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
    const size = this.size;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < size && this.less(l, smallest)) smallest = l;
      if (r < size && this.less(r, smallest)) smallest = r;
      if (smallest === i) break;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private grow(): void {
    const capacity = Math.min(this.k, Math.max(8, this.ids.length * 2));
    const ids = new Float64Array(capacity);
    const scores = new Float64Array(capacity);
    ids.set(this.ids);
    scores.set(this.scores);
    this.ids = ids;
    this.scores = scores;
  }

  /** The lowest kept score once k are kept (the k-th best so far), else -Infinity. */
  minScore(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  /** Best first. */
  results(): Scored[] {
    const out: Scored[] = new Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = { id: this.ids[i]!, score: this.scores[i]! };
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

let selectBuffer = new Float64Array(1024);

/**
 * The value of rank `target` (0-based, ascending) among `values[0, n)`, which it reorders:
 * quickselect with Hoare partitioning, linear time. Scores are never NaN.
 */
export function selectAscending(values: Float64Array, n: number, target: number): number {
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}

/**
 * The `k` best of `count` parallel ids and scores, best first (ties: smaller id). For scores
 * already in an array: a linear selection finds the k-th score, cheaper than a heap push per item.
 */
export function topKOf(ids: ArrayLike<number>, scores: Float64Array, count: number, k: number): Scored[] {
  if (count <= 0 || k <= 0) return [];
  let threshold = -Infinity;
  if (count > k) {
    if (selectBuffer.length < count) selectBuffer = new Float64Array(Math.max(count, selectBuffer.length * 2));
    selectBuffer.set(scores.subarray(0, count));
    threshold = selectAscending(selectBuffer, count, count - k);
  }
  const out: Scored[] = [];
  const tied: number[] = [];
  for (let i = 0; i < count; i++) {
    const score = scores[i]!;
    if (score > threshold) out.push({ id: ids[i]!, score });
    else if (score === threshold) tied.push(ids[i]!);
  }
  // Scores equal to the k-th fill the places left, smaller ids first.
  if (out.length < k && tied.length > 0) {
    tied.sort((a, b) => a - b);
    for (let i = 0; i < tied.length && out.length < k; i++) out.push({ id: tied[i]!, score: threshold });
  }
  return out.sort((a, b) => b.score - a.score || a.id - b.id);
}
