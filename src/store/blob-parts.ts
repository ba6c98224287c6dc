import type Database from 'better-sqlite3';

/**
 * Part size of stored bytes. A streaming reader holds one part: 64 KB per connection, against a
 * whole copy of the file before (27 MB for a 27 MB PDF). Reading a 27 MB source part by part
 * costs 432 indexed lookups (see `evals/perf/docs-memory.ts`).
 */
export const blobPartBytes = 64 * 1024;

/** What is stored under a content hash: the uploaded bytes, or a rendered page of them. */
export type BlobKind = 'source' | `page-${string}`;

/**
 * Bytes stored in parts (`blob_parts`, schema 4), keyed by a document's content hash and a kind.
 * Parts live as long as a document holds their hash: triggers drop them with the last one.
 */
export interface BlobStore {
  /** Total bytes of a stored blob; undefined when it is not (or no longer) stored. */
  size(hash: string, kind: BlobKind): number | undefined;
  /**
   * The stored bytes from `offset` to the end of the part holding it (at most `blobPartBytes`);
   * undefined when the blob is gone or `offset` is past its end. A reader that gets undefined
   * mid-way knows the document was replaced or deleted under it.
   */
  readFrom(hash: string, kind: BlobKind, offset: number): Buffer | undefined;
  /** A whole blob in one buffer (re-reading a source for reindexing); undefined when not stored. */
  readAll(hash: string, kind: BlobKind): Buffer | undefined;
  /**
   * Stores a derived blob (a rendered page) while a document still holds `hash`; false when none
   * does (deleted meanwhile), so nothing is left behind that no trigger would drop.
   */
  putDerived(hash: string, kind: BlobKind, bytes: Uint8Array): boolean;
}

export class SqliteBlobStore implements BlobStore {
  private readonly sizeOf: Database.Statement;
  private readonly partAt: Database.Statement;
  private readonly allParts: Database.Statement;
  private readonly exists: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly held: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.sizeOf = db.prepare('SELECT count(*) AS n, sum(length(bytes)) AS size FROM blob_parts WHERE hash = ? AND kind = ?');
    this.partAt = db.prepare('SELECT start, bytes FROM blob_parts WHERE hash = ? AND kind = ? AND start <= ? ORDER BY start DESC LIMIT 1');
    this.allParts = db.prepare('SELECT bytes FROM blob_parts WHERE hash = ? AND kind = ? ORDER BY start');
    this.exists = db.prepare('SELECT 1 FROM blob_parts WHERE hash = ? AND kind = ? AND start = 0');
    this.insert = db.prepare('INSERT INTO blob_parts (hash, kind, start, bytes) VALUES (?, ?, ?, ?)');
    this.held = db.prepare('SELECT 1 FROM documents WHERE content_hash = ? LIMIT 1');
  }

  size(hash: string, kind: BlobKind): number | undefined {
    const row = this.sizeOf.get(hash, kind) as { n: number; size: number | null };
    return row.n === 0 ? undefined : (row.size ?? 0);
  }

  readFrom(hash: string, kind: BlobKind, offset: number): Buffer | undefined {
    const row = this.partAt.get(hash, kind, offset) as { start: number; bytes: Buffer } | undefined;
    if (!row || offset >= row.start + row.bytes.length) return undefined;
    return offset === row.start ? row.bytes : row.bytes.subarray(offset - row.start);
  }

  readAll(hash: string, kind: BlobKind): Buffer | undefined {
    const parts = (this.allParts.all(hash, kind) as Array<{ bytes: Buffer }>).map((r) => r.bytes);
    return parts.length === 0 ? undefined : Buffer.concat(parts);
  }

  /**
   * `readAll` a part at a time with `pause()` awaited between parts, into one buffer sized up
   * front (re-indexing read a 27 MB source and joined its parts in one stretch: 0.1-0.3 s here).
   * Undefined when the blob is not stored, or was dropped meanwhile (its document replaced).
   */
  async readAllInSlices(hash: string, kind: BlobKind, pause: () => Promise<void>): Promise<Buffer | undefined> {
    const size = this.size(hash, kind);
    if (size === undefined) return undefined;
    const out = Buffer.allocUnsafe(size);
    for (let at = 0; at < size; ) {
      const part = this.readFrom(hash, kind, at);
      if (!part) return undefined;
      at += part.copy(out, at);
      await pause();
    }
    return out;
  }

  /** Writes `bytes` as parts unless that blob is already stored (same hash: same bytes). Call inside a transaction. */
  write(hash: string, kind: BlobKind, bytes: Uint8Array): void {
    if (this.exists.get(hash, kind)) return;
    // An empty blob is one empty part, so "stored" and "missing" stay apart.
    for (let start = 0; start === 0 || start < bytes.length; start += blobPartBytes) {
      const end = Math.min(bytes.length, start + blobPartBytes);
      this.insert.run(hash, kind, start, Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start));
    }
  }

  /**
   * `write` awaiting `pause()` between parts, inside the caller's open transaction: a 27 MB PDF's
   * 432 parts in one call held the event loop for 0.1-0.3 s here.
   */
  async writeInSlices(hash: string, kind: BlobKind, bytes: Uint8Array, pause: () => Promise<void>): Promise<void> {
    if (this.exists.get(hash, kind)) return;
    for (let start = 0; start === 0 || start < bytes.length; start += blobPartBytes) {
      const end = Math.min(bytes.length, start + blobPartBytes);
      this.insert.run(hash, kind, start, Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start));
      await pause();
    }
  }

  putDerived(hash: string, kind: BlobKind, bytes: Uint8Array): boolean {
    return this.db
      .transaction((): boolean => {
        if (!this.held.get(hash)) return false;
        this.write(hash, kind, bytes);
        return true;
      })
      .immediate();
  }
}
