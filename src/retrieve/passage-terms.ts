/**
 * Passages as integer term ids. Proximity re-ranking, answerability and near-duplicate removal
 * look at the folded terms of every candidate passage on every query; tokenised once and kept as
 * ids grouped by term, those checks are binary searches and merges of small integer arrays, and a
 * cached passage costs about 12 bytes per token instead of a Map of position arrays.
 */

import { tokenize } from '../text/index.js';

/** The folded terms of a chunk's title, headings and text, in order: what passage checks compare. */
export function foldedTermsOf(chunk: { title: string; headingPath: readonly string[]; text: string }): string[] {
  return tokenize(`${chunk.title}\n${chunk.headingPath.join('\n')}\n${chunk.text}`).map((t) => t.folded);
}

/** Folded terms as stored with a chunk: space-separated (a folded term never holds a space). */
export function joinFoldedTerms(terms: readonly string[]): string {
  return terms.join(' ');
}

export function splitFoldedTerms(stored: string): string[] {
  return stored === '' ? [] : stored.split(' ');
}

/** Interns folded terms as small integers, shared by every passage it has seen. */
export class TermDictionary {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  /** The term's id, assigning the next one to a new term. */
  intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(term, id);
    }
    return id;
  }

  /** The term's id, or -1 when no passage has it (so no passage can contain it). */
  find(term: string): number {
    return this.ids.get(term) ?? -1;
  }
}

/**
 * A passage's folded terms: its distinct term ids, ascending, and where each occurs:
 * the token positions of `distinct[i]` are `positions[offsets[i] .. offsets[i + 1])`, ascending.
 */
export interface PassageTerms {
  readonly distinct: Int32Array;
  readonly offsets: Int32Array;
  readonly positions: Int32Array;
}

export function passageTermsOf(folded: readonly string[], dictionary: TermDictionary): PassageTerms {
  const n = folded.length;
  // One native sort of (id, position) keys groups positions by term, in order.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = dictionary.intern(folded[i]!) * n + i;
  keys.sort();
  const positions = new Int32Array(n);
  const ids: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = Math.floor(keys[i]! / n);
    positions[i] = keys[i]! - id * n;
    if (i === 0 || id !== ids[ids.length - 1]) {
      ids.push(id);
      offsets.push(i);
    }
  }
  offsets.push(n);
  return { distinct: Int32Array.from(ids), offsets: Int32Array.from(offsets), positions };
}

/** The index of a term id among the passage's distinct ids, or -1. */
export function termIndex(passage: PassageTerms, id: number): number {
  const { distinct } = passage;
  let low = 0;
  let high = distinct.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (distinct[mid]! < id) low = mid + 1;
    else high = mid;
  }
  return low < distinct.length && distinct[low] === id ? low : -1;
}

/** Whether the passage holds the term id. */
export function containsTerm(passage: PassageTerms, id: number): boolean {
  return id >= 0 && termIndex(passage, id) >= 0;
}

/** Jaccard overlap of two passages' distinct terms (1 when both are empty). */
export function termOverlap(a: PassageTerms, b: PassageTerms): number {
  const x = a.distinct;
  const y = b.distinct;
  if (x.length === 0 && y.length === 0) return 1;
  let shared = 0;
  for (let i = 0, j = 0; i < x.length && j < y.length; ) {
    if (x[i]! < y[j]!) i++;
    else if (x[i]! > y[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return shared / (x.length + y.length - shared);
}
