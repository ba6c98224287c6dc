import { join } from 'node:path';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

/** The SQLite file's name inside a data folder (beside `indexes/`). */
export const sqliteFileName = 'trogiang.db';

/**
 * Opens (or creates) the SQLite store of a data folder: what the service, the CLI and tests give
 * `Engine.open` as its store.
 * @example const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
 */
export function openSqliteStore(dataDir: string, options?: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(join(dataDir, sqliteFileName), options);
}
