import { analyzeFields, analyzeQuery, exactPrefix, type IndexedFields } from './analyze-fields.js';
import { TopK } from './top-k.js';

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

/** Defaults tuned with `trogiang eval --beir` on the shared sets (see README). */
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

class PostingList {
  docs: Int32Array;
  tfs: Float32Array;
  length = 0;
  constructor(capacity = 2) {
    this.docs = new Int32Array(capacity);
    this.tfs = new Float32Array(capacity);
  }
  push(doc: number, tf: number): void {
    if (this.length === this.docs.length) {
      const docs = new Int32Array(this.length * 2);
      docs.set(this.docs);
      this.docs = docs;
      const tfs = new Float32Array(this.length * 2);
      tfs.set(this.tfs);
      this.tfs = tfs;
    }
    this.docs[this.length] = doc;
    this.tfs[this.length] = tf;
    this.length++;
  }
}

const formatVersion = 1;

/**
 * An inverted index with BM25 scoring over folded terms, bigrams and exact-diacritic terms.
 * Documents are numbered by the caller (the store's chunk sequence numbers). Removal leaves a
 * tombstone that scoring skips; `serialize` drops tombstoned postings.
 */
export class Bm25Index {
  private readonly postings = new Map<string, PostingList>();
  private readonly df = new Map<string, number>();
  private docLength = new Float32Array(1024);
  private live = new Uint8Array(1024);
  private collectionOf: string[] = [];
  private documents = 0;
  private totalLength = 0;
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
    const live = new Uint8Array(capacity);
    live.set(this.live);
    this.live = live;
    const lengths = new Float32Array(capacity);
    lengths.set(this.docLength);
    this.docLength = lengths;
    this.scratch = new Float32Array(capacity);
  }

  /** Adds a document; adding an id that is already live replaces nothing and throws. */
  add(id: number, fields: IndexedFields, collection: string): void {
    if (this.has(id)) throw new Error(`document ${id} is already indexed`);
    this.ensureCapacity(id);
    // A removed id added again: its tombstoned postings would come back to life with it.
    if (this.collectionOf[id] !== undefined) this.purgePostings(id);
    const { terms, length } = analyzeFields(fields, this.params.titleWeight, this.params.headingWeight);
    for (const [term, tf] of terms) {
      let list = this.postings.get(term);
      if (!list) {
        list = new PostingList();
        this.postings.set(term, list);
      }
      list.push(id, tf);
      this.df.set(term, (this.df.get(term) ?? 0) + 1);
    }
    this.live[id] = 1;
    this.docLength[id] = length;
    this.collectionOf[id] = collection;
    this.documents++;
    this.totalLength += length;
  }

  private purgePostings(id: number): void {
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
      const df = (this.df.get(term) ?? 1) - 1;
      if (df <= 0) this.df.delete(term);
      else this.df.set(term, df);
    }
    this.live[id] = 0;
    this.documents--;
    this.totalLength -= this.docLength[id]!;
  }

  /** Lucene's BM25 IDF: ln(1 + (N - df + 0.5) / (df + 0.5)), never negative. */
  idf(term: string): number {
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (this.documents - df + 0.5) / (df + 0.5));
  }

  /** Document frequency of a term (folded form, or `=`-prefixed exact form). */
  documentFrequency(term: string): number {
    return this.df.get(term) ?? 0;
  }

  /**
   * The `k` best documents for a query, optionally only those in `collections`.
   * Scores sum, over query terms, query weight × IDF × saturated, length-normalised TF.
   */
  search(query: string, k: number, collections?: ReadonlySet<string> | null): Bm25Hit[] {
    if (this.documents === 0 || k <= 0) return [];
    const { k1, b, bigramWeight, exactWeight } = this.params;
    const averageLength = this.totalLength / this.documents || 1;
    const scores = this.scratch;
    const touched: number[] = [];
    const { terms } = analyzeQuery(query, this.params.questionWordWeight);
    for (const [term, queryTf] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const kind = term.startsWith(exactPrefix) ? exactWeight : term.includes(' ') ? bigramWeight : 1;
      if (kind <= 0) continue;
      const weight = kind * queryTf * this.idf(term);
      const { docs, tfs, length } = list;
      for (let i = 0; i < length; i++) {
        const doc = docs[i]!;
        if (this.live[doc] !== 1) continue;
        const tf = tfs[i]!;
        const norm = tf + k1 * (1 - b + (b * this.docLength[doc]!) / averageLength);
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += (weight * tf * (k1 + 1)) / norm;
      }
    }
    const top = new TopK(k);
    for (const doc of touched) {
      const score = scores[doc]!;
      scores[doc] = 0;
      if (collections && !collections.has(this.collectionOf[doc]!)) continue;
      top.push(doc, score);
    }
    return top.results();
  }

  /** Binary form: a JSON header line then the arrays, without tombstoned postings. */
  serialize(): Buffer {
    const terms: string[] = [];
    const counts: number[] = [];
    let total = 0;
    for (const [term, list] of this.postings) {
      let n = 0;
      for (let i = 0; i < list.length; i++) if (this.live[list.docs[i]!] === 1) n++;
      if (n === 0) continue;
      terms.push(term);
      counts.push(n);
      total += n;
    }
    const docs = new Int32Array(total);
    const tfs = new Float32Array(total);
    let at = 0;
    for (const term of terms) {
      const list = this.postings.get(term)!;
      for (let i = 0; i < list.length; i++) {
        if (this.live[list.docs[i]!] !== 1) continue;
        docs[at] = list.docs[i]!;
        tfs[at] = list.tfs[i]!;
        at++;
      }
    }
    const liveIds: number[] = [];
    for (let id = 0; id < this.live.length; id++) if (this.live[id] === 1) liveIds.push(id);
    const collections = [...new Set(liveIds.map((id) => this.collectionOf[id]!))];
    const collectionIndex = new Map(collections.map((c, i) => [c, i]));
    const ids = Int32Array.from(liveIds);
    const lengths = Float32Array.from(liveIds, (id) => this.docLength[id]!);
    const docCollections = Int32Array.from(liveIds, (id) => collectionIndex.get(this.collectionOf[id]!)!);
    const header = Buffer.from(
      `${JSON.stringify({ formatVersion, params: this.params, terms, counts, collections })}\n`,
      'utf8',
    );
    const parts = [ids, lengths, docCollections, docs, tfs].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    const sizes = Buffer.alloc(4 * 5);
    parts.forEach((p, i) => sizes.writeUInt32LE(p.length, i * 4));
    return Buffer.concat([sizes, header, ...parts]);
  }

  static deserialize(bytes: Buffer, params: Bm25Params): Bm25Index {
    const sizes = [0, 1, 2, 3, 4].map((i) => bytes.readUInt32LE(i * 4));
    const newline = bytes.indexOf(0x0a, 20);
    const header = JSON.parse(bytes.subarray(20, newline).toString('utf8')) as {
      formatVersion: number;
      params: Bm25Params;
      terms: string[];
      counts: number[];
      collections: string[];
    };
    if (header.formatVersion !== formatVersion) throw new Error(`BM25 index format ${header.formatVersion} is not ${formatVersion}`);
    if (JSON.stringify(header.params) !== JSON.stringify(params)) throw new Error('BM25 index was built with other parameters');
    let offset = newline + 1;
    const take = (n: number): Buffer => {
      const slice = Buffer.from(bytes.subarray(offset, offset + n)); // copy: aligned for typed arrays
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
    const index = new Bm25Index(params);
    let maxId = 0;
    for (const id of ids) if (id > maxId) maxId = id;
    index.ensureCapacity(maxId);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      index.live[id] = 1;
      index.docLength[id] = lengths[i]!;
      index.collectionOf[id] = header.collections[docCollections[i]!]!;
      index.totalLength += lengths[i]!;
    }
    index.documents = ids.length;
    let at = 0;
    header.terms.forEach((term, t) => {
      const n = header.counts[t]!;
      const list = new PostingList(Math.max(2, n));
      list.docs.set(docs.subarray(at, at + n));
      list.tfs.set(tfs.subarray(at, at + n));
      list.length = n;
      at += n;
      index.postings.set(term, list);
      index.df.set(term, n);
    });
    return index;
  }
}
