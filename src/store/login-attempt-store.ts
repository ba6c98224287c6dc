import type Database from 'better-sqlite3';

/** Failed logins counted per key (`user:<name>`, `ip:<address>`) in a window that starts at the first failure. */
export interface LoginAttemptRecord {
  failures: number;
  windowStart: string;
}

/** Counts of failed logins, kept in the database so a restart does not reset them. */
export class SqliteLoginAttemptStore {
  constructor(private readonly db: Database.Database) {}

  get(key: string): LoginAttemptRecord | undefined {
    const row = this.db.prepare('SELECT failures, window_start FROM login_attempts WHERE key = ?').get(key) as
      | { failures: number; window_start: string }
      | undefined;
    return row && { failures: row.failures, windowStart: row.window_start };
  }

  /** Counts one failure: a new window when the last one started before `windowSince`. */
  fail(key: string, at: Date, windowSince: Date): LoginAttemptRecord {
    this.db
      .prepare(
        `INSERT INTO login_attempts (key, failures, window_start) VALUES (?, 1, ?)
         ON CONFLICT(key) DO UPDATE SET
           failures = CASE WHEN window_start <= ? THEN 1 ELSE failures + 1 END,
           window_start = CASE WHEN window_start <= ? THEN excluded.window_start ELSE window_start END`,
      )
      .run(key, at.toISOString(), windowSince.toISOString(), windowSince.toISOString());
    return this.get(key)!;
  }

  /** Takes one failure back (a success counted beforehand). */
  undoOne(key: string): void {
    this.db.prepare('UPDATE login_attempts SET failures = max(failures - 1, 0) WHERE key = ?').run(key);
  }

  clear(key: string): void {
    this.db.prepare('DELETE FROM login_attempts WHERE key = ?').run(key);
  }

  /** Forgets windows that started before `windowSince`. */
  deleteStale(windowSince: Date): number {
    return this.db.prepare('DELETE FROM login_attempts WHERE window_start <= ?').run(windowSince.toISOString()).changes;
  }
}
