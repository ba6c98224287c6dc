/** What a write changed: rows affected and, for an insert, the new row's integer key when known. */
export interface RunResult {
  changes: number;
  /** SQLite: the last inserted rowid; PostgreSQL: the first column of the first returned row (`RETURNING id`). */
  lastId?: number;
}

/**
 * A small asynchronous SQL connection that repositories are written against once and run on
 * SQLite or PostgreSQL. Statements use `?` placeholders (converted to `$1…` for PostgreSQL);
 * BLOB / bytea values are Buffers; integer columns (BIGINT, identity, count(*)) come back as numbers.
 */
export interface SqlDb {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /**
   * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws. Statements issued meanwhile through the outer handle wait until it ends, so they
   * never land inside it; `tx` is the only way in. Nested calls on `tx` are savepoints.
   */
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T>;
}
