import { ConfigError, type Config } from '../config.js';
import { createChatModelFromConfig } from '../answer/index.js';
import { collectFiles, type Engine } from '../engine/index.js';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type pino from 'pino';
import type { AppDeps } from './app-deps.js';
import { resolveAdminToken } from './admin-token.js';
import { createMetrics } from './metrics.js';
import { registerLagMetrics } from './lag-metrics.js';
import type { ProcessInfo } from './process-info.js';
import { openRateLimiter } from './open-rate-limiter.js';
import { openDocumentJobs } from '../jobs/index.js';
import { corpusIngestDue, firstStartSetting, markCorpusIngest } from '../store/index.js';
import { openServiceEngine } from './open-service-engine.js';

/**
 * Opens everything the app needs from the settings: the engine on the data folder (ingesting
 * `CORPUS_DIR` on a data folder's first start), the chat model when an endpoint is configured, the
 * admin token, metrics and the rate limiter.
 */
export async function openService(
  config: Config,
  logger: pino.Logger,
  options: { processes?: ProcessInfo; onIndexesChanged?: () => void } = {},
): Promise<{ deps: AppDeps; adminTokenCreated: boolean }> {
  // SQLite writer or follower, or a PostgreSQL replica (src/server/open-service-engine.ts).
  const engine = await openServiceEngine(config, logger, options);
  const follower = options.processes?.role === 'follower';
  // The corpus of a new folder is the writer's to ingest (a follower follows it in).
  if (!follower) await ingestCorpusOnFirstStart(engine, config, logger);
  // Uploads and re-indexing: in this process on SQLite; on PostgreSQL, jobs in a queue that every
  // writing replica works, so a replica killed mid-ingest leaves its job to another (issue 20 item 3).
  const documentJobs = await openDocumentJobs(engine, {
    databaseUrl: config.databaseUrl,
    work: !follower,
    ingestExpireSeconds: config.jobTimeoutSeconds,
    reindexExpireSeconds: Math.max(3600, config.jobTimeoutSeconds),
    // A job whose replica died is looked for this often: a quarter of the timeout, 1-30 s.
    maintenanceSeconds: Math.min(30, Math.max(1, Math.floor(config.jobTimeoutSeconds / 4))),
    // The message and code only: pg-boss's errors carry the connection (with its settings) along.
    warn: (message, error) => logger.warn({ err: briefError(error) }, message),
  });
  const { token, created } = resolveAdminToken(config.adminToken, config.dataDir);
  const chat = createChatModelFromConfig(config);
  const metrics = createMetrics();
  if (options.processes) registerLagMetrics(metrics, engine, options.processes);
  else if (engine.isReplica) registerLagMetrics(metrics, engine, { role: 'replica', index: 0 });
  return {
    deps: {
      config,
      engine,
      chat,
      adminToken: token,
      logger,
      metrics,
      limiter: await openRateLimiter(config, logger, { prefix: config.redisPrefix }),
      documentJobs,
      state: { draining: false },
      ...(options.processes && { processes: options.processes }),
    },
    adminTokenCreated: created,
  };
}

/**
 * Ingests `CORPUS_DIR` once in a data folder's life (see `corpusIngestDue`): the marker says
 * `ingesting` while it runs, so a crash resumes it, and `done` after.
 */
async function ingestCorpusOnFirstStart(engine: Engine, config: Config, logger: pino.Logger): Promise<void> {
  const store = engine.store;
  const due = await corpusIngestDue(store);
  // A full disk must not keep the service from starting: the marker is then written on a later start.
  const mark = async (state: 'ingesting' | 'done'): Promise<boolean> => {
    const written = await markCorpusIngest(store, state);
    if (!written) logger.warn('could not record the first start of the data folder');
    return written;
  };
  if (!due) {
    if ((await store.getSetting(firstStartSetting)) === undefined) await mark('done');
    return;
  }
  if (!(await mark('ingesting'))) return;
  try {
    const files = collectFiles([config.corpusDir]);
    logger.info({ corpus: config.corpusDir, files: files.length }, 'new data folder: ingesting the corpus');
    const outcomes = await engine.ingest(
      files.map((f) => ({ bytes: readFileSync(f), fileName: basename(f), collection: config.defaultCollection })),
      (done, total, o) => logger.info({ done, total, file: o.fileName, status: o.status }, 'ingest'),
    );
    for (const o of outcomes) if (o.status === 'failed') logger.warn({ file: o.fileName, code: o.code }, o.message);
  } catch (error) {
    logger.warn({ err: error, corpus: config.corpusDir }, 'could not ingest the corpus folder');
  }
  await mark('done');
}

/** An error as a log line may show it: message and code, none of the objects it carries. */
function briefError(error: unknown): { message: string; code?: string } | undefined {
  if (error === undefined) return undefined;
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { message: error.message, ...(typeof code === 'string' && { code }) };
}
