import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SqlBlobStore, SqliteBlobWriter, type BlobStore } from './blob-parts.js';
import { SqlCollectionStore, type CollectionStore } from './collection-store.js';
import { SqlCollectionMetadataStore, type CollectionMetadataStore } from './collection-metadata.js';
import { SqlSharingStore, type SharingStore } from './sharing-store.js';
import { slugOfCollection } from './collection-ids.js';
import { SqlConversationStore, type ConversationStore } from './conversation-store.js';
import { LearnerConversationStore } from './learner-conversation-store.js';
import { migrations } from './migrations.js';
import { SqlSiteKeyStore, type SiteKeyStore } from './site-key-store.js';
import { SqlFollowerStore, type FollowerStore } from './follower-store.js';
import { SpaceReserve } from './space-reserve.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { isDiskFull } from './store-error.js';
import { SqliteDb } from './sql/sqlite-db.js';
import type { SqlDb } from './sql/sql-db.js';
import type {
  ChunkChange,
  ChunkDelta,
  ChunkRecord,
  Clock,
  DocumentRecord,
  NewChunk,
  RemovedChunk,
  StoredChunk,
  TrogiangStore,
} from './store-types.js';

export interface SqliteStoreOptions {
  /** Time source for the repositories' timestamps (tests inject a fixed clock). */
  now?: Clock;
}

import { toChunk, toChunkRecord, toDocument, type ChunkRow, type DocumentRow } from './store-rows.js';

/**
 * A sliced document write of at least this many bytes (source and chunks) leaves its WAL
 * checkpoint to the checkpointer's thread; smaller ones leave it to SQLite's automatic one
 * (after a few KB it is quick, and no worker is started for them).
 */
const checkpointOffThreadFrom = 1 << 20;
/** SQLite's default `wal_autocheckpoint` (pages), restored once the checkpointer is done. */
const autoCheckpointPages = 1000;

