import { blobPartBytes, SqlBlobStore, type BlobStore } from '../blob-parts.js';
import { SqlFollowerStore, type FollowerStore } from '../follower-store.js';
import { slugOfCollection } from '../collection-ids.js';
import { SqlCollectionMetadataStore, type CollectionMetadataStore } from '../collection-metadata.js';
import { SqlCollectionStore, type CollectionStore } from '../collection-store.js';
import { SqlSharingStore, type SharingStore } from '../sharing-store.js';
import { SqlSiteKeyStore, type SiteKeyStore } from '../site-key-store.js';
import { openPostgresPool, PostgresDb, type PostgresPoolOptions, type SqlDb } from '../sql/index.js';
import type {
  ChunkChange,
  Clock,
  ChunkDelta,
  ChunkRecord,
  DocumentRecord,
  NewChunk,
  RemovedChunk,
  Store,
  StoredChunk,
  TrogiangStore,
} from '../store-types.js';
import { changesChannel } from './changes-channel.js';
import { migratePostgres } from './migrate-postgres.js';
import { SqlConversationStore, type ConversationStore } from '../conversation-store.js';
import { LearnerConversationStore } from '../learner-conversation-store.js';

import { toChunk, toChunkRecord, toDocument, type ChunkRow, type DocumentRow } from '../store-rows.js';

const recordColumns = 'seq, id, document_id, ordinal, collection, title, heading_path, page_start, page_end, lang, text, folded_terms';
const chunkColumns = `${recordColumns}, vector`;
const documentColumns = 'id, collection, title, file_name, format, content_hash, bytes, pages, chunk_count, created_at, updated_at';
/** Rows per multi-row INSERT (12 parameters each, far below PostgreSQL's 65,535). */
const insertBatch = 500;

const removedOf = (c: StoredChunk): string =>
  JSON.stringify({ title: c.title, headingPath: c.headingPath, text: c.text, collection: c.collection });

/** `(?, ?, …), (?, ?, …)` for `rows` rows of `columns` values. */
const valuesList = (rows: number, columns: number): string => {
  const one = `(${Array(columns).fill('?').join(', ')})`;
  return Array(rows).fill(one).join(', ');
};

/** Options of `PostgresStore.open`. */
export type PostgresStoreOptions = PostgresPoolOptions & {
  /** The clock of the repositories (tests move it); default the system clock. */
  now?: Clock;
};

/**
 * The PostgreSQL store (`DATABASE_URL=postgres://…`): the same contract as `SqliteStore`, for
 * several processes sharing one system of record. Opening applies pending migrations
 * (src/store/postgres/postgres-migrations.ts). A write of chunks is one transaction on one pooled
 * connection that locks the change log's counter first, so writes of chunks are serialised across
 * every process and each sees the generations in commit order.
 */
export class PostgresStore implements TrogiangStore {
  readonly kind = 'postgres' as const;
  readonly conversations: ConversationStore;
  readonly learnerConversations: LearnerConversationStore;
  /** Stored bytes in parts (`blob_parts`), streamed by `GET /docs/:id`. */
  readonly blobs: BlobStore;
  /** Processes following the change log; `trimChanges` keeps what the oldest live one needs. */
  readonly followers: FollowerStore;
  readonly siteKeys: SiteKeyStore;
  readonly collections: CollectionStore;
  readonly collectionMetadata: CollectionMetadataStore;
  readonly sharing: SharingStore;

  private constructor(
    readonly db: PostgresDb,
    readonly now: Clock,
  ) {
    this.conversations = new SqlConversationStore(db, now);
    this.learnerConversations = new LearnerConversationStore(db, now);
    this.blobs = new SqlBlobStore(db);
    this.followers = new SqlFollowerStore(db, { nowMs: () => now().getTime() });
    this.siteKeys = new SqlSiteKeyStore(db, now);
    this.collections = new SqlCollectionStore(db, now);
    this.collectionMetadata = new SqlCollectionMetadataStore(db);
    this.sharing = new SqlSharingStore(db, now);
  }

