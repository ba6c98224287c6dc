import { analyzeFields, exactPrefix, tokenizeFields, type IndexedFields } from './analyze-fields.js';
import { PairTable } from './pair-table.js';
import type { Token } from '../text/index.js';
import { sortIds } from './sort-ids.js';
import { sortStringsStepwise } from './sort-strings-stepwise.js';
import { kthLargest, topKOf } from './top-k.js';

/** BM25 parameters and field weights. Recorded in the manifest; changing them rebuilds. */
export interface Bm25Params {
  /** Term-frequency saturation; 0.9-1.5 is typical. */
  k1: number;
  /** Length normalisation, 0 (none) to 1 (full). */
  b: number;
  /** How many times a title token counts. */
  titleWeight: number;
  /** How many times a heading-path token counts. */
  headingWeight: number;
  /** Query weight of an adjacent-syllable bigram relative to a syllable. */
  bigramWeight: number;
  /** Extra query weight when a term with diacritics matches with the same diacritics. */
  exactWeight: number;
  /** Query weight of question words such as `bao nhiêu`, `là gì`, `how` (answers rarely repeat them). */
  questionWordWeight: number;
}

/** Defaults tuned with `trogiang eval --beir` on the shared sets (docs/quality.md, "Retrieval quality"). */
export const defaultBm25Params: Bm25Params = {
  k1: 1.5,
  b: 0.75,
  titleWeight: 1,
  headingWeight: 1,
  bigramWeight: 0.4,
  exactWeight: 0.15,
  questionWordWeight: 0.25,
};

/** A ranked document with the query terms it matched (folded forms). */
export interface Bm25Hit {
  id: number;
  score: number;
}

const noDocs = new Int32Array(0);
const noTfs = new Float32Array(0);

/** Postings of one term built by `add` (a new term, or a loaded term that received a document). */
class PostingList {
  docs = noDocs;
  tfs = noTfs;
  length = 0;
  /** Live documents holding the term (counted when added, before the posting leaves `pending`). */
  df = 0;
  /** Whether docs ascend (they do unless a removed id came back), so probes may binary-search. */
  sorted = true;
  /** Highest term frequency in the list, for the term's score bound. */
  maxTf = 0;
  /** Position in `Bm25Shard.lists`, which the pending postings refer to. */
  constructor(readonly id: number) {}
  /** Appends `docs[from, to)` with their frequencies, growing at most once. */
  append(docs: Int32Array, tfs: Float32Array, from: number, to: number): void {
    const needed = this.length + to - from;
    // About twice the need, so the next flushes rarely grow it again (about 3/4 used, as with
    // doubling). The factor varies by list (1.5-2.4): lists that fill at the same rate (the
    // common terms of an upload) would otherwise all outgrow their arrays in the same flush,
    // one 0.3-0.6 s stall in the middle of a re-index here; spread, they grow a few per flush.
    if (needed > this.docs.length) this.grow(needed + Math.ceil((needed * (8 + (this.id % 16))) / 16));
    for (let i = from; i < to; i++) {
      const doc = docs[i]!;
      const tf = tfs[i]!;
      if (this.length > 0 && doc <= this.docs[this.length - 1]!) this.sorted = false;
      this.docs[this.length] = doc;
      this.tfs[this.length] = tf;
      this.length++;
    }
  }
  grow(capacity: number): void {
    const docs = new Int32Array(capacity);
    docs.set(this.docs.subarray(0, this.length));
    this.docs = docs;
    const tfs = new Float32Array(capacity);
    tfs.set(this.tfs.subarray(0, this.length));
    this.tfs = tfs;
  }
}

/**
 * Postings `add` has not yet written to their lists, in the order added. Writing each posting
 * to its list at once cost several cache misses (the list, each array, its storage: 10^5-10^6
 * lists scattered over the heap); appended here, then moved by `flush` list by list.
 */
class PendingPostings {
  lists = new Int32Array(1024);
  docs = new Int32Array(1024);
  tfs = new Float32Array(1024);
  length = 0;
  push(list: number, doc: number, tf: number): void {
    if (this.length === this.lists.length) this.grow(this.length * 2);
    this.lists[this.length] = list;
    this.docs[this.length] = doc;
    this.tfs[this.length] = tf;
    this.length++;
  }
  private grow(capacity: number): void {
    const lists = new Int32Array(capacity);
    lists.set(this.lists);
    this.lists = lists;
    const docs = new Int32Array(capacity);
    docs.set(this.docs);
    this.docs = docs;
    const tfs = new Float32Array(capacity);
    tfs.set(this.tfs);
    this.tfs = tfs;
  }
}

/**
 * Pending postings are flushed at this many (12 bytes each: 192 MB at most), and before any read
 * of the lists. At 2^20 a 100k-chunk ingest (40M postings) flushed 40 times, each regrowing thousands of lists:
 * the outgrown arrays filled the old generation, and its collections took a sixth of `add`.
 */
const pendingLimit = 1 << 24;

