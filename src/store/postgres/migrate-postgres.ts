import type pg from 'pg';
import { postgresMigrations } from './postgres-migrations.js';

/**
 * Applies pending migrations, each in its own transaction with the schema's version. Replicas
 * starting together take turns (an advisory lock per schema); a schema written by a newer
 * trogiang is refused.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly string[] = postgresMigrations): Promise<number> {
  const client = await pool.connect();
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('trogiang.migrate.' || current_schema()))");
        await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
        const row = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows[0];
        if (!row) await client.query('INSERT INTO schema_version (version) VALUES (0)');
        const version = row?.version ?? 0;
        if (version > migrations.length) {
          throw new Error(`the PostgreSQL schema was written by a newer trogiang (schema ${version} > ${migrations.length})`);
        }
        if (version === migrations.length) {
          await client.query('COMMIT');
          return version;
        }
        await client.query(migrations[version]!);
        await client.query('UPDATE schema_version SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    client.release();
  }
}
