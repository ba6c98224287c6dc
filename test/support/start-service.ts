import { serve, type ServerType } from '@hono/node-server';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import type { AppDeps } from '../../src/server/app-deps.js';
import { createApp } from '../../src/server/create-app.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';
import { makeVietnamesePdf } from './make-fixtures.js';

export interface RunningService {
  baseURL: string;
  deps: AppDeps;
  adminToken: string;
  dataDir: string;
  /** Every log line written, for asserting what is (not) logged. */
  logs: string[];
  admin: (path: string, init?: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}

/** A small corpus: the 3-page Vietnamese PDF fixture and a Markdown notice. */
export async function writeSmallCorpus(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tin-hoc.pdf'), await makeVietnamesePdf());
  writeFileSync(
    join(dir, 'hoc-phi.md'),
    '# Học phí\n\n## Mức thu\n\nHọc phí lớp tin học cơ bản là 450.000 đồng mỗi tháng. Lớp buổi tối học từ 18h00 đến 20h30.\n\n## Thư viện\n\nThư viện mở cửa từ 7h00 đến 20h30, thứ Hai đến thứ Sáu.\n',
  );
}

/**
 * Starts the real service (createApp over a real engine, SQLite file and indexes in a temporary
 * folder) on a loopback port. `env` adds settings, e.g. OPENAI_BASE_URL of a fake model server;
 * `options.now` is the clock validity dates are read against.
 */
export async function startService(env: Record<string, string> = {}, options: { now?: () => Date } = {}): Promise<RunningService> {
  const root = mkdtempSync(join(tmpdir(), 'trogiang-service-'));
  const corpus = join(root, 'corpus');
  await writeSmallCorpus(corpus);
  const config = loadConfig({
    DATA_DIR: join(root, 'data'),
    CORPUS_DIR: corpus,
    ADMIN_TOKEN: 'test-admin-token-0123456789',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const { deps } = await openService(config, logger);
  // A clock the test moves (validity dates, issue 18).
  if (options.now) deps.now = options.now;
  const app = createApp(deps);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;
  deps.state.listenOrigin = baseURL; // as the server entry records it once listening
  return {
    baseURL,
    deps,
    adminToken: deps.adminToken,
    dataDir: config.dataDir,
    logs,
    admin: (path, init = {}) =>
      fetch(`${baseURL}/api/admin${path}`, { ...init, headers: { authorization: `Bearer ${deps.adminToken}`, ...(init.headers ?? {}) } }),
    close: async () => {
      await new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
      await deps.limiter.close();
      await deps.engine.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Reads a server-sent event stream into `{ event, data }` records. */
export async function readSse(response: Response): Promise<Array<{ event: string; data: any }>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      return { event, data: data ? JSON.parse(data) : null };
    });
}
