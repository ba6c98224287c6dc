import type Database from 'better-sqlite3';
import { SqliteAuditStore } from './audit-store.js';
import { SqliteCenterStore } from './center-store.js';
import { SqliteLoginAttemptStore } from './login-attempt-store.js';
import { SqliteSessionStore } from './session-store.js';
import type { Clock } from './store-types.js';
import { SqliteUserLinkStore } from './user-link-store.js';
import { SqliteUserStore } from './user-store.js';

/** Centers, accounts, sessions, links, login attempts and the audit log, over one connection. */
export interface AccountStores {
  db: Database.Database;
  centers: SqliteCenterStore;
  users: SqliteUserStore;
  sessions: SqliteSessionStore;
  links: SqliteUserLinkStore;
  loginAttempts: SqliteLoginAttemptStore;
  audit: SqliteAuditStore;
}

/** The account repositories over the store's connection (migration 6 made their tables). */
export function accountStores(db: Database.Database, now: Clock = () => new Date()): AccountStores {
  return {
    db,
    centers: new SqliteCenterStore(db, now),
    users: new SqliteUserStore(db, now),
    sessions: new SqliteSessionStore(db, now),
    links: new SqliteUserLinkStore(db, now),
    loginAttempts: new SqliteLoginAttemptStore(db),
    audit: new SqliteAuditStore(db, now),
  };
}
