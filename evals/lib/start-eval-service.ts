import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/server/create-app.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';

/**
 * The learner rate limit of the evaluation's own service. The default (30 questions a minute per
 * address) would throttle an evaluation that asks about 200 turns from one address in well under a
 * minute; this service is private to the run (loopback, temporary data folder), so the limit is
 * raised to the setting's maximum instead of sleeping through 429s.
 */
export const evalRatePerMinute = 100_000;

export interface EvalService {
  baseUrl: string;
  adminToken: string;
  /** The temporary data folder (deleted by `close()`). */
  dataDir: string;
  /** What answered, for the report: `own service (extractive, offline)` or `… (gpt-4o-mini)`. */
  description: string;
  close: () => Promise<void>;
}

export interface StartEvalServiceOptions {
  corpusDir: string;
  /**
   * Use this process's settings (`OPENAI_BASE_URL`, `CHAT_MODEL`, `EMBEDDINGS`, …) as a deployment
   * would; by default the service runs with the defaults of a fresh install: offline, extractive
   * answers, local embeddings.
   */
  useEnvSettings?: boolean;
  env?: Record<string, string | undefined>;
}

/**
 * Starts the real service, as `npm start` does (openService → createApp → serve), on a loopback
 * port chosen by the system, over a temporary data folder into which it ingests `corpusDir`.
 * `close()` stops it and deletes the folder.
 */
export async function startEvalService(options: StartEvalServiceOptions): Promise<EvalService> {
  const root = mkdtempSync(join(tmpdir(), 'trogiang-conv-eval-'));
  try {
    const adminToken = randomBytes(24).toString('hex');
    const base = options.useEnvSettings ? (options.env ?? process.env) : {};
    const config = loadConfig({
      ...base,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: join(root, 'data'),
      CORPUS_DIR: options.corpusDir,
      ADMIN_TOKEN: adminToken,
      RATE_LIMIT_PER_MINUTE: String(evalRatePerMinute),
      LOG_LEVEL: 'warn',
    });
    const logger = createLogger(config.logLevel, process.stderr);
    const { deps } = await openService(config, logger);
    const app = createApp(deps);
    const server: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      adminToken,
      dataDir: config.dataDir,
      description: `own service on 127.0.0.1:${port} (${deps.chat ? `answers by ${config.llm!.model}` : 'extractive answers, offline'})`,
      close: async () => {
        await new Promise<void>((resolve) => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          server.close(() => resolve());
        });
        await deps.engine.close();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
