/** A scored item. */
export interface Scored {
  id: number;
  score: number;
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

const sampleStride = 16;

/**
 * The k-th largest of `scores[docs[i]]` (-Infinity when there are fewer than k). Large sets take a
 * floor first: the k-th largest of every 16th score (a subset's k-th is never above the whole
 * set's). At least k scores reach it, and the k-th among them is the answer. So the selections run
 * over n/16 sampled values and the few hundred at or above the floor, instead of over all n
 * (224k touched documents per BM25 query at 1M chunks: 4.2 → 1.3 ms per query).
 */
export function kthLargest(scores: Float32Array, docs: ArrayLike<number>, k: number): number {
  const n = docs.length;
  if (n < k || k <= 0) return -Infinity;
  if (selectBuffer.length < n) selectBuffer = new Float64Array(Math.max(n, selectBuffer.length * 2));
  let m = 0;
  if (n >= k * sampleStride * 4) {
    for (let i = 0; i < n; i += sampleStride) selectBuffer[m++] = scores[docs[i]!]!;
    const floor = selectAscending(selectBuffer, m, m - k);
    m = 0;
    for (let i = 0; i < n; i++) {
      const score = scores[docs[i]!]!;
      if (score >= floor) selectBuffer[m++] = score;
    }
  } else {
    for (let i = 0; i < n; i++) selectBuffer[m++] = scores[docs[i]!]!;
  }
  return selectAscending(selectBuffer, m, m - k);
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
