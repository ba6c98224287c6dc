import type { FeatureBag } from './extract-features.js';

/**
 * The feature bags of many texts in three flat arrays: text `i` owns entries `ends[i - 1]` (0 for
 * the first) to `ends[i]`, in its bag's insertion order, so embedding from here sums in the same
 * order (same float rounding, same vector bytes) as from the Map. Flat typed arrays cross a
 * worker boundary by transfer: a Map per chunk would be copied and rebuilt entry by entry on
 * the receiving thread, which is the thread that must stay free.
 */
export interface FeatureList {
  hashes: Uint32Array;
  raws: Float64Array;
  ends: Uint32Array;
}

export function featureListOf(bags: readonly FeatureBag[]): FeatureList {
  let total = 0;
  for (const bag of bags) total += bag.size;
  const hashes = new Uint32Array(total);
  const raws = new Float64Array(total);
  const ends = new Uint32Array(bags.length);
  let at = 0;
  bags.forEach((bag, i) => {
    for (const [hash, raw] of bag) {
      hashes[at] = hash;
      raws[at] = raw;
      at++;
    }
    ends[i] = at;
  });
  return { hashes, raws, ends };
}

/** The entries of text `i`, as views (no copy). */
export function featuresAt(list: FeatureList, i: number): { hashes: Uint32Array; raws: Float64Array } {
  const from = i === 0 ? 0 : list.ends[i - 1]!;
  const to = list.ends[i]!;
  return { hashes: list.hashes.subarray(from, to), raws: list.raws.subarray(from, to) };
}

/** The buffers to transfer with a message. */
export function featureListBuffers(list: FeatureList): ArrayBuffer[] {
  return [list.hashes.buffer, list.raws.buffer, list.ends.buffer] as ArrayBuffer[];
}
