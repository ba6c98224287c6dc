import pg from 'pg';
import type { RunResult, SqlDb } from './sql-db.js';
import { toPostgresPlaceholders } from './to-postgres-placeholders.js';

type Params = readonly unknown[];

/** OIDs of integer-valued types that pg returns as strings by default. */
const int8 = 20;
const numeric = 1700;

/**
 * Type parsers for our pools: BIGINT (identity columns, count(*)) and NUMERIC (sum of BIGINT) as
 * numbers. Our integers (sequence numbers, byte counts) stay far below 2^53.
 */
export const postgresTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === int8 || oid === numeric) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Options of `openPostgresPool`. */
export interface PostgresPoolOptions {
  /** Schema to work in (`search_path`), created when missing; default `public`. */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
}

/** A pool on `url` whose connections use `schema` and return integers as numbers. */
export function openPostgresPool(url: string, options: PostgresPoolOptions = {}): pg.Pool {
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: postgresTypes,
    options: `-c search_path=${schema}`,
    // A server out of reach fails a request in 5 s (503 store_unavailable) instead of hanging it;
    // keep-alive notices a peer gone without a word (a failover, a cable).
    connectionTimeoutMillis: 5000,
    keepAlive: true,
  });
  // An idle client's error (the server restarted) must not crash the process: the pool drops it.
  pool.on('error', () => {});
  return pool;
}

type Queryable = pg.Pool | pg.PoolClient;

/** `SqlDb` over a pg pool; a transaction holds one pooled client from BEGIN to COMMIT. */
export class PostgresDb implements SqlDb {
  readonly dialect = 'postgres' as const;

  constructor(readonly pool: pg.Pool) {}

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return rowsOf<T>(this.pool, sql, params);
  }

  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await rowsOf<T>(this.pool, sql, params))[0];
  }

  run(sql: string, params: Params = []): Promise<RunResult> {
    return runOn(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      try {
        const value = await fn(new PostgresTx(client, 0));
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      }
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: destroyed, not reused.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Ends the pool (a second call does nothing). */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }

  private closed: Promise<void> | undefined;
}

class PostgresTx implements SqlDb {
  readonly dialect = 'postgres' as const;
  constructor(
    private readonly client: pg.PoolClient,
    private readonly depth: number,
  ) {}
  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return rowsOf<T>(this.client, sql, params);
  }
  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await rowsOf<T>(this.client, sql, params))[0];
  }
  run(sql: string, params: Params = []): Promise<RunResult> {
    return runOn(this.client, sql, params);
  }
  async transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const name = `sp${this.depth + 1}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const value = await fn(new PostgresTx(this.client, this.depth + 1));
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return value;
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }
}

async function rowsOf<T>(q: Queryable, sql: string, params: Params): Promise<T[]> {
  const result = await q.query(toPostgresPlaceholders(sql), params as unknown[]);
  return result.rows as T[];
}

async function runOn(q: Queryable, sql: string, params: Params): Promise<RunResult> {
  const result = await q.query(toPostgresPlaceholders(sql), params as unknown[]);
  const first = result.rows[0] as Record<string, unknown> | undefined;
  const id = first && Object.values(first)[0];
  return { changes: result.rowCount ?? 0, ...(typeof id === 'number' ? { lastId: id } : {}) };
}
