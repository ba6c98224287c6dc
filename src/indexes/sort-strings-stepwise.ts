/** Strings sorted per block before the merges (one built-in sort of this many: about 1-2 ms). */
const blockSize = 4096;
/** Merged strings between two steps. */
const mergeStep = 32_768;

/**
 * `strings.sort()` (UTF-16 code unit order, the built-in default), as a generator that yields
 * every few milliseconds of work and returns the sorted array: a bottom-up merge sort over
 * blocks the built-in sort orders. The BM25 save walks its terms in order, and one built-in sort
 * of a 10 MB upload's ~500k terms held the event loop for 0.2-0.4 s. With distinct strings (the
 * terms are Map keys) the result is the built-in sort's exactly. The input array is reordered.
 */
export function* sortStringsStepwise(strings: string[]): Generator<void, string[]> {
  const n = strings.length;
  if (n <= blockSize) return strings.sort();
  let from: string[] = strings;
  for (let start = 0; start < n; start += blockSize) {
    const block = from.slice(start, Math.min(n, start + blockSize)).sort();
    for (let i = 0; i < block.length; i++) from[start + i] = block[i]!;
    yield;
  }
  let to: string[] = new Array<string>(n);
  let sinceYield = 0;
  for (let width = blockSize; width < n; width *= 2) {
    for (let left = 0; left < n; left += 2 * width) {
      const middle = Math.min(n, left + width);
      const end = Math.min(n, left + 2 * width);
      let i = left;
      let j = middle;
      let k = left;
      while (i < middle && j < end) to[k++] = from[j]! < from[i]! ? from[j++]! : from[i++]!;
      while (i < middle) to[k++] = from[i++]!;
      while (j < end) to[k++] = from[j++]!;
      sinceYield += end - left;
      if (sinceYield >= mergeStep) {
        sinceYield = 0;
        yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