  /** The pool as the repositories' `SqlDb` (see `TrogiangStore.sql`). */
  get sql(): SqlDb {
    return this.db;
  }

  /** Connects, migrates and returns the store; the pool is closed again when migrating fails. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = openPostgresPool(url, options);
    try {
      if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      await migratePostgres(pool);
      return new PostgresStore(new PostgresDb(pool), options.now ?? (() => new Date()));
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    const row = await this.db.get<DocumentRow>(`SELECT ${documentColumns} FROM documents WHERE id = ?`, [id]);
    return row && toDocument(row);
  }

  async getDocumentSource(id: string): Promise<Buffer | undefined> {
    return this.getDocumentSourceInSlices(id, async () => {});
  }

  async getDocumentSourceInSlices(id: string, pause: () => Promise<void>): Promise<Buffer | undefined> {
    const row = await this.db.get<{ hash: string }>('SELECT content_hash AS hash FROM documents WHERE id = ?', [id]);
    if (!row) return undefined;
    const parts: Buffer[] = [];
    // A part at a time: one part in flight, as SQLite's reader (a 50 MB source is 800 parts).
    for (let at = 0; ; ) {
      const part = await this.db.get<{ start: number; bytes: Buffer }>(
        "SELECT start, bytes FROM blob_parts WHERE hash = ? AND kind = 'source' AND start >= ? ORDER BY start LIMIT 1",
        [row.hash, at],
      );
      if (!part) break;
      parts.push(part.bytes);
      at = part.start + Math.max(1, part.bytes.length);
      await pause();
    }
    return parts.length === 0 ? undefined : Buffer.concat(parts);
  }

  async listDocuments(collection?: string): Promise<DocumentRecord[]> {
    const rows =
      collection === undefined
        ? await this.db.all<DocumentRow>(`SELECT ${documentColumns} FROM documents ORDER BY collection COLLATE "C", title COLLATE "C"`)
        : await this.db.all<DocumentRow>(`SELECT ${documentColumns} FROM documents WHERE collection = ? ORDER BY title COLLATE "C"`, [
            collection,
          ]);
    return rows.map(toDocument);
  }

  replaceDocument(doc: DocumentRecord, source: Uint8Array, chunks: NewChunk[]): Promise<ChunkDelta> {
    return this.replaceDocumentInSlices(doc, source, chunks, async () => {});
  }

  /** The same transaction as `replaceDocument`, with `pause()` awaited between batches of rows. */
  replaceDocumentInSlices(doc: DocumentRecord, source: Uint8Array, chunks: NewChunk[], pause: () => Promise<void>): Promise<ChunkDelta> {
    return this.db.transaction(async (tx) => {
      const log = await ChangeLog.lock(tx);
      await tx.run('INSERT INTO collections (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING', [
        doc.collection,
        slugOfCollection(doc.collection),
        doc.createdAt,
      ]);
      const removed = await this.removeChunksOf(tx, log, doc.id);
      await writeParts(tx, doc.contentHash, source, pause);
      await tx.run(
        `INSERT INTO documents (${documentColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET collection = excluded.collection, title = excluded.title,
           file_name = excluded.file_name, format = excluded.format, content_hash = excluded.content_hash,
           bytes = excluded.bytes, pages = excluded.pages, chunk_count = excluded.chunk_count, updated_at = excluded.updated_at`,
        [
          doc.id,
          doc.collection,
          doc.title,
          doc.fileName,
          doc.format,
          doc.contentHash,
          doc.bytes,
          doc.pages,
          chunks.length,
          doc.createdAt,
          doc.updatedAt,
        ],
      );
      const added: number[] = [];
      for (let i = 0; i < chunks.length; i += insertBatch) {
        const batch = chunks.slice(i, i + insertBatch);
        const rows = await tx.all<{ seq: number; id: string }>(
          `INSERT INTO chunks (id, document_id, ordinal, collection, title, heading_path, page_start, page_end, lang, text, vector, folded_terms)
           VALUES ${valuesList(batch.length, 12)} RETURNING seq, id`,
          batch.flatMap((c) => [
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
          ]),
        );
        // RETURNING's order is not promised: match by chunk id, so `added` follows `chunks`.
        const seqOf = new Map(rows.map((r) => [r.id, r.seq]));
        const seqs = batch.map((c) => seqOf.get(c.id)!);
        await log.append(
          tx,
          seqs.map((seq) => ({ op: 'add', seq })),
        );
        added.push(...seqs);
        await pause();
      }
      await log.save(tx);
      return { added, removed };
    });
  }

