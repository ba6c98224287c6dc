import { analyzeQuery, type IndexedFields } from './analyze-fields.js';
import { Bm25Shard, defaultBm25Params, idfOf, type Bm25Hit, type Bm25Params } from './bm25-shard.js';
import type { Token } from '../text/index.js';

export { defaultBm25Params, type Bm25Hit, type Bm25Params } from './bm25-shard.js';

/** One collection's postings, and the caller's id of each of its dense local ids. */
interface Shard {
  collection: string;
  index: Bm25Shard;
  globalOf: Int32Array<ArrayBufferLike>;
  nextLocal: number;
}

const formatVersion = 3;
/** The first bytes of a file of this format; older files (one index of every collection) start otherwise. */
const magic = Buffer.from('TGB3', 'latin1');

/**
 * BM25 over every collection of a service, with postings partitioned by collection: one
 * `Bm25Shard` per collection, each numbering its documents densely. A search limited to some
 * collections reads only their shards, so a learner of one center among fifty touches only the
 * postings of what they may see, never scanning the others' and dropping them. Scores use the
 * statistics of the collections searched (document count, lengths, document frequencies): a
 * filtered search returns exactly what an index holding only those collections returns.
 *
 * Documents are numbered by the caller (the store's chunk sequence numbers).
 */
export class Bm25Index {
  private readonly shards: Shard[] = [];
  private readonly shardByCollection = new Map<string, Shard>();
  /** Each id's shard (its position + 1; 0: not indexed) and its local id there. */
  private shardOf = new Uint16Array(1024);
  private localOf: Int32Array = new Int32Array(1024);
  private documents = 0;

  constructor(readonly params: Bm25Params = defaultBm25Params) {}

  get size(): number {
    return this.documents;
  }

  has(id: number): boolean {
    return id >= 0 && id < this.shardOf.length && this.shardOf[id] !== 0;
  }

  /** Adds a document; adding an id that is already live replaces nothing and throws. */
  add(id: number, fields: IndexedFields, collection: string): void {
    if (this.has(id)) throw new Error(`document ${id} is already indexed`);
    if (!Number.isInteger(id) || id < 0) throw new Error(`invalid document id ${id}`);
    const shard = this.shardFor(collection);
    const local = shard.nextLocal;
    shard.index.add(local, fields, collection);
    if (local === shard.globalOf.length) shard.globalOf = grown(shard.globalOf, local + 1);
    shard.globalOf[local] = id;
    shard.nextLocal++;
    this.ensureCapacity(id);
    this.shardOf[id] = this.shards.indexOf(shard) + 1;
    this.localOf[id] = local;
    this.documents++;
  }

  /** Removes a document; its fields are needed to correct document frequencies. */
  remove(id: number, fields: IndexedFields): void {
    if (!this.has(id)) return;
    this.shards[this.shardOf[id]! - 1]!.index.remove(this.localOf[id]!, fields);
    this.shardOf[id] = 0;
    this.documents--;
  }

  /** Moves pending postings into their lists once all shards hold `postings` or more (see `Bm25Shard.flushIfOver`). */
  flushIfOver(postings: number): void {
    let pending = 0;
    for (const s of this.shards) pending += s.index.pendingCount;
    if (pending >= postings) for (const s of this.shards) s.index.flushIfOver(1);
  }

  /** Document frequency of a term (folded form, or `=`-prefixed exact form), in `collections` (default: all). */
  documentFrequency(term: string, collections?: ReadonlySet<string> | null): number {
    let df = 0;
    for (const s of this.visible(collections)) df += s.index.documentFrequency(term);
    return df;
  }

  /** Lucene's BM25 IDF, ln(1 + (N - df + 0.5) / (df + 0.5)), over `collections` (default: all). */
  idf(term: string, collections?: ReadonlySet<string> | null): number {
    let documents = 0;
    let df = 0;
    for (const s of this.visible(collections)) {
      documents += s.index.size;
      df += s.index.documentFrequency(term);
    }
    return idfOf(documents, df);
  }

