import type Database from 'better-sqlite3';
import type { Clock } from './store-types.js';

/** An invitation (makes a new account in a center) or a password reset (of one account). */
export interface UserLinkRecord {
  kind: 'invite' | 'reset';
  centerId: string;
  userId: string | null;
  role: 'center_admin' | 'teacher' | null;
  collections: string[] | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

interface UserLinkRow {
  kind: 'invite' | 'reset';
  center_id: string;
  user_id: string | null;
  role: 'center_admin' | 'teacher' | null;
  collections: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
}

/**
 * Single-use links a center admin hands over (no mail server), keyed by the SHA-256 of their
 * random token: the table does not hold a usable link.
 */
export class SqliteUserLinkStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {}

  create(tokenHash: string, link: Omit<UserLinkRecord, 'createdAt'>): void {
    this.db
      .prepare(
        'INSERT INTO user_links (token_hash, kind, center_id, user_id, role, collections, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        tokenHash,
        link.kind,
        link.centerId,
        link.userId,
        link.role,
        link.collections ? JSON.stringify(link.collections) : null,
        link.createdBy,
        this.now().toISOString(),
        link.expiresAt,
      );
  }

  /**
   * Marks a link used and returns it, when it is of `kind`, unused and unexpired; otherwise
   * undefined and nothing changes. Run inside the transaction that acts on it, so a failure
   * after it (a taken username) leaves the link usable.
   */
  consume(tokenHash: string, kind: 'invite' | 'reset'): UserLinkRecord | undefined {
    const at = this.now().toISOString();
    const row = this.db
      .prepare('SELECT * FROM user_links WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?')
      .get(tokenHash, kind, at) as UserLinkRow | undefined;
    if (!row) return undefined;
    this.db.prepare('UPDATE user_links SET used_at = ? WHERE token_hash = ?').run(at, tokenHash);
    return {
      kind: row.kind,
      centerId: row.center_id,
      userId: row.user_id,
      role: row.role,
      collections: row.collections === null ? null : (JSON.parse(row.collections) as string[]),
      createdBy: row.created_by,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  /** Forgets links used or expired more than `before`. */
  deleteStale(before: Date): number {
    const at = before.toISOString();
    return this.db.prepare('DELETE FROM user_links WHERE expires_at <= ? OR used_at <= ?').run(at, at).changes;
  }
}