  private async removeChunksOf(tx: SqlDb, log: ChangeLog, documentId: string): Promise<StoredChunk[]> {
    const removed = (await tx.all<ChunkRow>(`SELECT ${chunkColumns} FROM chunks WHERE document_id = ? ORDER BY ordinal`, [documentId])).map(
      toChunk,
    );
    await tx.run('DELETE FROM chunks WHERE document_id = ?', [documentId]);
    await log.append(
      tx,
      removed.map((c) => ({ op: 'remove', seq: c.seq, removed: removedOf(c) })),
    );
    return removed;
  }

  removeDocument(id: string): Promise<ChunkDelta | undefined> {
    return this.db.transaction(async (tx) => {
      const log = await ChangeLog.lock(tx);
      if (!(await tx.get('SELECT 1 FROM documents WHERE id = ?', [id]))) return undefined;
      const removed = await this.removeChunksOf(tx, log, id);
      await tx.run('DELETE FROM documents WHERE id = ?', [id]);
      await log.save(tx);
      return { added: [], removed };
    });
  }

  async getChunks(seqs: readonly number[]): Promise<ChunkRecord[]> {
    if (seqs.length === 0) return [];
    const rows = await this.db.all<Omit<ChunkRow, 'vector'>>(`SELECT ${recordColumns} FROM chunks WHERE seq = ANY(?::bigint[])`, [seqs]);
    const order = new Map(seqs.map((s, i) => [s, i]));
    return rows.map(toChunkRecord).sort((a, b) => order.get(a.seq)! - order.get(b.seq)!);
  }

  async getChunk(seq: number): Promise<StoredChunk | undefined> {
    const row = await this.db.get<ChunkRow>(`SELECT ${chunkColumns} FROM chunks WHERE seq = ?`, [seq]);
    return row && toChunk(row);
  }

  async chunksOfDocument(documentId: string): Promise<StoredChunk[]> {
    return (await this.db.all<ChunkRow>(`SELECT ${chunkColumns} FROM chunks WHERE document_id = ? ORDER BY ordinal`, [documentId])).map(
      toChunk,
    );
  }

