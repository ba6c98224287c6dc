import type Database from 'better-sqlite3';
import type { RunResult, SqlDb } from './sql-db.js';

type Params = readonly unknown[];

/**
 * `SqlDb` over one better-sqlite3 connection (the store's own). Statements run synchronously and
 * resolve at once, except while a `transaction` is running: SQLite has one transaction per
 * connection, so another request's statement issued during one of our awaits would land inside it
 * (and be rolled back with it). Such statements, and other transactions, wait until it ends.
 */
export class SqliteDb implements SqlDb {
  readonly dialect = 'sqlite' as const;
  /** Settles when the running transaction (and those queued before) has ended. */
  private idle: Promise<void> = Promise.resolve();
  private busy = false;

  constructor(readonly db: Database.Database) {}

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.when(() => this.db.prepare(sql).all(...params) as T[]);
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.when(() => this.db.prepare(sql).get(...params) as T | undefined);
  }

  run(sql: string, params: Params = []): Promise<RunResult> {
    return this.when(() => runOn(this.db, sql, params));
  }

  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    const result = this.idle.then(async () => {
      this.busy = true;
      try {
        return await inTransaction(this.db, fn, 0);
      } finally {
        this.busy = false;
      }
    });
    this.idle = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Runs a statement now when no transaction is running (the hot path: no extra turn), else after it. */
  private when<T>(statement: () => T): Promise<T> {
    if (!this.busy) {
      try {
        return Promise.resolve(statement());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.idle.then(statement);
  }
}

function runOn(db: Database.Database, sql: string, params: Params): RunResult {
  const info = db.prepare(sql).run(...params);
  return { changes: info.changes, lastId: Number(info.lastInsertRowid) };
}

/** The handle a transaction's function gets: straight to the connection; nested calls are savepoints. */
class SqliteTx implements SqlDb {
  readonly dialect = 'sqlite' as const;
  constructor(
    private readonly db: Database.Database,
    private readonly depth: number,
  ) {}
  async all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.db.prepare(sql).all(...params) as T[];
  }
  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.db.prepare(sql).get(...params) as T | undefined;
  }
  async run(sql: string, params: Params = []): Promise<RunResult> {
    return runOn(this.db, sql, params);
  }
  transaction<T>(fn: (tx: SqlDb) => Promise<T>): Promise<T> {
    return inTransaction(this.db, fn, this.depth + 1);
  }
}

async function inTransaction<T>(db: Database.Database, fn: (tx: SqlDb) => Promise<T>, depth: number): Promise<T> {
  const name = `sp${depth}`;
  // Inside a transaction the store opened on the connection itself (SqliteStore's sliced document
  // write, between two slices): a savepoint in it, committed or rolled back with it, as any other
  // statement made meanwhile. BEGIN would fail there.
  const outermost = depth === 0 && !db.inTransaction;
  db.exec(outermost ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${name}`);
  try {
    const value = await fn(new SqliteTx(db, depth));
    db.exec(outermost ? 'COMMIT' : `RELEASE ${name}`);
    return value;
  } catch (error) {
    if (outermost) {
      if (db.inTransaction) db.exec('ROLLBACK');
    } else {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
    }
    throw error;
  }
}