/**
 * Pending buffers up to this many postings (6 MB) are kept and reused between flushes (until the
 * next save), and one scratch pair for the flush's counting sort is shared by every shard (one
 * thread runs them).
 */
const reusedUpTo = 1 << 19;
const sortScratch = { docs: new Int32Array(0), tfs: new Float32Array(0) };

/** Room for a flush's `n` sorted postings: the shared scratch for a service's flushes, new arrays otherwise. */
function sortSpace(n: number): { docs: Int32Array; tfs: Float32Array } {
  if (n < 1 << 16 || n > reusedUpTo) return { docs: new Int32Array(n), tfs: new Float32Array(n) };
  if (sortScratch.docs.length < n) {
    sortScratch.docs = new Int32Array(reusedUpTo);
    sortScratch.tfs = new Float32Array(reusedUpTo);
  }
  return sortScratch;
}

/** Terms joined and encoded per step of a save (`serializeSteps`). */
const termsPerStep = 32_768;

/**
 * The postings read from disk, kept as they were loaded: every term's documents and frequencies
 * in two large arrays, the sorted term `terms[t]` at `starts[t]` for `counts[t]` postings, found
 * by binary search. One object and one Map entry per term instead (about 900k at 100k chunks)
 * made opening take seconds and the heap hundreds of megabytes larger.
 */
interface Segment {
  docs: Int32Array;
  tfs: Float32Array;
  /** Ascending (JavaScript string order). */
  terms: string[];
  starts: Int32Array;
  counts: Int32Array;
  /** Each term's highest frequency. */
  maxTfs: Float32Array;
}

const emptySegment: Segment = {
  docs: new Int32Array(0),
  tfs: new Float32Array(0),
  terms: [],
  starts: new Int32Array(0),
  counts: new Int32Array(0),
  maxTfs: new Float32Array(0),
};

/** One query term's postings as a range of two arrays, with its weight and score bound. */
interface TermPlan {
  term: string;
  docs: Int32Array;
  tfs: Float32Array;
  start: number;
  end: number;
  sorted: boolean;
  /** No document scores more than this from the term (its highest TF in the shortest document). */
  bound: number;
  scale: number;
  /** Weight per live posting (scale / document frequency): the scan order. */
  density: number;
}

const formatVersion = 2;

/**
 * The statistics a search scores with, when they are not the shard's own: those of every
 * collection the query may see (so a shard scores as an index holding only those would), and a
 * floor no document of the top k can be under (the k-th score of the shards searched before).
 */
export interface ShardSearchView {
  documents: number;
  totalLength: number;
  /** Live documents holding a term in the collections seen. */
  df: (term: string) => number;
  /** Documents under it cannot make the caller's top k: pruning may start from it. */
  floor: number;
}

/**
 * An inverted index with BM25 scoring over folded terms, bigrams and exact-diacritic terms: one
 * collection's postings (`Bm25Index` keeps one per collection). Documents are numbered densely
 * by the owner. Removal leaves a tombstone that scoring skips; `serialize` drops tombstoned
 * postings.
 */
export class Bm25Shard {
  /** Lists built by `add`; a loaded term that received a document moves here from the segment. */
  private readonly postings = new Map<string, PostingList>();
  /** The same lists by id. */
  private readonly lists: PostingList[] = [];
  private pending = new PendingPostings();
  /**
   * What `add` looks terms up in before the term Map: exact forms without their prefix (no string
   * built per occurrence: a quarter of `add`) and bigrams by their two syllables' list ids. They
   * only ever point to lists in `postings`, which are never dropped, so they cannot go stale.
   */
  private readonly exactLists = new Map<string, PostingList>();
  private readonly bigramLists = new PairTable();
  /** The document being added: its terms' frequencies by list id, and those lists in the order first met. */
  private addingTf = new Float64Array(1024);
  private readonly addingLists: number[] = [];
  private segment: Segment = emptySegment;
  private readonly segmentLookups = new Map<string, number>();
  /** Changes to the document frequency of loaded terms that still live in the segment. */
  private readonly segmentDfChange = new Map<string, number>();
  private docLength = new Float32Array(1024);
  private live = new Uint8Array(1024);
  /** Collection of each document, as an index into `collections`. */
  private collectionIdOf = new Uint16Array(1024);
  private readonly collections: string[] = [];
  private readonly collectionIds = new Map<string, number>();
  /** Ids ever added (live or removed), to spot a removed id coming back. */
  private seen = new Uint8Array(1024);
  private documents = 0;
  private totalLength = 0;
  /** No live document is shorter (the shortest ever added), for score bounds. */
  private minLength = Infinity;
  private scratch = new Float32Array(1024);

  constructor(readonly params: Bm25Params = defaultBm25Params) {}

  get size(): number {
    return this.documents;
  }

  has(id: number): boolean {
    return id < this.live.length && this.live[id] === 1;
  }

