import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type pino from 'pino';
import { ConfigError, type Config } from '../config.js';
import { createEmbeddingsFromConfig } from '../embed/index.js';
import { acquireDataFolderLock, acquireFollowerLock, Engine, type EngineOptions } from '../engine/index.js';
import { listenForChanges, openSqliteStore, openStore, PostgresStore, type TrogiangStore } from '../store/index.js';
import type { ProcessInfo } from './process-info.js';

/**
 * The service's engine for its settings:
 * - SQLite (no `DATABASE_URL`): the data folder's one writer, or with `PROCESSES` a writer and
 *   followers of its change log (docs/operations.md#several-processes-on-one-machine);
 * - PostgreSQL (`DATABASE_URL`): a replica (`Engine.openReplica`): it reads and writes the shared
 *   store, follows its change log woken by `LISTEN/NOTIFY`, and keeps only its index cache in
 *   `DATA_DIR` (one folder per replica, locked like a data folder).
 * The engine's `close` releases the folder lock.
 */
export async function openServiceEngine(
  config: Config,
  logger: pino.Logger,
  options: { processes?: ProcessInfo; onIndexesChanged?: () => void } = {},
): Promise<Engine> {
  const { embeddings, embedderId, dimensions } = createEmbeddingsFromConfig(config);
  const replica = config.databaseUrl !== undefined;
  if (replica && options.processes)
    throw new ConfigError('invalid setting: PROCESSES above 1 with DATABASE_URL: run one process per replica, each with its own DATA_DIR');
  const follower = options.processes?.role === 'follower';
  // The service is the data folder's one writer while it runs: CLI commands refuse (exit code 3).
  // A follower process shares the folder with it, as a reader; a replica's folder is its index cache.
  const lock = follower
    ? acquireFollowerLock(config.dataDir, `trogiang service follower ${options.processes!.index}`)
    : acquireDataFolderLock(config.dataDir, 'service', replica ? 'trogiang service (PostgreSQL replica)' : 'trogiang service');
  try {
    const store = replica ? await openStore(config) : openSqliteStore(config.dataDir);
    const engineOptions: EngineOptions = {
      store,
      dataDir: config.dataDir,
      ...(embeddings ? { embeddings, embedderId } : {}),
      ...(dimensions ? { dimensions } : {}),
      limits: config.limits,
      log: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
      onClose: () => lock.release(),
      ...(options.onIndexesChanged && { onIndexesChanged: options.onIndexesChanged }),
    };
    if (replica) {
      return await Engine.openReplica({
        ...engineOptions,
        // Stable for this cache folder, so a restarted replica takes its own place in the registry.
        replicaId: `${hostname()}:${resolve(config.dataDir)}`,
        ...(store instanceof PostgresStore && {
          listen: (wake: () => void) => listenForChanges(store, wake, { log: (message) => logger.warn(message) }),
        }),
      });
    }
    return follower
      ? await Engine.openFollower({ ...engineOptions, followerId: `${hostname()}:${process.pid}` })
      : await Engine.open(engineOptions);
  } catch (error) {
    lock.release();
    throw error;
  }
}
