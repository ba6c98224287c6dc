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

/**
 * Interns folded terms as small integers, shared by every passage it has seen. An open-addressing
 * table keyed by FNV-1a hashes, so a stored passage (terms joined by spaces) is interned straight
 * from its string: no substring and no `Map` lookup per token, only for a term seen the first time.
 */
export class TermDictionary {
  private terms: string[] = [];
  /** Slot → term id + 1 (0: empty); the table is kept under half full. */
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(1024);

  get size(): number {
    return this.terms.length;
  }

  /** The term's id, assigning the next one to a new term. */
  intern(term: string): number {
    return this.internRange(term, 0, term.length);
  }

  /** The id of `text.slice(start, end)`, assigning the next one to a new term. */
  internRange(text: string, start: number, end: number): number {
    const hash = hashRange(text, start, end);
    const slot = this.slotOf(text, start, end, hash);
    const found = this.slots[slot]!;
    if (found !== 0) return found - 1;
    const id = this.terms.length;
    this.terms.push(text.slice(start, end));
    this.slots[slot] = id + 1;
    this.hashes[slot] = hash;
    if (this.terms.length * 2 > this.slots.length) this.grow();
    return id;
  }

  /** The term's id, or -1 when no passage has it (so no passage can contain it). */
  find(term: string): number {
    return this.slots[this.slotOf(term, 0, term.length, hashRange(term, 0, term.length))]! - 1;
  }

  /** The slot holding the term, or the empty slot where it would go (linear probing). */
  private slotOf(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0 || (this.hashes[slot] === hash && sameTerm(this.terms[entry - 1]!, text, start, end))) return slot;
    }
  }

  private grow(): void {
    const old = { slots: this.slots, hashes: this.hashes };
    this.slots = new Int32Array(old.slots.length * 2);
    this.hashes = new Int32Array(old.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < old.slots.length; i++) {
      if (old.slots[i] === 0) continue;
      let slot = old.hashes[i]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = old.slots[i]!;
      this.hashes[slot] = old.hashes[i]!;
    }
  }
}

/** FNV-1a over the UTF-16 code units of `text[start, end)`. */
function hashRange(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

function sameTerm(term: string, text: string, start: number, end: number): boolean {
  if (term.length !== end - start) return false;
  for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
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
  const ids = new Int32Array(folded.length);
  for (let i = 0; i < folded.length; i++) ids[i] = dictionary.intern(folded[i]!);
  return groupByTerm(ids);
}

/** `passageTermsOf(splitFoldedTerms(stored))`, interning each term straight from the stored string. */
export function passageTermsOfStored(stored: string, dictionary: TermDictionary): PassageTerms {
  let n = stored === '' ? 0 : 1;
  for (let i = 0; i < stored.length; i++) if (stored.charCodeAt(i) === 32) n++;
  const ids = new Int32Array(n);
  for (let start = 0, t = 0; t < n; t++) {
    let end = stored.indexOf(' ', start);
    if (end < 0) end = stored.length;
    ids[t] = dictionary.internRange(stored, start, end);
    start = end + 1;
  }
  return groupByTerm(ids);
}

/** Term ids in token order → distinct ids with their positions. */
function groupByTerm(termIds: Int32Array): PassageTerms {
  const n = termIds.length;
  // One native sort of (id, position) keys groups positions by term, in order.
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = termIds[i]! * n + i;
  keys.sort();
  const positions = new Int32Array(n);
  const distinct = new Int32Array(n);
  const offsets = new Int32Array(n + 1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const id = Math.floor(keys[i]! / n);
    positions[i] = keys[i]! - id * n;
    if (count === 0 || id !== distinct[count - 1]) {
      distinct[count] = id;
      offsets[count++] = i;
    }
  }
  offsets[count] = n;
  return { distinct: distinct.slice(0, count), offsets: offsets.slice(0, count + 1), positions };
}

/** Position of `id` in an ascending array that holds it (or where it would go). */
function indexOfSorted(values: Int32Array, id: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid]! < id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The index of a term id among the passage's distinct ids, or -1. */
export function termIndex(passage: PassageTerms, id: number): number {
  const at = indexOfSorted(passage.distinct, id);
  return at < passage.distinct.length && passage.distinct[at] === id ? at : -1;
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