  async chunksAfter(afterSeq: number, limit: number): Promise<StoredChunk[]> {
    return (await this.db.all<ChunkRow>(`SELECT ${chunkColumns} FROM chunks WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit])).map(
      toChunk,
    );
  }

  async countChunks(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM chunks'))!.n;
  }

  async chunksWithoutFoldedTerms(limit: number): Promise<ChunkRecord[]> {
    const rows = await this.db.all<Omit<ChunkRow, 'vector'>>(
      `SELECT ${recordColumns} FROM chunks WHERE folded_terms IS NULL ORDER BY seq LIMIT ?`,
      [limit],
    );
    return rows.map(toChunkRecord);
  }

  async setFoldedTerms(entries: ReadonlyArray<readonly [seq: number, foldedTerms: string]>): Promise<void> {
    if (entries.length === 0) return;
    await this.db.run(
      'UPDATE chunks SET folded_terms = e.terms FROM unnest(?::bigint[], ?::text[]) AS e(seq, terms) WHERE chunks.seq = e.seq',
      [entries.map(([seq]) => seq), entries.map(([, terms]) => terms)],
    );
  }

  async recountChunks(): Promise<number> {
    const info = await this.db.run(
      `UPDATE documents SET chunk_count = n.count FROM (
         SELECT d.id, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS count FROM documents d
       ) AS n WHERE n.id = documents.id AND documents.chunk_count <> n.count`,
    );
    return info.changes;
  }

  async listCollections(): Promise<Array<{ id: string; documents: number }>> {
    return this.db.all<{ id: string; documents: number }>(
      'SELECT c.id AS id, count(d.id) AS documents FROM collections c LEFT JOIN documents d ON d.collection = c.id GROUP BY c.id ORDER BY c.id COLLATE "C"',
    );
  }

  async generation(): Promise<number> {
    return (await this.db.get<{ generation: number }>('SELECT generation FROM chunk_log'))!.generation;
  }

  async changesSince(generation: number): Promise<ChunkChange[] | undefined> {
    // One snapshot for the bounds and the rows (a write committing meanwhile is seen whole or not at all).
    return this.db.transaction(async (tx) => {
      await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const bounds = (await tx.get<{ latest: number; oldest: number | null }>(
        'SELECT (SELECT generation FROM chunk_log) AS latest, (SELECT min(generation) FROM chunk_changes) AS oldest',
      ))!;
      if (generation > bounds.latest) return undefined; // indexes newer than the store: rebuild
      if (generation < bounds.latest && (bounds.oldest === null || bounds.oldest > generation + 1)) return undefined;
      const rows = await tx.all<{ generation: number; op: 'add' | 'remove'; seq: number; removed: string | null }>(
        'SELECT generation, op, seq, removed FROM chunk_changes WHERE generation > ? ORDER BY generation',
        [generation],
      );
      return rows.map((r) => ({
        generation: r.generation,
        op: r.op,
        seq: r.seq,
        ...(r.removed ? { removed: JSON.parse(r.removed) as RemovedChunk } : {}),
      }));
    });
  }

  async trimChanges(generation: number): Promise<void> {
    // Never past what a live follower process still has to apply (issue 20 item 5).
    const needed = await this.followers.oldestNeeded();
    const upTo = needed === undefined ? generation : Math.min(generation, needed);
    // Keep the latest entry so the log always shows where it starts.
    await this.db.run('DELETE FROM chunk_changes WHERE generation <= ? AND generation < (SELECT generation FROM chunk_log)', [upTo]);
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key]))?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      value,
    ]);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

/** Stores a blob's parts unless that hash is already stored (same hash: same bytes). */
async function writeParts(tx: SqlDb, hash: string, bytes: Uint8Array, pause: () => Promise<void>): Promise<void> {
  if (await tx.get("SELECT 1 FROM blob_parts WHERE hash = ? AND kind = 'source' AND start = 0", [hash])) return;
  // An empty blob is one empty part, so "stored" and "missing" stay apart.
  for (let start = 0; start === 0 || start < bytes.length; start += blobPartBytes) {
    const end = Math.min(bytes.length, start + blobPartBytes);
    await tx.run("INSERT INTO blob_parts (hash, kind, start, bytes) VALUES (?, 'source', ?, ?)", [
      hash,
      start,
      Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start),
    ]);
    await pause();
  }
}

/**
 * The change log inside one write: the counter row is locked first (writers of chunks take
 * turns), generations are numbered here and the counter saved before the commit.
 */
class ChangeLog {
  private constructor(private generation: number) {}

  static async lock(tx: SqlDb): Promise<ChangeLog> {
    return new ChangeLog((await tx.get<{ generation: number }>('SELECT generation FROM chunk_log FOR UPDATE'))!.generation);
  }

  async append(tx: SqlDb, changes: ReadonlyArray<{ op: 'add' | 'remove'; seq: number; removed?: string }>): Promise<void> {
    for (let i = 0; i < changes.length; i += insertBatch) {
      const batch = changes.slice(i, i + insertBatch);
      await tx.run(
        `INSERT INTO chunk_changes (generation, op, seq, removed) VALUES ${valuesList(batch.length, 4)}`,
        batch.flatMap((c) => [++this.generation, c.op, c.seq, c.removed ?? null]),
      );
    }
  }

  async save(tx: SqlDb): Promise<void> {
    await tx.run('UPDATE chunk_log SET generation = ?', [this.generation]);
    // Delivered at commit (never for a rollback): replicas listening wake up and read the log.
    await tx.run(`SELECT pg_notify('${changesChannel}', current_schema() || ':' || ?::text)`, [this.generation]);
  }
}