/** fsync of a file on libuv's thread pool; a missing file has nothing to sync. */
async function fsyncAsync(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const documentColumns = 'id, collection, title, file_name, format, content_hash, bytes, pages, chunk_count, created_at, updated_at';

/** A document's row, written by both replaceDocument and replaceDocumentInSlices (its bytes go in parts, the column stays empty). */
const upsertDocumentSql = `INSERT INTO documents (${documentColumns}, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET collection = excluded.collection, title = excluded.title,
    file_name = excluded.file_name, format = excluded.format, content_hash = excluded.content_hash,
    bytes = excluded.bytes, pages = excluded.pages, chunk_count = excluded.chunk_count,
    source = excluded.source, updated_at = excluded.updated_at`;

const documentValues = (doc: DocumentRecord, chunkCount: number) =>
  [
    doc.id,
    doc.collection,
    doc.title,
    doc.fileName,
    doc.format,
    doc.contentHash,
    doc.bytes,
    doc.pages,
    chunkCount,
    doc.createdAt,
    doc.updatedAt,
    Buffer.alloc(0),
  ] as const;

const insertChunkSql = `INSERT INTO chunks (id, document_id, ordinal, collection, title, heading_path, page_start, page_end, lang, text, vector, folded_terms)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const chunkValues = (c: NewChunk) =>
  [
    c.id,
    c.documentId,
    c.ordinal,
    c.collection,
    c.title,
    JSON.stringify(c.headingPath),
    c.pageStart,
    c.pageEnd,
    c.lang,
    c.text,
    Buffer.from(c.vector.buffer, c.vector.byteOffset, c.vector.byteLength),
    c.foldedTerms ?? null,
  ] as const;

/**
 * The SQLite store (better-sqlite3, WAL, foreign keys on). Opening applies pending migrations.
 * The repositories share its connection, so a write is one transaction across them.
 */
export class SqliteStore implements TrogiangStore {
  readonly kind = 'sqlite' as const;
  readonly db: Database.Database;
  readonly sql: SqlDb;
  readonly conversations: ConversationStore;
  readonly learnerConversations: LearnerConversationStore;
  readonly siteKeys: SiteKeyStore;
  readonly collections: CollectionStore;
  readonly collectionMetadata: CollectionMetadataStore;
  readonly sharing: SharingStore;
  readonly blobs: BlobStore;
  /** The synchronous writer of parts for this store's own document transactions. */
  private readonly parts: SqliteBlobWriter;
  /** Processes following the change log (several processes on one data folder). */
  readonly followers: FollowerStore;
  /** Room kept back so a deletion works on a full disk (none for an in-memory store). */
  readonly reserve: SpaceReserve | undefined;
  /** Checkpoints after large sliced writes (none for an in-memory store). */
  private readonly checkpointer: WalCheckpointer | undefined;
  /** Checkpoints handed to the checkpointer and not finished; automatic ones are off meanwhile. */
  private checkpointsOffThread = 0;
  /** Settles when the last checkpoint handed off has finished (tests wait on it). */
  checkpointed: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.sql = new SqliteDb(this.db);
    const now = options.now ?? (() => new Date());
    this.conversations = new SqlConversationStore(this.sql, now);
    this.learnerConversations = new LearnerConversationStore(this.sql, now);
    this.siteKeys = new SqlSiteKeyStore(this.sql, now);
    this.collections = new SqlCollectionStore(this.sql, now);
    this.collectionMetadata = new SqlCollectionMetadataStore(this.sql);
    this.sharing = new SqlSharingStore(this.sql, now);
    this.blobs = new SqlBlobStore(this.sql);
    this.parts = new SqliteBlobWriter(this.db);
    this.followers = new SqlFollowerStore(this.sql, {
      nowMs: () => now().getTime(),
      withoutWaiting: (write) => this.withoutWaiting(write),
    });
    this.reserve = path === ':memory:' ? undefined : new SpaceReserve(join(dirname(path), 'space-reserve'));
    this.checkpointer = path === ':memory:' ? undefined : new WalCheckpointer(path);
    this.reserve?.restore();
    this.moveSourcesIntoParts();
  }

  /**
   * Moves sources stored before schema 4 from `documents.source` into parts, one document per
   * transaction (a crash keeps what was moved; the rest moves on the next open), each read once:
   * linear in their size. Until a source is moved, `getDocumentSource` and /docs read the column.
   * On a full disk the rest waits for a later open.
   */
  private moveSourcesIntoParts(): void {
    const pending = this.db.prepare('SELECT id, content_hash AS hash FROM documents WHERE length(source) > 0').all() as Array<{
      id: string;
      hash: string;
    }>;
    const read = this.db.prepare('SELECT source FROM documents WHERE id = ?');
    const empty = this.db.prepare("UPDATE documents SET source = x'' WHERE id = ?");
    for (const { id, hash } of pending) {
      try {
        this.db.transaction(() => {
          this.parts.write(hash, 'source', (read.get(id) as { source: Buffer }).source);
          empty.run(id);
        })();
      } catch (error) {
        if (isDiskFull(error)) return;
        throw error;
      }
    }
  }

  /**
   * Runs `write` with `busy_timeout` 0, so a statement it makes at once (SqliteDb runs statements
   * synchronously when no transaction of its own is open) fails with SQLITE_BUSY instead of
   * waiting for another process's write lock (a follower's heartbeat).
   */
  private async withoutWaiting<T>(write: () => Promise<T>): Promise<T> {
    const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    let pending: Promise<T>;
    try {
      pending = write();
    } finally {
      this.db.pragma(`busy_timeout = ${busyTimeout}`);
    }
    return pending;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > migrations.length) {
      throw new Error(`the data folder was written by a newer trogiang (schema ${version} > ${migrations.length})`);
    }
    // Unsafe mode lets a migration widen a CHECK constraint through `writable_schema` (SQLite's
    // documented way; better-sqlite3's defensive mode refuses it); the schema_version bump after
    // such an edit makes every connection re-read the schema.
    this.db.unsafeMode(true);
    try {
      for (let i = version; i < migrations.length; i++) {
        this.db.transaction(() => {
          this.db.exec(migrations[i]!);
          if (migrations[i]!.includes('writable_schema'))
            this.db.pragma(`schema_version = ${(this.db.pragma('schema_version', { simple: true }) as number) + 1}`);
          this.db.pragma(`user_version = ${i + 1}`);
        })();
      }
    } finally {
      this.db.unsafeMode(false);
    }
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    return this.documentNow(id);
  }

  private documentNow(id: string): DocumentRecord | undefined {
    const row = this.db.prepare(`SELECT ${documentColumns} FROM documents WHERE id = ?`).get(id) as DocumentRow | undefined;
    return row && toDocument(row);
  }

  async getDocumentSource(id: string): Promise<Buffer | undefined> {
    const row = this.db.prepare('SELECT content_hash AS hash, source FROM documents WHERE id = ?').get(id) as
      | { hash: string; source: Buffer }
      | undefined;
    if (!row) return undefined;
    // Since schema 4 the bytes are in parts; the column is empty (kept for older readers' schema).
    return row.source.length > 0 ? row.source : this.blobs.readAll(row.hash, 'source');
  }

  async getDocumentSourceInSlices(id: string, pause: () => Promise<void>): Promise<Buffer | undefined> {
    const row = this.db.prepare('SELECT content_hash AS hash, source FROM documents WHERE id = ?').get(id) as
      | { hash: string; source: Buffer }
      | undefined;
    if (!row) return undefined;
    return row.source.length > 0 ? row.source : this.blobs.readAllInSlices(row.hash, 'source', pause);
  }

  async listDocuments(collection?: string): Promise<DocumentRecord[]> {
    const rows = (
      collection === undefined
        ? this.db.prepare(`SELECT ${documentColumns} FROM documents ORDER BY collection, title`).all()
        : this.db.prepare(`SELECT ${documentColumns} FROM documents WHERE collection = ? ORDER BY title`).all(collection)
    ) as DocumentRow[];
    return rows.map(toDocument);
  }

  private removeChunksOf(documentId: string): StoredChunk[] {
    const removed = this.chunksOfDocumentNow(documentId);
    this.db.prepare('DELETE FROM chunks WHERE document_id = ?').run(documentId);
    const log = this.db.prepare("INSERT INTO chunk_changes (op, seq, removed) VALUES ('remove', ?, ?)");
    for (const c of removed) {
      log.run(c.seq, JSON.stringify({ title: c.title, headingPath: c.headingPath, text: c.text, collection: c.collection }));
    }
    return removed;
  }

  /**
   * Runs a document write with `synchronous = FULL`: in WAL mode the default NORMAL does not sync
   * at commit, so a power cut could roll back an upload (or a deletion) the teacher was told had
   * succeeded, behind index files that were already fsynced. One fsync per document write costs
   * little beside parsing it; conversation writes (one per answer) stay NORMAL.
   */
  private durably<T>(write: () => T): T {
    // Inside `replaceDocumentInSlices`' transaction (a deletion arriving between its slices):
    // SQLite refuses to change the level inside a transaction, and that write fsyncs the WAL
    // after its COMMIT, this deletion included.
    if (this.db.inTransaction) return write();
    this.db.pragma('synchronous = FULL');
    try {
      return write();
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  /**
   * `replaceDocument` with the same statements in the same order (so the same rows, sequence
   * numbers and change log), awaiting `pause()` between rows: one transaction held open across
   * the pauses, so a crash or a failure still leaves the old document or the new one, never half.
   * At 8,000 chunks (a 10 MB upload) the single call held the event loop for 0.7-1.7 s.
   *
   * Other writes made on this connection during a pause (a learner's question logged, a deletion)
   * run inside this transaction, as savepoints: committed with it, or rolled back with it when it
   * fails (a full disk, which they would likely hit as well). `pause` must not start another
   * `replaceDocumentInSlices` (the engine's writer queue runs one at a time).
   *
   * The `COMMIT` itself is kept short (it cannot be sliced): it runs at `synchronous = NORMAL`
   * and the WAL is fsynced on the thread pool before this resolves, so the write is as durable
   * when the caller hears of it as with FULL (which fsynced inside the COMMIT, 70-100 ms here at
   * 8,306 chunks); and a large write's checkpoint goes to the checkpointer's thread instead of
   * running inside the COMMIT (0.1-0.3 s). Atomicity is SQLite's either way: a crash before the
   * commit record is in the WAL leaves the old document.
   */
  async replaceDocumentInSlices(
    doc: DocumentRecord,
    source: Uint8Array,
    chunks: NewChunk[],
    pause: () => Promise<void>,
  ): Promise<ChunkDelta> {
    if (this.db.inTransaction) throw new Error('replaceDocumentInSlices: a transaction is already open');
    const bytes = source.length + chunks.reduce((n, c) => n + c.text.length + c.vector.byteLength, 0);
    const checkpointOffThread = this.checkpointer !== undefined && bytes >= checkpointOffThreadFrom;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.db
        .prepare('INSERT OR IGNORE INTO collections (id, name, created_at) VALUES (?, ?, ?)')
        .run(doc.collection, slugOfCollection(doc.collection), doc.createdAt);
      // removeChunksOf, a page of rows at a time (a statement cannot stay open across a pause).
      const removed: StoredChunk[] = [];
      const page = this.db.prepare('SELECT * FROM chunks WHERE document_id = ? AND ordinal > ? ORDER BY ordinal LIMIT 256');
      for (
        let rows = page.all(doc.id, -Infinity) as ChunkRow[];
        rows.length > 0;
        rows = page.all(doc.id, rows[rows.length - 1]!.ordinal) as ChunkRow[]
      ) {
        for (const row of rows) removed.push(toChunk(row));
        await pause();
      }
      const deleteOne = this.db.prepare('DELETE FROM chunks WHERE seq = ?');
      for (const c of removed) {
        deleteOne.run(c.seq);
        await pause();
      }
      const logRemove = this.db.prepare("INSERT INTO chunk_changes (op, seq, removed) VALUES ('remove', ?, ?)");
      for (const c of removed) {
        logRemove.run(c.seq, JSON.stringify({ title: c.title, headingPath: c.headingPath, text: c.text, collection: c.collection }));
        await pause();
      }
      // As in replaceDocument: the bytes go in parts (streamed by /docs), the row's column stays empty.
      await this.parts.writeInSlices(doc.contentHash, 'source', source, pause);
      this.db.prepare(upsertDocumentSql).run(...documentValues(doc, chunks.length));
      const insert = this.db.prepare(insertChunkSql);
      const logAdd = this.db.prepare("INSERT INTO chunk_changes (op, seq) VALUES ('add', ?)");
      const added: number[] = [];
      for (const c of chunks) {
        await pause();
        const info = insert.run(...chunkValues(c));
        const seq = Number(info.lastInsertRowid);
        logAdd.run(seq);
        added.push(seq);
      }
      // Off until the checkpointer is done, so no later commit on this thread checkpoints these pages.
      if (checkpointOffThread) this.db.pragma('wal_autocheckpoint = 0');
      this.db.exec('COMMIT');
      if (checkpointOffThread) this.checkpointOffThread();
      await fsyncAsync(`${this.path}-wal`);
      return { added, removed };
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      if (checkpointOffThread && this.checkpointsOffThread === 0) this.db.pragma(`wal_autocheckpoint = ${autoCheckpointPages}`);
      throw error;
    }
  }

  /**
   * Hands the WAL's checkpoint to the checkpointer; SQLite's automatic checkpoints on this
   * connection resume once every checkpoint handed off has finished (or failed: the next commit
   * here then checkpoints, as before).
   */
  private checkpointOffThread(): void {
    this.checkpointsOffThread++;
    const done = this.checkpointer!.checkpoint().then(() => {
      if (--this.checkpointsOffThread === 0 && this.db.open) this.db.pragma(`wal_autocheckpoint = ${autoCheckpointPages}`);
    });
    this.checkpointed = Promise.all([this.checkpointed, done]).then(() => undefined);
  }

  async replaceDocument(doc: DocumentRecord, source: Uint8Array, chunks: NewChunk[]): Promise<ChunkDelta> {
    return this.durably(() =>
      this.db
        .transaction((): ChunkDelta => {
          this.db
            .prepare('INSERT OR IGNORE INTO collections (id, name, created_at) VALUES (?, ?, ?)')
            .run(doc.collection, slugOfCollection(doc.collection), doc.createdAt);
          const removed = this.removeChunksOf(doc.id);
          // The bytes go in parts (streamed by /docs) before the row points at them; the old version's
          // parts are dropped by a trigger when no document holds its hash any more.
          this.parts.write(doc.contentHash, 'source', source);
          this.db.prepare(upsertDocumentSql).run(...documentValues(doc, chunks.length));
          const insert = this.db.prepare(insertChunkSql);
          const log = this.db.prepare("INSERT INTO chunk_changes (op, seq) VALUES ('add', ?)");
          const added: number[] = [];
          for (const c of chunks) {
            const info = insert.run(...chunkValues(c));
            const seq = Number(info.lastInsertRowid);
            log.run(seq);
            added.push(seq);
          }
          return { added, removed };
        })
        .immediate(),
    );
  }

  /**
   * Deletes a document; on a full disk, gives up the space reserve and tries once more, so a
   * teacher can still make room through the API (it answered 507 before). The freed pages are
   * reused by the next writes; the reserve is written again when there is room.
   */
  async removeDocument(id: string): Promise<ChunkDelta | undefined> {
    try {
      const delta = this.removeDocumentOnce(id);
      if (delta && this.reserve && !this.reserve.held()) this.reserve.restore();
      return delta;
    } catch (error) {
      if (!isDiskFull(error) || !this.reserve?.release()) throw error;
      const delta = this.removeDocumentOnce(id);
      try {
        // The WAL holds the deletion: fold it into the database (whose pages it only changes) and
        // give the WAL's blocks back. The reserve is written again once the disk has room to spare.
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // a reader holding the WAL: the next checkpoint does it
      }
      return delta;
    }
  }

  private removeDocumentOnce(id: string): ChunkDelta | undefined {
    return this.durably(() =>
      this.db
        .transaction((): ChunkDelta | undefined => {
          if (!this.documentNow(id)) return undefined;
          const removed = this.removeChunksOf(id);
          this.db.prepare('DELETE FROM documents WHERE id = ?').run(id);
          return { added: [], removed };
        })
        .immediate(),
    );
  }

  async getChunks(seqs: readonly number[]): Promise<ChunkRecord[]> {
    if (seqs.length === 0) return [];
    // One prepared statement for any number of ids: the ids travel as a JSON array.
    this.chunksBySeq ??= this.db.prepare(
      `SELECT seq, id, document_id, ordinal, collection, title, heading_path, page_start, page_end, lang, text, folded_terms
       FROM chunks WHERE seq IN (SELECT value FROM json_each(?))`,
    );
    const rows = this.chunksBySeq.all(JSON.stringify(seqs)) as Array<Omit<ChunkRow, 'vector'>>;
    const order = new Map(seqs.map((s, i) => [s, i]));
    return rows.map(toChunkRecord).sort((a, b) => order.get(a.seq)! - order.get(b.seq)!);
  }

  private chunksBySeq: Database.Statement | undefined;

  async getChunk(seq: number): Promise<StoredChunk | undefined> {
    const row = this.db.prepare('SELECT * FROM chunks WHERE seq = ?').get(seq) as ChunkRow | undefined;
    return row && toChunk(row);
  }

  async chunksOfDocument(documentId: string): Promise<StoredChunk[]> {
    return this.chunksOfDocumentNow(documentId);
  }

  private chunksOfDocumentNow(documentId: string): StoredChunk[] {
    const rows = this.db.prepare('SELECT * FROM chunks WHERE document_id = ? ORDER BY ordinal').all(documentId) as ChunkRow[];
    return rows.map(toChunk);
  }

  async chunksAfter(afterSeq: number, limit: number): Promise<StoredChunk[]> {
    this.chunksPage ??= this.db.prepare('SELECT * FROM chunks WHERE seq > ? ORDER BY seq LIMIT ?');
    return (this.chunksPage.all(afterSeq, limit) as ChunkRow[]).map(toChunk);
  }

  private chunksPage: Database.Statement | undefined;

  async countChunks(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  }

  async chunksWithoutFoldedTerms(limit: number): Promise<ChunkRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT seq, id, document_id, ordinal, collection, title, heading_path, page_start, page_end, lang, text
         FROM chunks WHERE folded_terms IS NULL ORDER BY seq LIMIT ?`,
      )
      .all(limit) as Array<Omit<ChunkRow, 'vector'>>;
    return rows.map(toChunkRecord);
  }

  async setFoldedTerms(entries: ReadonlyArray<readonly [seq: number, foldedTerms: string]>): Promise<void> {
    const update = this.db.prepare('UPDATE chunks SET folded_terms = ? WHERE seq = ?');
    this.db.transaction(() => {
      for (const [seq, terms] of entries) update.run(terms, seq);
    })();
  }

  async recountChunks(): Promise<number> {
    return this.db
      .prepare(
        'UPDATE documents SET chunk_count = (SELECT count(*) FROM chunks WHERE chunks.document_id = documents.id) WHERE chunk_count != (SELECT count(*) FROM chunks WHERE chunks.document_id = documents.id)',
      )
      .run().changes;
  }

  async listCollections(): Promise<Array<{ id: string; documents: number }>> {
    return this.db
      .prepare(
        'SELECT c.id AS id, count(d.id) AS documents FROM collections c LEFT JOIN documents d ON d.collection = c.id GROUP BY c.id ORDER BY c.id',
      )
      .all() as Array<{ id: string; documents: number }>;
  }

  async generation(): Promise<number> {
    return this.generationNow();
  }

  private generationNow(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'chunk_changes'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  async changesSince(generation: number): Promise<ChunkChange[] | undefined> {
    // One read transaction: the check that the log reaches back and the rows come from the same
    // snapshot, so a trim by the writer in between cannot leave a silent gap (a follower process).
    return this.db.transaction(() => this.changesSinceNow(generation))();
  }

  private changesSinceNow(generation: number): ChunkChange[] | undefined {
    const oldest = this.db.prepare('SELECT min(generation) AS g FROM chunk_changes').get() as { g: number | null };
    const latest = this.generationNow();
    if (generation > latest) return undefined; // indexes newer than the store: rebuild
    if (generation < latest && (oldest.g === null || oldest.g > generation + 1)) return undefined;
    const rows = this.db
      .prepare('SELECT generation, op, seq, removed FROM chunk_changes WHERE generation > ? ORDER BY generation')
      .all(generation) as Array<{ generation: number; op: 'add' | 'remove'; seq: number; removed: string | null }>;
    return rows.map((r) => ({
      generation: r.generation,
      op: r.op,
      seq: r.seq,
      ...(r.removed ? { removed: JSON.parse(r.removed) as RemovedChunk } : {}),
    }));
  }

  async trimChanges(generation: number): Promise<void> {
    // Never past what a live follower process still has to apply (issue 20 item 5).
    const needed = await this.followers.oldestNeeded();
    const upTo = needed === undefined ? generation : Math.min(generation, needed);
    // Keep the latest entry so the log always shows where it starts.
    this.db.prepare('DELETE FROM chunk_changes WHERE generation <= ? AND generation < ?').run(upTo, this.generationNow());
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  /** Closes at once (a process exit handler cannot wait). */
  closeNow(): void {
    this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}
