/**
 * Sorts non-negative 32-bit ids ascending, in place: an LSD radix sort, 11 bits per pass, with as
 * many passes as the largest id needs (2 up to 4M ids). `Int32Array.prototype.sort` costs about
 * 27 ns per element here: BM25 sorts ~108k candidate ids per query at 1M chunks, 2.9 ms, and this
 * sort 1.45 ms. Small arrays go to the built-in sort, whose fixed cost is lower.
 */
const radixBits = 11;
const buckets = 1 << radixBits;
const counts = new Int32Array(buckets);
let spare = new Int32Array(1024);

export function sortIds(ids: Int32Array): Int32Array {
  const n = ids.length;
  if (n < 512) return ids.sort();
  let max = 0;
  let min = 0;
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id > max) max = id;
    else if (id < min) min = id;
  }
  if (min < 0) throw new Error('sortIds: ids must not be negative');
  if (spare.length < n) spare = new Int32Array(Math.max(n, spare.length * 2));
  let from: Int32Array = ids;
  let to: Int32Array = spare.subarray(0, n);
  for (let shift = 0; shift < 32 && (shift === 0 || max >>> shift > 0); shift += radixBits) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(from[i]! >>> shift) & (buckets - 1)]!++;
    let total = 0;
    for (let b = 0; b < buckets; b++) {
      const c = counts[b]!;
      counts[b] = total;
      total += c;
    }
    for (let i = 0; i < n; i++) {
      const id = from[i]!;
      to[counts[(id >>> shift) & (buckets - 1)]!++] = id;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from !== ids) ids.set(from);
  return ids;
}