  private ensureCapacity(id: number): void {
    if (id < this.live.length) return;
    let capacity = this.live.length;
    while (capacity <= id) capacity *= 2;
    const grow = <T extends Uint8Array | Uint16Array | Float32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.live = grow(this.live, (n) => new Uint8Array(n));
    this.seen = grow(this.seen, (n) => new Uint8Array(n));
    this.docLength = grow(this.docLength, (n) => new Float32Array(n));
    this.collectionIdOf = grow(this.collectionIdOf, (n) => new Uint16Array(n));
    this.scratch = new Float32Array(capacity);
  }

  private collectionId(collection: string): number {
    let id = this.collectionIds.get(collection);
    if (id === undefined) {
      id = this.collections.length;
      if (id > 0xffff) throw new Error('too many collections');
      this.collections.push(collection);
      this.collectionIds.set(collection, id);
    }
    return id;
  }

  /**
   * The position of a term in the loaded segment, or -1. A binary search compares about 20
   * strings at 100k chunks; the words of questions repeat, so recent answers are remembered (the
   * segment never changes once loaded).
   */
  private segmentIndex(term: string): number {
    const known = this.segmentLookups.get(term);
    if (known !== undefined) return known;
    const found = this.findInSegment(term);
    if (this.segmentLookups.size >= 100_000) this.segmentLookups.clear();
    this.segmentLookups.set(term, found);
    return found;
  }

  /** A term's postings: its list, else its position in the segment, else undefined. */
  private entryOf(term: string): PostingList | number | undefined {
    const list = this.postings.get(term);
    if (list) return list;
    const t = this.segmentIndex(term);
    return t >= 0 ? t : undefined;
  }

