import type Database from 'better-sqlite3';
import type { SqlDb } from './sql/sql-db.js';

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
  size(hash: string, kind: BlobKind): Promise<number | undefined>;
  /**
   * The stored bytes from `offset` to the end of the part holding it (at most `blobPartBytes`);
   * undefined when the blob is gone or `offset` is past its end. A reader that gets undefined
   * mid-way knows the document was replaced or deleted under it.
   */
  readFrom(hash: string, kind: BlobKind, offset: number): Promise<Buffer | undefined>;
  /** A whole blob in one buffer (re-reading a source for reindexing); undefined when not stored. */
  readAll(hash: string, kind: BlobKind): Promise<Buffer | undefined>;
  /**
   * `readAll` a part at a time with `pause()` awaited between parts, into one buffer sized up
   * front. Undefined when the blob is not stored, or was dropped meanwhile (its document replaced).
   */
  readAllInSlices(hash: string, kind: BlobKind, pause: () => Promise<void>): Promise<Buffer | undefined>;
  /**
   * Stores a derived blob (a rendered page) while a document still holds `hash`; false when none
   * does (deleted meanwhile), so nothing is left behind that no trigger would drop.
   */
  putDerived(hash: string, kind: BlobKind, bytes: Uint8Array): Promise<boolean>;
}

/** The part of `bytes` starting at `start` (a view, no copy). */
const partOf = (bytes: Uint8Array, start: number): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(bytes.length, start + blobPartBytes) - start);

/** Start offsets of the parts of `length` bytes: an empty blob is one empty part, so "stored" and "missing" stay apart. */
function* partStarts(length: number): Generator<number> {
  for (let start = 0; start === 0 || start < length; start += blobPartBytes) yield start;
}

/** `BlobStore` over the store's `SqlDb`: the same statements on SQLite and PostgreSQL. */
export class SqlBlobStore implements BlobStore {
  constructor(private readonly sql: SqlDb) {}

  async size(hash: string, kind: BlobKind): Promise<number | undefined> {
    const row = await this.sql.get<{ n: number; size: number | null }>(
      'SELECT count(*) AS n, sum(length(bytes)) AS size FROM blob_parts WHERE hash = ? AND kind = ?',
      [hash, kind],
    );
    return row && row.n > 0 ? Number(row.size ?? 0) : undefined;
  }

  async readFrom(hash: string, kind: BlobKind, offset: number): Promise<Buffer | undefined> {
    const row = await this.sql.get<{ start: number; bytes: Buffer }>(
      'SELECT start, bytes FROM blob_parts WHERE hash = ? AND kind = ? AND start <= ? ORDER BY start DESC LIMIT 1',
      [hash, kind, offset],
    );
    if (!row || offset >= row.start + row.bytes.length) return undefined;
    return offset === row.start ? row.bytes : row.bytes.subarray(offset - row.start);
  }

  async readAll(hash: string, kind: BlobKind): Promise<Buffer | undefined> {
    const rows = await this.sql.all<{ bytes: Buffer }>('SELECT bytes FROM blob_parts WHERE hash = ? AND kind = ? ORDER BY start', [
      hash,
      kind,
    ]);
    return rows.length === 0 ? undefined : Buffer.concat(rows.map((r) => r.bytes));
  }

  async readAllInSlices(hash: string, kind: BlobKind, pause: () => Promise<void>): Promise<Buffer | undefined> {
    // Re-indexing read a 27 MB source and joined its parts in one stretch: 0.1-0.3 s here.
    const size = await this.size(hash, kind);
    if (size === undefined) return undefined;
    const out = Buffer.allocUnsafe(size);
    for (let at = 0; at < size; ) {
      const part = await this.readFrom(hash, kind, at);
      if (!part) return undefined;
      at += part.copy(out, at);
      await pause();
    }
    return out;
  }

  putDerived(hash: string, kind: BlobKind, bytes: Uint8Array): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 FROM documents WHERE content_hash = ? LIMIT 1', [hash]))) return false;
      if (await tx.get('SELECT 1 FROM blob_parts WHERE hash = ? AND kind = ? AND start = 0', [hash, kind])) return true;
      for (const start of partStarts(bytes.length)) {
        await tx.run('INSERT INTO blob_parts (hash, kind, start, bytes) VALUES (?, ?, ?, ?)', [hash, kind, start, partOf(bytes, start)]);
      }
      return true;
    });
  }
}

/**
 * SQLite's synchronous writer of parts, for `SqliteStore`'s own document transactions (opened
 * on its connection, not through `SqlDb`). Call inside such a transaction.
 */
export class SqliteBlobWriter {
  private readonly exists: Database.Statement;
  private readonly insert: Database.Statement;

  constructor(db: Database.Database) {
    this.exists = db.prepare('SELECT 1 FROM blob_parts WHERE hash = ? AND kind = ? AND start = 0');
    this.insert = db.prepare('INSERT INTO blob_parts (hash, kind, start, bytes) VALUES (?, ?, ?, ?)');
  }

  /** Writes `bytes` as parts unless that blob is already stored (same hash: same bytes). */
  write(hash: string, kind: BlobKind, bytes: Uint8Array): void {
    if (this.exists.get(hash, kind)) return;
    for (const start of partStarts(bytes.length)) this.insert.run(hash, kind, start, partOf(bytes, start));
  }

  /** `write` awaiting `pause()` between parts: a 27 MB PDF's 432 parts in one call held the event loop for 0.1-0.3 s here. */
  async writeInSlices(hash: string, kind: BlobKind, bytes: Uint8Array, pause: () => Promise<void>): Promise<void> {
    if (this.exists.get(hash, kind)) return;
    for (const start of partStarts(bytes.length)) {
      this.insert.run(hash, kind, start, partOf(bytes, start));
      await pause();
    }
  }
}