  /**
   * The `k` best documents for a query (text, or its tokens when the caller has them already),
   * optionally only those in `collections`: exactly the top k of an index holding only them.
   * Ties: smaller id first.
   */
  search(query: string | readonly Token[], k: number, collections?: ReadonlySet<string> | null): Bm25Hit[] {
    if (this.documents === 0 || k <= 0) return [];
    // Largest first: its k-th score is the highest floor for the shards after it.
    const shards = this.visible(collections).filter((s) => s.index.size > 0);
    shards.sort((a, b) => b.index.size - a.index.size);
    let documents = 0;
    let totalLength = 0;
    for (const s of shards) {
      documents += s.index.size;
      totalLength += s.index.lengthSum;
    }
    if (documents === 0) return [];
    const { terms } = analyzeQuery(query, this.params.questionWordWeight);
    const frequencies = new Map<string, number>();
    const df = (term: string): number => {
      let n = frequencies.get(term);
      if (n === undefined) {
        n = 0;
        for (const s of shards) n += s.index.documentFrequency(term);
        frequencies.set(term, n);
      }
      return n;
    };
    let best: Bm25Hit[] = [];
    let floor = 0;
    for (const shard of shards) {
      const hits = shard.index.search(terms, k, { documents, totalLength, df, floor });
      for (const hit of hits) best.push({ id: shard.globalOf[hit.id]!, score: hit.score });
      best.sort(byScoreThenId);
      if (best.length > k) best = best.slice(0, k);
      if (best.length === k) floor = best[k - 1]!.score;
    }
    return best;
  }

  private visible(collections?: ReadonlySet<string> | null): Shard[] {
    if (!collections) return this.shards;
    const shards: Shard[] = [];
    for (const c of collections) {
      const shard = this.shardByCollection.get(c);
      if (shard) shards.push(shard);
    }
    return shards;
  }

  private shardFor(collection: string): Shard {
    let shard = this.shardByCollection.get(collection);
    if (!shard) {
      if (this.shards.length >= 0xffff) throw new Error('too many collections');
      shard = { collection, index: new Bm25Shard(this.params), globalOf: new Int32Array(64), nextLocal: 0 };
      this.shards.push(shard);
      this.shardByCollection.set(collection, shard);
    }
    return shard;
  }

  private ensureCapacity(id: number): void {
    if (id < this.shardOf.length) return;
    let capacity = this.shardOf.length;
    while (capacity <= id) capacity *= 2;
    const shardOf = new Uint16Array(capacity);
    shardOf.set(this.shardOf);
    this.shardOf = shardOf;
    this.localOf = grown(this.localOf, capacity);
  }

  /**
   * Binary form: `TGB3`, the byte length of a JSON header (format, parameters, and per shard its
   * collection, local id count and byte length), the header padded to 4 bytes, then each shard's
   * ids (Int32, local → caller's) and its `Bm25Shard` bytes, padded to 4. Empty shards are left out.
   */
  serialize(): Buffer {
    return Buffer.concat(this.serializeParts());
  }

  /** `serialize`'s bytes in parts, for writing without joining them. */
  serializeParts(): Buffer[] {
    return this.framed(this.kept().map((s) => s.index.serializeParts()));
  }

  /**
   * `serializeParts` (the same bytes) with `pause()` awaited every few hundred terms, so a
   * running service answers requests while its index is saved. The caller must not change the
   * index until it resolves.
   */
  async serializePartsSliced(pause: () => Promise<void>): Promise<Buffer[]> {
    const parts: Buffer[][] = [];
    for (const s of this.kept()) parts.push(await s.index.serializePartsSliced(pause));
    return this.framed(parts);
  }

  private kept(): Shard[] {
    return this.shards.filter((s) => s.index.size > 0);
  }

