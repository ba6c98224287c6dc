import { openSqliteStore } from './open-sqlite-store.js';
import { PostgresStore } from './postgres/index.js';
import type { Store } from './store-types.js';

/**
 * The store a configuration names: PostgreSQL when `databaseUrl` is set (`DATABASE_URL`), else
 * SQLite in the data folder, exactly as before (a user who sets nothing sees no change).
 * @example const store = await openStore({ dataDir: './data', databaseUrl: process.env.DATABASE_URL });
 */
export async function openStore(config: { dataDir: string; databaseUrl?: string | undefined }): Promise<Store> {
  return config.databaseUrl ? PostgresStore.open(config.databaseUrl) : openSqliteStore(config.dataDir);
}

/**
 * True once every repository the service uses runs on PostgreSQL (issue 20): the service then
 * opens as a replica of the shared store (src/server/open-service-engine.ts). The lead flips this one line.
 */
const serviceRunsOnPostgres = false;

/** Why the service cannot run on `databaseUrl` yet, or null (see docs/settings.md#postgresql). */
export function serviceStoreProblem(config: { databaseUrl?: string | undefined }): string | null {
  return config.databaseUrl && !serviceRunsOnPostgres
    ? 'DATABASE_URL: the PostgreSQL store holds documents, chunks and the change log, but conversations, site keys, accounts and the audit log are still SQLite-only; unset DATABASE_URL to run the service (issue 20)'
    : null;
}
