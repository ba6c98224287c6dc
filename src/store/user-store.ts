import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Clock } from './store-types.js';

/** `operator` runs the deployment (no center); `center_admin` and `teacher` belong to one center. */
export type UserRole = 'operator' | 'center_admin' | 'teacher';

/** A teacher account (never with its password hash: see `passwordHashOf`). */
export interface UserRecord {
  id: string;
  centerId: string | null;
  username: string;
  role: UserRole;
  /** Collections a teacher may change; null: every collection of the center. */
  collections: string[] | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface UserRow {
  id: string;
  center_id: string | null;
  username: string;
  password_hash: string;
  role: UserRole;
  collections: string | null;
  disabled: number;
  created_at: string;
  updated_at: string;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  centerId: r.center_id,
  username: r.username,
  role: r.role,
  collections: r.collections === null ? null : (JSON.parse(r.collections) as string[]),
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewUser {
  centerId: string | null;
  username: string;
  passwordHash: string;
  role: UserRole;
  collections?: string[] | null;
}

/** Accounts. Usernames are unique across the deployment (one login form for every center). */
export class SqliteUserStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {}

  get(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  /** The account and its password hash, by (already normalised) username. */
  findForLogin(username: string): { user: UserRecord; passwordHash: string } | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  passwordHashOf(id: string): string | undefined {
    return (this.db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as { password_hash: string } | undefined)
      ?.password_hash;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  /** Accounts of a center (or operators, for null), by username. */
  listOfCenter(centerId: string | null): UserRecord[] {
    const rows =
      centerId === null
        ? this.db.prepare('SELECT * FROM users WHERE center_id IS NULL ORDER BY username').all()
        : this.db.prepare('SELECT * FROM users WHERE center_id = ? ORDER BY username').all(centerId);
    return (rows as UserRow[]).map(toUser);
  }

  /** Creates an account; undefined when the username is taken. */
  create(input: NewUser): UserRecord | undefined {
    const id = randomUUID();
    const at = this.now().toISOString();
    const result = this.db
      .prepare(
        'INSERT OR IGNORE INTO users (id, center_id, username, password_hash, role, collections, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)',
      )
      .run(
        id,
        input.centerId,
        input.username,
        input.passwordHash,
        input.role,
        input.collections ? JSON.stringify(input.collections) : null,
        at,
        at,
      );
    return result.changes === 1 ? this.get(id) : undefined;
  }

  update(
    id: string,
    patch: { role?: 'center_admin' | 'teacher'; collections?: string[] | null; disabled?: boolean },
  ): UserRecord | undefined {
    const current = this.get(id);
    if (!current) return undefined;
    const collections = patch.collections === undefined ? current.collections : patch.collections;
    this.db
      .prepare('UPDATE users SET role = ?, collections = ?, disabled = ?, updated_at = ? WHERE id = ?')
      .run(
        patch.role ?? current.role,
        collections ? JSON.stringify(collections) : null,
        (patch.disabled ?? current.disabled) ? 1 : 0,
        this.now().toISOString(),
        id,
      );
    return this.get(id);
  }

  setPasswordHash(id: string, passwordHash: string): boolean {
    return (
      this.db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, this.now().toISOString(), id)
        .changes === 1
    );
  }

  /** Deletes an account (its sessions and reset links go with it). */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM users WHERE id = ?').run(id).changes === 1;
  }
}
