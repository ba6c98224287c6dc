import { randomUUID } from 'node:crypto';
import type { SqlDb } from './sql/sql-db.js';
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
export class UserStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock,
  ) {}

  async get(id: string): Promise<UserRecord | undefined> {
    const row = await this.sql.get<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
    return row && toUser(row);
  }

  /** The account and its password hash, by (already normalised) username. */
  async findForLogin(username: string): Promise<{ user: UserRecord; passwordHash: string } | undefined> {
    const row = await this.sql.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  async passwordHashOf(id: string): Promise<string | undefined> {
    return (await this.sql.get<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = ?', [id]))?.password_hash;
  }

  async count(): Promise<number> {
    return (await this.sql.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n;
  }

  /** Accounts of a center (or operators, for null), by username (byte order on both adapters). */
  async listOfCenter(centerId: string | null): Promise<UserRecord[]> {
    const order = this.sql.dialect === 'postgres' ? 'ORDER BY username COLLATE "C"' : 'ORDER BY username';
    const rows =
      centerId === null
        ? await this.sql.all<UserRow>(`SELECT * FROM users WHERE center_id IS NULL ${order}`)
        : await this.sql.all<UserRow>(`SELECT * FROM users WHERE center_id = ? ${order}`, [centerId]);
    return rows.map(toUser);
  }

  /** Creates an account; undefined when the username is taken. */
  async create(input: NewUser): Promise<UserRecord | undefined> {
    const id = randomUUID();
    const at = this.now().toISOString();
    const result = await this.sql.run(
      'INSERT INTO users (id, center_id, username, password_hash, role, collections, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING',
      [
        id,
        input.centerId,
        input.username,
        input.passwordHash,
        input.role,
        input.collections ? JSON.stringify(input.collections) : null,
        at,
        at,
      ],
    );
    return result.changes === 1 ? this.get(id) : undefined;
  }

  async update(
    id: string,
    patch: { role?: 'center_admin' | 'teacher'; collections?: string[] | null; disabled?: boolean },
  ): Promise<UserRecord | undefined> {
    const current = await this.get(id);
    if (!current) return undefined;
    const collections = patch.collections === undefined ? current.collections : patch.collections;
    await this.sql.run('UPDATE users SET role = ?, collections = ?, disabled = ?, updated_at = ? WHERE id = ?', [
      patch.role ?? current.role,
      collections ? JSON.stringify(collections) : null,
      (patch.disabled ?? current.disabled) ? 1 : 0,
      this.now().toISOString(),
      id,
    ]);
    return this.get(id);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<boolean> {
    const result = await this.sql.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?', [
      passwordHash,
      this.now().toISOString(),
      id,
    ]);
    return result.changes === 1;
  }

  /** Deletes an account (its sessions and reset links go with it). */
  async delete(id: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM users WHERE id = ?', [id])).changes === 1;
  }
}
