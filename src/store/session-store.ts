import type { CenterStatus } from './center-store.js';
import type { SqlDb } from './sql/sql-db.js';
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

const findSql = `SELECT s.id_hash, s.user_id, u.username, u.role, u.collections, u.disabled, s.center_id, c.status AS center_status,
       s.created_at, s.expires_at, s.last_seen_at
  FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN centers c ON c.id = s.center_id
  WHERE s.id_hash = ?`;

/**
 * Sessions, keyed by the SHA-256 of their random id (a copy of the table does not give anyone a
 * cookie). The caller hashes; this store never sees a cookie value. On PostgreSQL every replica
 * sees the same sessions: a login on one is valid on all.
 */
export class SessionStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock,
  ) {}

  async create(idHash: string, userId: string, centerId: string | null, expiresAt: Date): Promise<void> {
    const at = this.now().toISOString();
    await this.sql.run(
      'INSERT INTO sessions (id_hash, user_id, center_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
      [idHash, userId, centerId, at, expiresAt.toISOString(), at],
    );
  }

  /** The session with its account and center (whatever their state: the caller judges). */
  async find(idHash: string): Promise<SessionRecord | undefined> {
    const row = await this.sql.get<SessionRow>(findSql, [idHash]);
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

  async touch(idHash: string): Promise<void> {
    await this.sql.run('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?', [this.now().toISOString(), idHash]);
  }

  async delete(idHash: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM sessions WHERE id_hash = ?', [idHash])).changes === 1;
  }

  /** Ends every session of an account (a password change or reset, a removed or disabled account). */
  async deleteOfUser(userId: string): Promise<number> {
    return (await this.sql.run('DELETE FROM sessions WHERE user_id = ?', [userId])).changes;
  }

  /** Forgets sessions past their absolute expiry or idle since before `idleSince`. */
  async deleteExpired(idleSince: Date): Promise<number> {
    const result = await this.sql.run('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?', [
      this.now().toISOString(),
      idleSince.toISOString(),
    ]);
    return result.changes;
  }

  async countOfUser(userId: string): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE user_id = ?', [userId]))!.n;
  }
}
