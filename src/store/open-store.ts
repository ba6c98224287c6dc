import { openSqliteStore } from './open-sqlite-store.js';
import { PostgresStore } from './postgres/index.js';
import type { TrogiangStore } from './store-types.js';

/**
 * The store a configuration names: PostgreSQL when `databaseUrl` is set (`DATABASE_URL`), else
 * SQLite in the data folder, exactly as before (a user who sets nothing sees no change).
 * A PostgreSQL that cannot be reached is an error naming the server (never its password).
 * @example const store = await openStore({ dataDir: './data', databaseUrl: process.env.DATABASE_URL });
 */
export async function openStore(config: { dataDir: string; databaseUrl?: string | undefined }): Promise<TrogiangStore> {
  if (!config.databaseUrl) return openSqliteStore(config.dataDir);
  try {
    return await PostgresStore.open(config.databaseUrl);
  } catch (error) {
    const reason = (error as Error).message || String(error);
    throw new Error(`cannot open the PostgreSQL store at ${redactedDatabaseUrl(config.databaseUrl)} (DATABASE_URL): ${reason}`, {
      cause: error,
    });
  }
}

/** `postgres://user:secret@host/db` → `postgres://user:…@host/db`, for messages and logs. */
export function redactedDatabaseUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@]*@/, '$1:…@');
}
