import { randomUUID } from 'node:crypto';
import type { SqlDb } from '../store/sql/index.js';

/** A staged upload: one file's bytes waiting for its ingest job. */
export interface StagedFile {
  id: string;
  collection: string;
  fileName: string;
  bytes: Buffer;
}

/**
 * The PostgreSQL table `ingest_staging` (see postgres-migrations.ts): where an upload's bytes wait
 * until a worker has ingested them, so a worker killed mid-ingest leaves them for the retry.
 */
export class IngestStaging {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Stores one file; returns its staging id (the job's payload names it, not the bytes). */
  async put(file: { collection: string; fileName: string; bytes: Uint8Array }): Promise<string> {
    const id = randomUUID();
    await this.sql.run('INSERT INTO ingest_staging (id, collection, file_name, bytes, created_at) VALUES (?, ?, ?, ?, ?)', [
      id,
      file.collection,
      file.fileName,
      Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
      this.now().toISOString(),
    ]);
    return id;
  }

  async get(id: string): Promise<StagedFile | undefined> {
    const row = await this.sql.get<{ id: string; collection: string; file_name: string; bytes: Buffer }>(
      'SELECT id, collection, file_name, bytes FROM ingest_staging WHERE id = ?',
      [id],
    );
    return row && { id: row.id, collection: row.collection, fileName: row.file_name, bytes: row.bytes };
  }

  async delete(id: string): Promise<void> {
    await this.sql.run('DELETE FROM ingest_staging WHERE id = ?', [id]);
  }

  /** How many files wait (tests, metrics). */
  async count(): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM ingest_staging'))?.n ?? 0;
  }
}
