import { termIndex, type PassageTerms, type TermDictionary } from './passage-terms.js';

/** Weighted query terms as dictionary ids; terms no passage holds count only in the total. */
export interface QueryTermWeights {
  ids: Int32Array;
  weights: Float64Array;
  /** Sum of every query term's weight, known to the dictionary or not. */
  total: number;
}

/**
 * `missing`: terms counted in the total but matched in no passage (a word the question writes
 * with marks the materials never use: "bơi" is not "bởi").
 */
export function queryTermWeights(
  weights: ReadonlyMap<string, number>,
  dictionary: TermDictionary,
  missing: { has(term: string): boolean } = new Set(),
): QueryTermWeights {
  const ids: number[] = [];
  const kept: number[] = [];
  let total = 0;
  for (const [term, weight] of weights) {
    total += weight;
    if (missing.has(term)) continue;
    const id = dictionary.find(term);
    if (id >= 0 && weight > 0) {
      ids.push(id);
      kept.push(weight);
    }
  }
  return { ids: Int32Array.from(ids), weights: Float64Array.from(kept), total };
}

// Reused between calls: (position, query term) events of one passage, and per-term counts.
let events = new Int32Array(256);
let counts = new Int32Array(64);

/**
 * The best share (0-1) of the query's content-term weight found inside any window of `window`
 * consecutive passage terms (folded). Answers sit close together in the text; a passage that
 * merely mentions each query word somewhere scores lower than one that has them in one sentence.
 * Works on the occurrences of the query's terms only, so its cost does not grow with the passage.
 */
export function windowCoverage(passage: PassageTerms, query: QueryTermWeights, window = 16): number {
  const { ids, weights, total } = query;
  if (total === 0 || ids.length === 0) return 0;
  // Each occurrence of a query term as (position << shift) | term slot: sorted, in passage order.
  const shift = 32 - Math.clz32(ids.length);
  const slotMask = (1 << shift) - 1;
  let n = 0;
  let presentWeight = 0;
  let present = 0;
  for (let t = 0; t < ids.length; t++) {
    const at = termIndex(passage, ids[t]!);
    if (at < 0) continue;
    present++;
    presentWeight = weights[t]!;
    const from = passage.offsets[at]!;
    const to = passage.offsets[at + 1]!;
    if (n + to - from > events.length) {
      const grown = new Int32Array(Math.max(events.length * 2, n + to - from));
      grown.set(events.subarray(0, n));
      events = grown;
    }
    for (let i = from; i < to; i++) events[n++] = (passage.positions[i]! << shift) | t;
  }
  if (present === 0) return 0;
  if (present === 1) return presentWeight / total;
  // A passage longer than the packing allows (over 2^31 >> shift tokens) is not made by the chunker.
  const sorted = events;
  if (n <= 32) {
    // Few events (the usual case): an insertion sort beats a native sort call on a subarray.
    for (let i = 1; i < n; i++) {
      const value = sorted[i]!;
      let j = i - 1;
      while (j >= 0 && sorted[j]! > value) {
        sorted[j + 1] = sorted[j]!;
        j--;
      }
      sorted[j + 1] = value;
    }
  } else {
    events.subarray(0, n).sort();
  }
  if (counts.length < ids.length) counts = new Int32Array(ids.length * 2);
  counts.fill(0, 0, ids.length);
  let covered = 0;
  let best = 0;
  let left = 0;
  for (let e = 0; e < n; e++) {
    const position = sorted[e]! >> shift;
    const t = sorted[e]! & slotMask;
    if (counts[t]!++ === 0) covered += weights[t]!;
    // The window ending at `position` holds positions > position - window.
    while (sorted[left]! >> shift <= position - window) {
      const leaving = sorted[left++]! & slotMask;
      if (--counts[leaving]! === 0) covered -= weights[leaving]!;
    }
    if (covered > best) best = covered;
  }
  return best / total;
}

/**
 * Whether the phrase `phrase` (term ids at consecutive positions) occurs in the passage with its
 * first word within `distance` token positions of an occurrence of term `id`.
 */
export function phraseOccursNear(passage: PassageTerms, id: number, phrase: readonly number[], distance: number): boolean {
  const at = termIndex(passage, id);
  const first = phrase.length ? termIndex(passage, phrase[0]!) : -1;
  if (at < 0 || first < 0) return false;
  const rest = phrase.slice(1).map((p) => termIndex(passage, p));
  if (rest.some((r) => r < 0)) return false;
  const has = (index: number, position: number) => {
    const from = passage.offsets[index]!;
    const to = passage.offsets[index + 1]!;
    let low = from;
    let high = to;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (passage.positions[mid]! < position) low = mid + 1;
      else high = mid;
    }
    return low < to && passage.positions[low] === position;
  };
  for (let i = passage.offsets[first]!; i < passage.offsets[first + 1]!; i++) {
    const start = passage.positions[i]!;
    if (!rest.every((r, k) => has(r, start + k + 1))) continue;
    for (let j = passage.offsets[at]!; j < passage.offsets[at + 1]!; j++) {
      if (Math.abs(passage.positions[j]! - start) <= distance) return true;
    }
  }
  return false;
}
