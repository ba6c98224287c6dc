import type { Engine } from '../engine/index.js';
import type { Store } from '../store/index.js';
import { inProcessDocumentJobs, type DocumentJobs } from './document-jobs.js';
import { QueuedDocumentJobs, type QueuedDocumentJobsOptions } from './queued-document-jobs.js';

/**
 * The document-job runner for a service: on PostgreSQL (`databaseUrl` set and the engine's store
 * is PostgreSQL) a queue that every replica works (`work: false` on a process that only asks,
 * such as a follower); otherwise this process's engine, as before.
 */
export async function openDocumentJobs(
  engine: Engine<Store>,
  options: { databaseUrl: string | undefined; work?: boolean } & Partial<Omit<QueuedDocumentJobsOptions, 'databaseUrl' | 'sql'>>,
): Promise<DocumentJobs> {
  const store = engine.store;
  if (!options.databaseUrl || store.kind !== 'postgres' || !('sql' in store)) return inProcessDocumentJobs(engine);
  const { work = true, ...queue } = options;
  const jobs = await QueuedDocumentJobs.open({ ...queue, databaseUrl: options.databaseUrl, sql: (store as PostgresLike).sql });
  if (work) await jobs.work(engine);
  return jobs;
}

type PostgresLike = { sql: QueuedDocumentJobsOptions['sql'] };