  /** The position of a term in the loaded segment, or -1 (not remembered: `add` asks once per term). */
  private findInSegment(term: string): number {
    const { terms } = this.segment;
    let low = 0;
    let high = terms.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (terms[mid]! < term) low = mid + 1;
      else high = mid;
    }
    return low < terms.length && terms[low] === term ? low : -1;
  }

  /** A term's list for appending: a loaded term is copied out of the segment the first time. */
  private listForAdd(term: string): PostingList {
    const known = this.postings.get(term);
    if (known !== undefined) return known;
    const list = new PostingList(this.lists.length);
    const t = this.findInSegment(term);
    if (t >= 0) {
      const { docs, tfs, starts, counts } = this.segment;
      const from = starts[t]!;
      const n = counts[t]!;
      list.grow(Math.max(2, n + (n >> 2) + 1));
      list.docs.set(docs.subarray(from, from + n));
      list.tfs.set(tfs.subarray(from, from + n));
      list.length = n;
      list.maxTf = this.segment.maxTfs[t]!;
      list.df = this.documentFrequency(term);
      this.segmentDfChange.delete(term);
    }
    this.lists.push(list);
    this.postings.set(term, list);
    if (this.lists.length > this.addingTf.length) {
      const grown = new Float64Array(2 * this.addingTf.length);
      grown.set(this.addingTf);
      this.addingTf = grown;
    }
    return list;
  }

  /**
   * Moves the pending postings into their lists: a counting sort by list keeps each list's
   * postings in the order added, then each list grows once and is written in one run.
   */
  private flush(): void {
    const { length: n, lists: ids, docs, tfs } = this.pending;
    if (n === 0) return;
    const ends = new Int32Array(this.lists.length);
    for (let i = 0; i < n; i++) ends[ids[i]!]!++;
    let total = 0;
    for (let l = 0; l < ends.length; l++) {
      total += ends[l]!;
      ends[l] = total - ends[l]!; // where list l's postings start; moves to where they end
    }
    const { docs: sortedDocs, tfs: sortedTfs } = sortSpace(n);
    for (let i = 0; i < n; i++) {
      const at = ends[ids[i]!]!++;
      sortedDocs[at] = docs[i]!;
      sortedTfs[at] = tfs[i]!;
    }
    let from = 0;
    for (let l = 0; l < ends.length; l++) {
      if (ends[l]! > from) this.lists[l]!.append(sortedDocs, sortedTfs, from, ends[l]!);
      from = ends[l]!;
    }
    // A service's flushes (`flushIfOver`, a few hundred thousand postings) reuse the buffer: a
    // new one doubled its way back up on every flush, megabytes of garbage each. After a bulk
    // build's large flush, a new, small buffer: the full one would stay allocated while the index is only searched.
    if (this.pending.lists.length <= reusedUpTo) this.pending.length = 0;
    else this.pending = new PendingPostings();
  }

  /**
   * Moves the pending postings into their lists once there are `postings` or more. A service
   * adding documents between requests calls it after each add with a bound of a few hundred
   * thousand, so no single flush holds the event loop long: with `pendingLimit` alone a 10 MB
   * upload left 5M postings (0.3-0.9 s of flush) to the save after it, and growing the pending
   * arrays on the way (a 96 MB copy at 8M) held it 0.1-0.3 s more. Bulk builds call `add` alone.
   */
  flushIfOver(postings: number): void {
    if (this.pending.length >= postings) this.flush();
  }

  /** Adds a document; adding an id that is already live replaces nothing and throws. */
  add(id: number, fields: IndexedFields, collection: string): void {
    if (this.has(id)) throw new Error(`document ${id} is already indexed`);
    this.ensureCapacity(id);
    // A removed id added again: its tombstoned postings would come back to life with it.
    if (this.seen[id] === 1) this.purgePostings(id);
    // The terms and weights of `analyzeFields`, counted straight into their lists (see addTokens).
    const tokens = fields.tokens ?? tokenizeFields(fields);
    const { titleWeight, headingWeight } = this.params;
    let length = 0;
    if (titleWeight > 0) length += this.addTokens(tokens.title, titleWeight);
    if (headingWeight > 0) length += this.addTokens(tokens.headings, headingWeight);
    length += this.addTokens(tokens.text, 1);
    const { addingLists, addingTf } = this;
    for (let i = 0; i < addingLists.length; i++) {
      const l = addingLists[i]!;
      const tf = addingTf[l]!;
      addingTf[l] = 0;
      const list = this.lists[l]!;
      list.df++;
      // The highest frequency before it is rounded to float32, as it always was.
      if (tf > list.maxTf) list.maxTf = tf;
      this.pending.push(l, id, tf);
    }
    addingLists.length = 0;
    if (this.pending.length >= pendingLimit) this.flush();
    this.live[id] = 1;
    this.seen[id] = 1;
    this.docLength[id] = length;
    if (length < this.minLength) this.minLength = length;
    this.collectionIdOf[id] = this.collectionId(collection);
    this.documents++;
    this.totalLength += length;
  }

  /**
   * `analyzeFields`'s walk over one field's tokens (folded term, exact term, bigram with the
   * previous token), adding each term's weight to its list's count for the document. Lists are
   * met in the order `analyzeFields` first sets their terms, so they get the same ids and the
   * postings queue in the same order; the weights sum in the same order, in doubles.
   */
  private addTokens(tokens: readonly Token[], weight: number): number {
    let previous: PostingList | null = null;
    let previousTerm = '';
    let length = 0;
    for (const token of tokens) {
      const folded = token.folded;
      const list = this.listForAdd(folded);
      this.count(list.id, weight);
      length += weight;
      if (token.exact !== folded) {
        let exact = this.exactLists.get(token.exact);
        if (exact === undefined) {
          exact = this.listForAdd(exactPrefix + token.exact);
          this.exactLists.set(token.exact, exact);
        }
        this.count(exact.id, weight);
      }
      if (token.extra) continue;
      if (previous !== null && !token.breakBefore) {
        let bigram = this.bigramLists.get(previous.id, list.id);
        if (bigram === -1) {
          bigram = this.listForAdd(`${previousTerm} ${folded}`).id;
          this.bigramLists.set(previous.id, list.id, bigram);
        }
        this.count(bigram, weight);
      }
      previous = list;
      previousTerm = folded;
    }
    return length;
  }

  private count(list: number, weight: number): void {
    if (this.addingTf[list] === 0) this.addingLists.push(list);
    this.addingTf[list]! += weight;
  }

  private purgePostings(id: number): void {
    // Rare (an id removed and added again): loaded terms holding it are copied out of the segment.
    this.flush();
    const { docs, terms, starts, counts } = this.segment;
    for (let t = 0; t < terms.length; t++) {
      if (this.postings.has(terms[t]!)) continue;
      for (let i = starts[t]!; i < starts[t]! + counts[t]!; i++) {
        if (docs[i] === id) {
          this.listForAdd(terms[t]!);
          break;
        }
      }
    }
    for (const list of this.postings.values()) {
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        if (list.docs[i] === id) continue;
        list.docs[kept] = list.docs[i]!;
        list.tfs[kept] = list.tfs[i]!;
        kept++;
      }
      list.length = kept;
    }
  }

  /** Removes a document; its fields are needed to correct document frequencies. */
  remove(id: number, fields: IndexedFields): void {
    if (!this.has(id)) return;
    const { terms } = analyzeFields(fields, this.params.titleWeight, this.params.headingWeight);
    for (const term of terms.keys()) {
      const entry = this.entryOf(term);
      if (entry instanceof PostingList) entry.df--;
      else if (entry !== undefined) this.segmentDfChange.set(term, (this.segmentDfChange.get(term) ?? 0) - 1);
    }
    this.live[id] = 0;
    this.documents--;
    this.totalLength -= this.docLength[id]!;
  }

  /** Lucene's BM25 IDF: ln(1 + (N - df + 0.5) / (df + 0.5)), never negative. */
  idf(term: string): number {
    return idfOf(this.documents, this.documentFrequency(term));
  }

  /** Document frequency of a term (folded form, or `=`-prefixed exact form). */
  documentFrequency(term: string): number {
    const entry = this.entryOf(term);
    if (entry === undefined) return 0;
    if (entry instanceof PostingList) return entry.df;
    return this.segment.counts[entry]! + (this.segmentDfChange.get(term) ?? 0);
  }

  /** Sum of the live documents' lengths. */
  get lengthSum(): number {
    return this.totalLength;
  }

  /** Postings added and not yet moved into their lists. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** The shard's own statistics, for a search of this shard alone. */
  ownView(): ShardSearchView {
    return { documents: this.documents, totalLength: this.totalLength, df: (term) => this.documentFrequency(term), floor: 0 };
  }

  /**
   * The query's terms with postings here, highest weight first. IDF and the scan order come from
   * the view's document frequencies, so every shard of a search orders and weighs terms alike.
   */
  private plan(terms: ReadonlyMap<string, number>, view: ShardSearchView, lengthBase: number, lengthScale: number): TermPlan[] {
    const { k1, bigramWeight, exactWeight } = this.params;
    const shortest = Number.isFinite(this.minLength) ? this.minLength : 0;
    // The saturated TF grows with tf and falls with length: its most is at the highest tf, shortest document.
    // (Written out below, not as a helper: the same float expression as the score, left to right.)
    const plans: TermPlan[] = [];
    for (const [term, queryTf] of terms) {
      const entry = this.entryOf(term);
      if (entry === undefined) continue;
      const own = entry instanceof PostingList ? entry.df : this.segment.counts[entry]! + (this.segmentDfChange.get(term) ?? 0);
      if (own <= 0) continue;
      const df = view.df(term);
      const kind = term.startsWith(exactPrefix) ? exactWeight : term.includes(' ') ? bigramWeight : 1;
      if (kind <= 0) continue;
      const scale = kind * queryTf * idfOf(view.documents, df) * (k1 + 1);
      if (entry instanceof PostingList) {
        plans.push({
          term,
          docs: entry.docs,
          tfs: entry.tfs,
          start: 0,
          end: entry.length,
          sorted: entry.sorted,
          bound: (scale * entry.maxTf) / (entry.maxTf + lengthBase + lengthScale * shortest),
          scale,
          density: scale / df,
        });
      } else {
        const { docs, tfs, starts, counts, maxTfs } = this.segment;
        const start = starts[entry]!;
        plans.push({
          term,
          docs,
          tfs,
          start,
          end: start + counts[entry]!,
          sorted: true,
          bound: (scale * maxTfs[entry]!) / (maxTfs[entry]! + lengthBase + lengthScale * shortest),
          scale,
          density: scale / df,
        });
      }
    }
    // Most weight per posting first: short lists of heavy terms (rare syllables, rare bigrams) raise
    // the k-th score cheaply, so pruning starts after fewer postings than in weight order (at 100k
    // chunks: 24% fewer postings scanned, BM25 p50 / p95 -18% / -15%, same results). Not by bound
    // or list length: those depend on the index's history (removed documents), and the order of
    // summation must not, or scores differ in the last bit between an index and its saved copy;
    // the weight and the live document frequency do not.
    return plans.sort((a, b) => b.density - a.density || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  }

  /**
   * The `k` best documents for a query's analysed terms (`analyzeQuery`), scored with the
   * view's statistics (default: the shard's own). Scores sum, over query terms, query weight × IDF × saturated, length-normalised TF.
   *
   * Terms are scored rarest-first (highest bound first). Once the terms left cannot lift a
   * document that has no score yet above the current k-th score, the long lists of common
   * syllables (`hoc`, `va`: most of a large corpus) are no longer scanned: only the documents
   * that can still reach the top k are looked up in them (MaxScore-style pruning). The result
   * is the exhaustive top k.
   */
  search(terms: ReadonlyMap<string, number>, k: number, view: ShardSearchView = this.ownView()): Bm25Hit[] {
    if (this.documents === 0 || k <= 0) return [];
    this.flush();
    const { k1, b } = this.params;
    const lengthBase = k1 * (1 - b);
    const lengthScale = (k1 * b) / (view.totalLength / view.documents || 1);
    const floor = view.floor;
    const scoring: Scoring = {
      scores: this.scratch,
      live: this.live,
      docLength: this.docLength,
      collectionIdOf: this.collectionIdOf,
      allowed: null,
      lengthBase,
      lengthScale,
    };
    const plans = this.plan(terms, view, lengthBase, lengthScale);
    let remaining = 0;
    let remainingPostings = 0;
    for (const p of plans) {
      remaining += p.bound;
      remainingPostings += p.end - p.start;
    }
    // The k-th score cannot exceed this yet: the k-th found at the last check plus the bounds scanned
    // since (no score is above the bounds scanned). Checking costs a pass over the candidates.
    let thresholdAtMost = 0;
    const touched: number[] = [];
    let candidates: Int32Array | null = null;
    for (const term of plans) {
      remaining -= term.bound;
      thresholdAtMost += term.bound;
      remainingPostings -= term.end - term.start;
      if (candidates === null) {
        scanTerm(scoring, term, touched);
        // Worth a pass over the candidates only when the lists left are much longer than it. The
        // floor (other shards' k-th score) allows pruning before this shard has k documents.
        if (remaining < Math.max(thresholdAtMost, floor) && (touched.length >= k || floor > 0) && remainingPostings > 4 * touched.length) {
          const kth = touched.length >= k ? kthLargest(scoring.scores, touched, k) : -Infinity;
          const threshold = Math.max(kth, floor);
          if (remaining < threshold) candidates = sortIds(keepReachable(scoring.scores, touched, threshold, remaining));
          else if (kth > -Infinity) thresholdAtMost = kth;
        }
      } else {
        if (term.sorted && candidates.length * 8 < term.end - term.start) probeTerm(scoring, term, candidates);
        else scanCandidatesTerm(scoring, term);
        if (remaining > 0 && candidates.length > k) {
          candidates = keepReachable(scoring.scores, candidates, Math.max(floor, kthLargest(scoring.scores, candidates, k)), remaining);
        }
      }
    }
    const found = candidates ?? touched;
    const scores = new Float64Array(found.length);
    for (let i = 0; i < found.length; i++) {
      scores[i] = scoring.scores[found[i]!]!;
      scoring.scores[found[i]!] = 0;
    }
    if (candidates !== null) for (const doc of touched) scoring.scores[doc] = 0;
    return topKOf(found, scores, found.length, k);
  }

  /** Every term's postings in term order: its list, or its range of the loaded segment (`listed`: the list terms, sorted). */
  private *allPostings(
    listed: readonly string[],
  ): Generator<{ term: string; docs: Int32Array; tfs: Float32Array; start: number; end: number; sorted: boolean }> {
    const { docs, tfs, terms, starts, counts } = this.segment;
    let l = 0;
    for (let t = 0; t <= terms.length; t++) {
      const term = terms[t];
      // Lists first while their terms sort before the next segment term (merge of two sorted runs).
      while (l < listed.length && (term === undefined || listed[l]! <= term)) {
        const list = this.postings.get(listed[l]!)!;
        yield { term: listed[l]!, docs: list.docs, tfs: list.tfs, start: 0, end: list.length, sorted: list.sorted };
        l++;
      }
      if (term === undefined || this.postings.has(term)) continue; // shadowed by its list
      yield { term, docs, tfs, start: starts[t]!, end: starts[t]! + counts[t]!, sorted: true };
    }
  }

  /**
   * Binary form, without tombstoned postings: a table of part sizes, a JSON header line padded so
   * the parts start 4-byte aligned (loaded without copying), then ids, lengths, collections,
   * postings, per-term counts and the sorted terms joined by newlines.
   */
  serialize(): Buffer {
    return Buffer.concat(this.serializeParts());
  }

  /** `serialize`'s bytes in parts, for writing without joining them (at 1M chunks: over 3 GB). */
  serializeParts(): Buffer[] {
    const steps = this.serializeSteps();
    for (let step = steps.next(); ; step = steps.next()) if (step.done) return step.value;
  }

  /**
   * `serializeParts` (the same bytes) with `pause()` awaited every few hundred terms, so a
   * running service answers requests while its index is saved (1.2-1.4 s at 8,000 chunks on
   * this shared machine). The caller must not change the index until it resolves.
   */
  async serializePartsSliced(pause: () => Promise<void>): Promise<Buffer[]> {
    const steps = this.serializeSteps();
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return step.value;
      await pause();
    }
  }

  /** The body of `serializeParts`, yielding between groups of terms (the callers pause there or not). */
  private *serializeSteps(): Generator<void, Buffer[]> {
    this.flush();
    // The index is saved when an upload's adds are done: its reused pending buffer is let go.
    this.pending = new PendingPostings();
    // One pass over the terms (sorted in steps first): live postings are copied into
    // arrays sized for all postings, and a term left without any is dropped.
    let capacity = this.segment.docs.length;
    for (const list of this.lists) capacity += list.length;
    const docs = new Int32Array(capacity);
    const tfs = new Float32Array(capacity);
    const terms: string[] = [];
    const counts: number[] = [];
    let at = 0;
    let walked = 0;
    let copiedSinceStep = 0;
    const listed = yield* sortStringsStepwise([...this.postings.keys()]);
    for (const list of this.allPostings(listed)) {
      // A step every 256 terms or 64k postings read (a common syllable's list holds a posting per chunk).
      copiedSinceStep += list.end - list.start;
      if (++walked % 256 === 0 || copiedSinceStep >= 1 << 16) {
        copiedSinceStep = 0;
        yield;
      }
      const from = at;
      for (let i = list.start; i < list.end; i++) {
        if (this.live[list.docs[i]!] !== 1) continue;
        docs[at] = list.docs[i]!;
        tfs[at] = list.tfs[i]!;
        at++;
      }
      if (at === from) continue;
      // Saved lists always ascend, so a loaded segment can be binary-searched.
      if (!list.sorted) sortPostings(docs, tfs, from, at);
      terms.push(list.term);
      counts.push(at - from);
    }
    yield;
    const liveIds: number[] = [];
    for (let id = 0; id < this.live.length; id++) if (this.live[id] === 1) liveIds.push(id);
    const collections = [...new Set(liveIds.map((id) => this.collections[this.collectionIdOf[id]!]!))];
    const collectionIndex = new Map(collections.map((c, i) => [c, i]));
    const ids = Int32Array.from(liveIds);
    const lengths = Float32Array.from(liveIds, (id) => this.docLength[id]!);
    const docCollections = Int32Array.from(liveIds, (id) => collectionIndex.get(this.collections[this.collectionIdOf[id]!]!)!);
    const parts = [ids, lengths, docCollections, docs.subarray(0, at), tfs.subarray(0, at), Int32Array.from(counts)].map((a) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    );
    // The terms joined by newlines, encoded a group at a time (one join of ~500k terms: tens of ms).
    const termBytes: Buffer[] = [];
    for (let t = 0; t < terms.length; t += termsPerStep) {
      termBytes.push(Buffer.from(`${t > 0 ? '\n' : ''}${terms.slice(t, t + termsPerStep).join('\n')}`, 'utf8'));
      yield;
    }
    parts.push(Buffer.concat(termBytes));
    const sizes = Buffer.alloc(4 * parts.length);
    parts.forEach((p, i) => sizes.writeUInt32LE(p.length, i * 4));
    const json = JSON.stringify({ formatVersion, params: this.params, collections, terms: terms.length });
    const unpadded = sizes.length + Buffer.byteLength(json) + 1;
    const header = Buffer.from(`${json}${' '.repeat((4 - (unpadded % 4)) % 4)}\n`, 'utf8');
    return [sizes, header, ...parts];
  }

  static deserialize(bytes: Buffer, params: Bm25Params): Bm25Shard {
    const version = peekFormatVersion(bytes);
    const partCount = version === 1 ? 5 : 7;
    const sizes = Array.from({ length: partCount }, (_, i) => bytes.readUInt32LE(i * 4));
    const newline = bytes.indexOf(0x0a, partCount * 4);
    const header = JSON.parse(bytes.subarray(partCount * 4, newline).toString('utf8')) as {
      formatVersion: number;
      params: Bm25Params;
      collections: string[];
      /** Version 1: the terms and their counts are in the header, in insertion order. */
      terms: string[] | number;
      counts?: number[];
    };
    if (header.formatVersion !== 1 && header.formatVersion !== formatVersion)
      throw new Error(`BM25 index format ${header.formatVersion} is not ${formatVersion}`);
    if (JSON.stringify(header.params) !== JSON.stringify(params)) throw new Error('BM25 index was built with other parameters');
    let offset = newline + 1;
    const take = (n: number): Buffer => {
      let slice = bytes.subarray(offset, offset + n);
      if (slice.length !== n) throw new Error('BM25 index file is truncated');
      // Typed arrays need 4-byte alignment: files written since version 2 have it, older ones are copied.
      if (slice.byteOffset % 4 !== 0) slice = Buffer.from(slice);
      offset += n;
      return slice;
    };
    const asInt = (b: Buffer) => new Int32Array(b.buffer, b.byteOffset, b.length / 4);
    const asFloat = (b: Buffer) => new Float32Array(b.buffer, b.byteOffset, b.length / 4);
    const ids = asInt(take(sizes[0]!));
    const lengths = asFloat(take(sizes[1]!));
    const docCollections = asInt(take(sizes[2]!));
    const docs = asInt(take(sizes[3]!));
    const tfs = asFloat(take(sizes[4]!));
    let terms: string[];
    let counts: Int32Array;
    if (typeof header.terms === 'number') {
      counts = asInt(take(sizes[5]!));
      terms = header.terms === 0 ? [] : take(sizes[6]!).toString('utf8').split('\n');
    } else {
      terms = header.terms;
      counts = Int32Array.from(header.counts ?? []);
    }
    if (terms.length !== counts.length) throw new Error('BM25 index terms do not match their counts');
    const index = new Bm25Shard(params);
    let maxId = 0;
    for (const id of ids) if (id > maxId) maxId = id;
    index.ensureCapacity(maxId);
    const collectionIds = header.collections.map((c) => index.collectionId(c));
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      index.live[id] = 1;
      index.seen[id] = 1;
      index.docLength[id] = lengths[i]!;
      if (lengths[i]! < index.minLength) index.minLength = lengths[i]!;
      index.collectionIdOf[id] = collectionIds[docCollections[i]!]!;
      index.totalLength += lengths[i]!;
    }
    index.documents = ids.length;
    let starts = new Int32Array(terms.length);
    const maxTfs = new Float32Array(terms.length);
    let at = 0;
    for (let t = 0; t < terms.length; t++) {
      const to = at + counts[t]!;
      if (to > docs.length) throw new Error('BM25 index postings do not match their counts');
      starts[t] = at;
      // Files written before lists were kept sorted may hold a list out of order.
      if (!ascending(docs, at, to)) sortPostings(docs, tfs, at, to);
      let maxTf = 0;
      for (let i = at; i < to; i++) if (tfs[i]! > maxTf) maxTf = tfs[i]!;
      maxTfs[t] = maxTf;
      at = to;
    }
    if (at !== docs.length) throw new Error('BM25 index postings do not match their counts');
    if (typeof header.terms !== 'number') {
      // Version 1 kept terms in insertion order: sort them (with their ranges) for binary search.
      const order = Array.from(terms.keys()).sort((x, y) => (terms[x]! < terms[y]! ? -1 : terms[x]! > terms[y]! ? 1 : 0));
      const sortedTerms = order.map((t) => terms[t]!);
      starts = Int32Array.from(order, (t) => starts[t]!);
      counts = Int32Array.from(order, (t) => counts[t]!);
      const sortedMax = Float32Array.from(order, (t) => maxTfs[t]!);
      index.segment = { docs, tfs, terms: sortedTerms, starts, counts, maxTfs: sortedMax };
    } else {
      index.segment = { docs, tfs, terms, starts, counts, maxTfs };
    }
    return index;
  }
}

