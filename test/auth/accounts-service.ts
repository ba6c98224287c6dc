import { serve, type ServerType } from '@hono/node-server';
import type Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthOptions } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/server/app-deps.js';
import { authServiceFor } from '../../src/server/auth-service-for.js';
import { createApp } from '../../src/server/create-app.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';
import type { SqliteStore } from '../../src/store/index.js';

export const operatorToken = 'operator-token-0123456789';

export interface AccountsService {
  baseURL: string;
  deps: AppDeps;
  /** The app served (its `routes` list every route). */
  app: Hono;
  /** A JSON request with the operator's bearer token. */
  operator: (path: string, method?: string, body?: unknown) => Promise<Response>;
  close: () => Promise<void>;
}

/**
 * The real service (createApp over a real engine and SQLite file, on a loopback port) with an
 * empty corpus, so it starts in a moment, and account options of the test's choosing.
 */
export async function startAccountsService(options: Partial<AuthOptions> = {}, env: Record<string, string> = {}): Promise<AccountsService> {
  const root = mkdtempSync(join(tmpdir(), 'trogiang-accounts-'));
  mkdirSync(join(root, 'corpus'));
  const config = loadConfig({
    DATA_DIR: join(root, 'data'),
    CORPUS_DIR: join(root, 'corpus'),
    ADMIN_TOKEN: operatorToken,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const { deps } = await openService(config, createLogger('silent'));
  deps.auth = authServiceFor(deps.engine.store, options);
  const app = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  deps.state.listenOrigin = baseURL;
  return {
    baseURL,
    deps,
    app,
    operator: (path, method = 'GET', body) =>
      fetch(`${baseURL}${path}`, {
        method,
        headers: { authorization: `Bearer ${operatorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    close: async () => {
      await new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
      await deps.engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The `name=value` of the session cookie a response sets (undefined when none). */
export function sessionCookie(res: Response): string | undefined {
  const set = res.headers.getSetCookie().find((c) => /^(?:__Host-)?trogiang_session=[^;]+/.test(c));
  return set?.split(';')[0];
}

/** The service's SQLite connection, for tests that read rows straight from the tables. */
export const sqliteOf = (svc: AccountsService): Database.Database => (svc.deps.engine.store as SqliteStore).db;
