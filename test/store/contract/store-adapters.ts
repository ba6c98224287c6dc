import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStore } from '../../../src/store/postgres/index.js';
import { type SqlDb, openPostgresPool, PostgresDb } from '../../../src/store/sql/index.js';
import { SqliteStore, type Store } from '../../../src/store/index.js';

/** PostgreSQL for tests: `TEST_DATABASE_URL`, else the machine's local service (trust auth, role `postgres`, which every installation has; database `test`). */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Why PostgreSQL cannot be used, or null when it can. Under CI (`CI` or `TROGIANG_REQUIRE_POSTGRES`, set by .ci/run) an unreachable server is a failure
 * (the contract must hold on both adapters there), elsewhere the PostgreSQL half is skipped and says why.
 */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const reason = `PostgreSQL at ${testDatabaseUrl.replace(/\/\/[^@]*@/, '//…@')} unreachable (${(error as Error).message})`;
    if (process.env.CI || process.env.TROGIANG_REQUIRE_POSTGRES)
      throw new Error(`${reason}: CI runs the store contract on PostgreSQL too (.ci/run starts it)`);
    return reason;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh, uniquely named schema for one test file, so files run in parallel. */
const schemaName = (label: string) => `t_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();

export interface Adapter {
  name: 'sqlite' | 'postgres';
  /** A new empty store (each test its own). */
  open(): Promise<Store>;
  /** A second connection to the same store (another process's view). */
  reopen(store: Store): Promise<Store>;
  /** A bare `SqlDb` on a new empty database. */
  sqlDb(): Promise<SqlDb>;
  cleanup(): Promise<void>;
}

export function sqliteAdapter(): Adapter {
  const dirs: string[] = [];
  const opened: Array<{ close(): unknown }> = [];
  return {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'trogiang-contract-'));
      dirs.push(dir);
      const store = new SqliteStore(join(dir, 'trogiang.db'));
      opened.push(store);
      return store;
    },
    async reopen(store) {
      const again = new SqliteStore((store as SqliteStore).path);
      opened.push(again);
      return again;
    },
    async sqlDb() {
      const store = await this.open();
      // The store's own: one SqliteDb per connection (its transaction queue lives in it).
      return (store as SqliteStore).sql;
    },
    async cleanup() {
      for (const s of opened.splice(0)) await s.close();
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    },
  };
}

export function postgresAdapter(label: string): Adapter {
  const schemas: string[] = [];
  const opened: Array<{ close(): Promise<void> }> = [];
  return {
    name: 'postgres',
    async open() {
      const schema = schemaName(label);
      schemas.push(schema);
      const store = await PostgresStore.open(testDatabaseUrl, { schema, max: 4 });
      opened.push(store);
      return store;
    },
    async reopen(store) {
      const schema = schemas[opened.indexOf(store as PostgresStore)] ?? schemas.at(-1)!;
      const again = await PostgresStore.open(testDatabaseUrl, { schema, max: 4 });
      opened.push(again);
      schemas.push(schema);
      return again;
    },
    async sqlDb() {
      const schema = schemaName(label);
      schemas.push(schema);
      const pool = openPostgresPool(testDatabaseUrl, { schema, max: 4 });
      await pool.query(`CREATE SCHEMA ${schema}`);
      const db = new PostgresDb(pool);
      opened.push(db);
      return db;
    },
    async cleanup() {
      for (const s of opened.splice(0)) await s.close();
      const admin = new pg.Client({ connectionString: testDatabaseUrl });
      await admin.connect();
      try {
        for (const schema of new Set(schemas.splice(0))) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Both adapters, the PostgreSQL one only when reachable (see `postgresUnavailable`). */
export async function adapters(label: string): Promise<Adapter[]> {
  const why = await postgresUnavailable();
  if (why) {
    process.stdout.write(`store contract: PostgreSQL half skipped: ${why}\n`);
    return [sqliteAdapter()];
  }
  return [sqliteAdapter(), postgresAdapter(label)];
}