/** The format version in a file's JSON header (version 1 had 5 size fields, later ones 7). */
function peekFormatVersion(bytes: Buffer): number {
  for (const parts of [7, 5]) {
    const open = parts * 4;
    if (bytes[open] !== 0x7b) continue; // '{'
    const match = /"formatVersion":(\d+)/.exec(bytes.subarray(open, open + 64).toString('utf8'));
    if (match) return Number(match[1]);
  }
  throw new Error('not a BM25 index file');
}

/** Lucene's BM25 IDF of a term in `df` of `n` documents. */
export function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** What scoring one posting needs, gathered once per search. */
interface Scoring {
  scores: Float32Array;
  live: Uint8Array;
  docLength: Float32Array;
  collectionIdOf: Uint16Array;
  allowed: Uint8Array | null;
  lengthBase: number;
  lengthScale: number;
}

/** Adds a term's score to every live, allowed document of its list; new documents join `touched`. */
function scanTerm(s: Scoring, term: TermPlan, touched: number[]): void {
  const { scores, live, docLength, collectionIdOf, allowed, lengthBase, lengthScale } = s;
  const { docs, tfs, end, scale } = term;
  for (let i = term.start; i < end; i++) {
    const doc = docs[i]!;
    if (live[doc] !== 1 || (allowed !== null && allowed[collectionIdOf[doc]!] !== 1)) continue;
    const tf = tfs[i]!;
    if (scores[doc] === 0) touched.push(doc);
    scores[doc]! += (scale * tf) / (tf + lengthBase + lengthScale * docLength[doc]!);
  }
}

