import type { SqlDb } from './sql/sql-db.js';

/** Failed logins counted per key (`user:<name>`, `ip:<address>`) in a window that starts at the first failure. */
export interface LoginAttemptRecord {
  failures: number;
  windowStart: string;
}

interface LoginAttemptRow {
  failures: number;
  window_start: string;
}

const toRecord = (row: LoginAttemptRow): LoginAttemptRecord => ({ failures: row.failures, windowStart: row.window_start });

/**
 * Counts of failed logins, kept in the database so a restart does not reset them and, on
 * PostgreSQL, every replica counts against the same lock.
 */
export class LoginAttemptStore {
  constructor(private readonly sql: SqlDb) {}

  async get(key: string): Promise<LoginAttemptRecord | undefined> {
    const row = await this.sql.get<LoginAttemptRow>('SELECT failures, window_start FROM login_attempts WHERE key = ?', [key]);
    return row && toRecord(row);
  }

  /** Counts one failure: a new window when the last one started before `windowSince`. One statement, so concurrent failures all count. */
  async fail(key: string, at: Date, windowSince: Date): Promise<LoginAttemptRecord> {
    const since = windowSince.toISOString();
    const row = await this.sql.get<LoginAttemptRow>(
      `INSERT INTO login_attempts (key, failures, window_start) VALUES (?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_attempts.window_start <= ? THEN 1 ELSE login_attempts.failures + 1 END,
         window_start = CASE WHEN login_attempts.window_start <= ? THEN excluded.window_start ELSE login_attempts.window_start END
       RETURNING failures, window_start`,
      [key, at.toISOString(), since, since],
    );
    return toRecord(row!);
  }

  /** Takes one failure back (a success counted beforehand). */
  async undoOne(key: string): Promise<void> {
    await this.sql.run('UPDATE login_attempts SET failures = CASE WHEN failures > 0 THEN failures - 1 ELSE 0 END WHERE key = ?', [key]);
  }

  async clear(key: string): Promise<void> {
    await this.sql.run('DELETE FROM login_attempts WHERE key = ?', [key]);
  }

  /** Forgets windows that started before `windowSince`. */
  async deleteStale(windowSince: Date): Promise<number> {
    return (await this.sql.run('DELETE FROM login_attempts WHERE window_start <= ?', [windowSince.toISOString()])).changes;
  }
}
