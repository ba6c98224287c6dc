import { AuditStore } from './audit-store.js';
import { CenterStore } from './center-store.js';
import { LoginAttemptStore } from './login-attempt-store.js';
import { SessionStore } from './session-store.js';
import type { SqlDb } from './sql/sql-db.js';
import type { Clock } from './store-types.js';
import { UserLinkStore } from './user-link-store.js';
import { UserStore } from './user-store.js';

/** Centers, accounts, sessions, links, login attempts and the audit log, over one `SqlDb`. */
export interface AccountStores {
  sql: SqlDb;
  centers: CenterStore;
  users: UserStore;
  sessions: SessionStore;
  links: UserLinkStore;
  loginAttempts: LoginAttemptStore;
  audit: AuditStore;
  /**
   * Runs `fn` in one transaction with the repositories over it (`tx`): all of its changes or none.
   * `fn` awaits only `tx`'s statements (hash passwords before).
   */
  transaction<T>(fn: (tx: AccountStores) => Promise<T>): Promise<T>;
}

/**
 * The account repositories over the store's `SqlDb` (`store.sql`: SQLite migration 6 made their
 * tables; on PostgreSQL the `accounts` migration), so on PostgreSQL every replica shares the
 * accounts, sessions and login locks.
 */
export function accountStores(sql: SqlDb, now: Clock = () => new Date()): AccountStores {
  return {
    sql,
    centers: new CenterStore(sql, now),
    users: new UserStore(sql, now),
    sessions: new SessionStore(sql, now),
    links: new UserLinkStore(sql, now),
    loginAttempts: new LoginAttemptStore(sql),
    audit: new AuditStore(sql, now),
    transaction: (fn) => sql.transaction((tx) => fn(accountStores(tx, now))),
  };
}