/** Adds a term's score to the candidates only, finding each in the (ascending) list by galloping. */
function probeTerm(s: Scoring, term: TermPlan, candidates: Int32Array): void {
  const { scores, docLength, lengthBase, lengthScale } = s;
  const { docs, tfs, end, scale } = term;
  let at = term.start;
  for (let c = 0; c < candidates.length; c++) {
    const doc = candidates[c]!;
    at = lowerBound(docs, at, end, doc);
    if (at === end) break;
    if (docs[at] === doc) {
      const tf = tfs[at]!;
      scores[doc]! += (scale * tf) / (tf + lengthBase + lengthScale * docLength[doc]!);
    }
  }
}

/** Adds a term's score to the candidates only, scanning its list (a candidate has a score). */
function scanCandidatesTerm(s: Scoring, term: TermPlan): void {
  const { scores, live, docLength, lengthBase, lengthScale } = s;
  const { docs, tfs, end, scale } = term;
  for (let i = term.start; i < end; i++) {
    const doc = docs[i]!;
    if (scores[doc] === 0 || live[doc] !== 1) continue;
    const tf = tfs[i]!;
    scores[doc]! += (scale * tf) / (tf + lengthBase + lengthScale * docLength[doc]!);
  }
}

/** The documents that can still reach `threshold` with at most `remaining` more; the others' scores are cleared. */
function keepReachable(scores: Float32Array, docs: ArrayLike<number>, threshold: number, remaining: number): Int32Array {
  const kept = new Int32Array(docs.length);
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    if (scores[doc]! + remaining >= threshold) kept[n++] = doc;
    else scores[doc] = 0;
  }
  return kept.subarray(0, n);
}

/** First position in `docs[from, to)` (ascending) holding a value ≥ `doc`, galloping from `from`. */
function lowerBound(docs: Int32Array, from: number, to: number, doc: number): number {
  let step = 1;
  let low = from;
  let high = from;
  while (high < to && docs[high]! < doc) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > to) high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (docs[mid]! < doc) low = mid + 1;
    else high = mid;
  }
  return low;
}

function ascending(docs: Int32Array, from: number, to: number): boolean {
  for (let i = from + 1; i < to; i++) if (docs[i]! <= docs[i - 1]!) return false;
  return true;
}

/** Sorts postings `[from, to)` by document, keeping each document's frequency with it. */
function sortPostings(docs: Int32Array, tfs: Float32Array, from: number, to: number): void {
  const order = Array.from({ length: to - from }, (_, i) => from + i).sort((x, y) => docs[x]! - docs[y]!);
  const sortedDocs = Int32Array.from(order, (i) => docs[i]!);
  const sortedTfs = Float32Array.from(order, (i) => tfs[i]!);
  docs.set(sortedDocs, from);
  tfs.set(sortedTfs, from);
}