  private framed(shardParts: Buffer[][]): Buffer[] {
    const kept = this.kept();
    const out: Buffer[] = [];
    const shards = kept.map((s, i) => {
      const bytes = shardParts[i]!.reduce((n, b) => n + b.length, 0);
      return { collection: s.collection, ids: s.nextLocal, bytes };
    });
    const json = JSON.stringify({ formatVersion, params: this.params, shards });
    const jsonBytes = Buffer.from(json, 'utf8');
    const head = Buffer.alloc(8);
    magic.copy(head, 0);
    head.writeUInt32LE(jsonBytes.length, 4);
    out.push(head, jsonBytes, padding(jsonBytes.length));
    kept.forEach((s, i) => {
      const ids = s.globalOf.subarray(0, s.nextLocal);
      out.push(Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength), ...shardParts[i]!, padding(shards[i]!.bytes));
    });
    return out;
  }

  static deserialize(bytes: Buffer, params: Bm25Params): Bm25Index {
    if (bytes.length < 8 || !bytes.subarray(0, 4).equals(magic))
      throw new Error(`BM25 index format is not ${formatVersion} (an index of an older version: rebuilt from the store)`);
    const jsonLength = bytes.readUInt32LE(4);
    if (8 + jsonLength > bytes.length) throw new Error('BM25 index file is truncated');
    const header = JSON.parse(bytes.subarray(8, 8 + jsonLength).toString('utf8')) as {
      formatVersion: number;
      params: Bm25Params;
      shards: Array<{ collection: string; ids: number; bytes: number }>;
    };
    if (header.formatVersion !== formatVersion) throw new Error(`BM25 index format ${header.formatVersion} is not ${formatVersion}`);
    if (JSON.stringify(header.params) !== JSON.stringify(params)) throw new Error('BM25 index was built with other parameters');
    const index = new Bm25Index(params);
    let offset = align4(8 + jsonLength);
    for (const entry of header.shards) {
      const end = offset + 4 * entry.ids + entry.bytes;
      if (!Number.isInteger(entry.ids) || !Number.isInteger(entry.bytes) || end > bytes.length)
        throw new Error('BM25 index file is truncated');
      // Copied: the file's buffer may not be 4-byte aligned, and the ids are few.
      const globalOf = new Int32Array(Math.max(64, entry.ids));
      const raw = new Uint8Array(4 * entry.ids);
      raw.set(bytes.subarray(offset, offset + 4 * entry.ids));
      globalOf.set(new Int32Array(raw.buffer));
      const shardIndex = Bm25Shard.deserialize(bytes.subarray(offset + 4 * entry.ids, end), params);
      if (index.shardByCollection.has(entry.collection)) throw new Error(`BM25 index lists collection ${entry.collection} twice`);
      const shard: Shard = { collection: entry.collection, index: shardIndex, globalOf, nextLocal: entry.ids };
      index.shards.push(shard);
      index.shardByCollection.set(entry.collection, shard);
      for (let local = 0; local < entry.ids; local++) {
        if (!shardIndex.has(local)) continue;
        const id = globalOf[local]!;
        if (id < 0 || index.has(id)) throw new Error(`BM25 index holds document ${id} twice`);
        index.ensureCapacity(id);
        index.shardOf[id] = index.shards.length;
        index.localOf[id] = local;
        index.documents++;
      }
      if (shardIndex.has(entry.ids)) throw new Error('BM25 index ids do not match their shard');
      offset = align4(end);
    }
    return index;
  }
}

function byScoreThenId(a: Bm25Hit, b: Bm25Hit): number {
  return b.score - a.score || a.id - b.id;
}

function grown(old: Int32Array, atLeast: number): Int32Array {
  let capacity = Math.max(1, old.length);
  while (capacity < atLeast) capacity *= 2;
  const next = new Int32Array(capacity);
  next.set(old);
  return next;
}

const align4 = (n: number) => (n + 3) & ~3;
const padding = (n: number) => Buffer.alloc(align4(n) - n);
