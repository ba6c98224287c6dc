import type { SqlDb } from './sql/sql-db.js';
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
export class UserLinkStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock,
  ) {}

  async create(tokenHash: string, link: Omit<UserLinkRecord, 'createdAt'>): Promise<void> {
    await this.sql.run(
      'INSERT INTO user_links (token_hash, kind, center_id, user_id, role, collections, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        tokenHash,
        link.kind,
        link.centerId,
        link.userId,
        link.role,
        link.collections ? JSON.stringify(link.collections) : null,
        link.createdBy,
        this.now().toISOString(),
        link.expiresAt,
      ],
    );
  }

  /**
   * Marks a link used and returns it, when it is of `kind`, unused and unexpired; otherwise
   * undefined and nothing changes. Run inside the transaction that acts on it, so a failure
   * after it (a taken username) leaves the link usable. One conditional UPDATE claims it, so two
   * replicas opening the same link at once cannot both use it.
   */
  async consume(tokenHash: string, kind: 'invite' | 'reset'): Promise<UserLinkRecord | undefined> {
    const at = this.now().toISOString();
    const row = await this.sql.get<UserLinkRow>(
      'UPDATE user_links SET used_at = ? WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ? RETURNING *',
      [at, tokenHash, kind, at],
    );
    if (!row) return undefined;
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
  async deleteStale(before: Date): Promise<number> {
    const at = before.toISOString();
    return (await this.sql.run('DELETE FROM user_links WHERE expires_at <= ? OR used_at <= ?', [at, at])).changes;
  }
}
