import type Database from 'better-sqlite3';
import type { CenterStatus } from './center-store.js';
import type { Clock } from './store-types.js';
import type { UserRole } from './user-store.js';

/** A live session with what a request needs to know of its account and center. */
export interface SessionRecord {
  idHash: string;
  userId: string;
  username: string;
  role: UserRole;
  collections: string[] | null;
  userDisabled: boolean;
  centerId: string | null;
  centerStatus: CenterStatus | null;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

interface SessionRow {
  id_hash: string;
  user_id: string;
  username: string;
  role: UserRole;
  collections: string | null;
  disabled: number;
  center_id: string | null;
  center_status: CenterStatus | null;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

/**
 * Sessions, keyed by the SHA-256 of their random id (a copy of the table does not give anyone a
 * cookie). The caller hashes; this store never sees a cookie value.
 */
export class SqliteSessionStore {
  // Prepared once: `find` runs on every cookie-authenticated request, and preparing the join
  // cost five times its execution (measured: 439 µs against 77 µs on the loaded build machine).
  private readonly findStatement: Database.Statement;
  private readonly touchStatement: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {
    this.findStatement = db.prepare(
      `SELECT s.id_hash, s.user_id, u.username, u.role, u.collections, u.disabled, s.center_id, c.status AS center_status,
              s.created_at, s.expires_at, s.last_seen_at
       FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN centers c ON c.id = s.center_id
       WHERE s.id_hash = ?`,
    );
    this.touchStatement = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?');
  }

  create(idHash: string, userId: string, centerId: string | null, expiresAt: Date): void {
    const at = this.now().toISOString();
    this.db
      .prepare('INSERT INTO sessions (id_hash, user_id, center_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(idHash, userId, centerId, at, expiresAt.toISOString(), at);
  }

  /** The session with its account and center (whatever their state: the caller judges). */
  find(idHash: string): SessionRecord | undefined {
    const row = this.findStatement.get(idHash) as SessionRow | undefined;
    if (!row) return undefined;
    return {
      idHash: row.id_hash,
      userId: row.user_id,
      username: row.username,
      role: row.role,
      collections: row.collections === null ? null : (JSON.parse(row.collections) as string[]),
      userDisabled: row.disabled === 1,
      centerId: row.center_id,
      centerStatus: row.center_status,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  touch(idHash: string): void {
    this.touchStatement.run(this.now().toISOString(), idHash);
  }

  delete(idHash: string): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash).changes === 1;
  }

  /** Ends every session of an account (a password change or reset, a removed or disabled account). */
  deleteOfUser(userId: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
  }

  /** Forgets sessions past their absolute expiry or idle since before `idleSince`. */
  deleteExpired(idleSince: Date): number {
    return this.db
      .prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?')
      .run(this.now().toISOString(), idleSince.toISOString()).changes;
  }

  countOfUser(userId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number }).n;
  }
}
