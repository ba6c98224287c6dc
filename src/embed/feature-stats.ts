/**
 * Document frequencies of hashed features, kept per bucket of a large table (2^18 buckets, so
 * collisions are rare), to weight features by IDF. Saved beside the indexes and replayed with
 * them, because query vectors must be weighted like the stored document vectors.
 */
export class FeatureStats {
  static readonly buckets = 1 << 18;
  documents = 0;
  readonly df: Uint32Array;
  private marks: Uint32Array | null = null;
  private mark = 0;

  constructor(df?: Uint32Array, documents = 0) {
    this.df = df ?? new Uint32Array(FeatureStats.buckets);
    this.documents = documents;
  }

  bucket(hash: number): number {
    return hash & (FeatureStats.buckets - 1);
  }

  /** Counts one document's features (`delta` -1 forgets a removed document). */
  update(hashes: Iterable<number>, delta: 1 | -1): void {
    // A bucket counts once per document even when several features share it: `marks` holds the
    // update that last counted each bucket (a Set per document cost more than the counting).
    this.marks ??= new Uint32Array(FeatureStats.buckets);
    if (this.mark === 0xffffffff) {
      this.marks.fill(0);
      this.mark = 0;
    }
    const mark = ++this.mark;
    for (const h of hashes) {
      const b = this.bucket(h);
      if (this.marks[b] === mark) continue;
      this.marks[b] = mark;
      const next = this.df[b]! + delta;
      this.df[b] = next < 0 ? 0 : next;
    }
    this.documents = Math.max(0, this.documents + delta);
  }

  /** Smoothed IDF, always positive: ln((N + 1) / (df + 1)) + 1. */
  idf(hash: number): number {
    return Math.log((this.documents + 1) / (this.df[this.bucket(hash)]! + 1)) + 1;
  }

  serialize(): Buffer {
    const out = Buffer.alloc(8 + this.df.byteLength);
    out.writeUInt32LE(FeatureStats.buckets, 0);
    out.writeUInt32LE(this.documents, 4);
    Buffer.from(this.df.buffer, this.df.byteOffset, this.df.byteLength).copy(out, 8);
    return out;
  }

  static deserialize(bytes: Buffer): FeatureStats {
    if (bytes.length !== 8 + FeatureStats.buckets * 4 || bytes.readUInt32LE(0) !== FeatureStats.buckets) {
      throw new Error('feature statistics file has the wrong size');
    }
    const df = new Uint32Array(FeatureStats.buckets);
    Buffer.from(df.buffer).set(bytes.subarray(8));
    return new FeatureStats(df, bytes.readUInt32LE(4));
  }
}
