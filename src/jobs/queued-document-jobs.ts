import PgBoss from 'pg-boss';
import { setTimeout as sleep } from 'node:timers/promises';
import { documentId, type Engine, type IngestItem, type IngestOutcome } from '../engine/index.js';
import { safeFileName } from '../ingest/index.js';
import { centerOfCollection, type Store } from '../store/index.js';
import type { SqlDb } from '../store/sql/index.js';
import type { DocumentJobs } from './document-jobs.js';
import { IngestStaging } from './ingest-staging.js';

/** The queue of ingest jobs: one job per uploaded file. */
export const ingestQueue = 'trogiang_ingest';
/** The queue of re-index jobs: one document, or one center's documents. */
export const reindexQueue = 'trogiang_reindex';

/** An ingest job's payload: the staged file (its bytes stay in `ingest_staging`). */
export interface IngestJobData {
  stagingId: string;
  collection: string;
  fileName: string;
}
/** A re-index job's payload. */
export type ReindexJobData = { kind: 'document'; id: string } | { kind: 'center'; centerId: string };
/** What a finished job carries back to the process that asked for it (JSON in pg-boss's `output`). */
interface JobOutput {
  outcomes: IngestOutcome[];
  /** A re-index of one document that is not stored. */
  unknown?: boolean;
}

/** Options of `QueuedDocumentJobs.open`; the defaults suit a deployment, tests shorten the times. */
export interface QueuedDocumentJobsOptions {
  /** The PostgreSQL the queue lives in (`DATABASE_URL`, the store's). */
  databaseUrl: string;
  /** The store's connection, holding `ingest_staging`. */
  sql: SqlDb;
  /** pg-boss's own schema (default `pgboss`). */
  bossSchema?: string;
  /**
   * Seconds an ingest job may stay active before it is taken for lost (its process died) and
   * retried elsewhere (default 900). pg-boss 10 has no heartbeat, so this is also the longest one
   * file's ingest may take: a longer one is retried while it runs (harmless, see `runIngest`).
   */
  ingestExpireSeconds?: number;
  /** The same for re-index jobs (default 3,600: a center's whole library). */
  reindexExpireSeconds?: number;
  /** Attempts after the first (default 3). */
  retryLimit?: number;
  /** How often an idle worker looks for jobs, in seconds (default 1; at least 0.5). */
  pollSeconds?: number;
  /** How often expired jobs are looked for, in seconds (default 30; at least 1). A lost job waits expiry + this. */
  maintenanceSeconds?: number;
  /** How often the asking process reads its job's state, in ms (default 250). */
  waitPollMs?: number;
  /** Told about queue errors (a lost connection: pg-boss reconnects). */
  warn?: (message: string, error?: unknown) => void;
  /** Told when this process takes a job (what ran where). */
  onJob?: (queue: string, id: string, data: IngestJobData | ReindexJobData) => void;
}

/** A job that failed on every attempt (its worker died each time, or threw): the caller gets a 500. */
export class DocumentJobFailed extends Error {
  readonly code = 'job_failed';
  constructor(queue: string, id: string, state: string, output: unknown) {
    super(`${queue} job ${id} ended ${state}: ${JSON.stringify(output)?.slice(0, 300)}`);
    this.name = 'DocumentJobFailed';
  }
}

/**
 * Document work as jobs in a PostgreSQL-backed queue (pg-boss; issue 20 item 3). An upload stores
 * each file in `ingest_staging` and enqueues one job per file; whichever process runs a worker
 * (`work`) takes it, ingests through its engine and deletes the staged row; the asking process
 * waits for the job's output, so the upload answers as the in-process runner would. A job whose
 * process was killed expires and is retried by another worker: the staged bytes are still there,
 * and a file that was stored before the kill comes back `unchanged` (the engine replaces by
 * document id and skips an equal content hash), so nothing is lost and nothing stored twice.
 */
export class QueuedDocumentJobs implements DocumentJobs {
  private workers: string[] = [];

  private constructor(
    private readonly boss: PgBoss,
    private readonly staging: IngestStaging,
    private readonly options: QueuedDocumentJobsOptions,
  ) {}

  /** Connects, installs pg-boss's schema when missing and creates both queues. */
  static async open(options: QueuedDocumentJobsOptions): Promise<QueuedDocumentJobs> {
    const warn = options.warn ?? (() => {});
    const boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: options.bossSchema ?? 'pgboss',
      max: 4,
      maintenanceIntervalSeconds: options.maintenanceSeconds ?? 30,
      // Jobs are waited for, not scheduled: no cron clock.
      schedule: false,
    });
    boss.on('error', (error) => warn('job queue error', error));
    await boss.start();
    try {
      const retry = { retryLimit: options.retryLimit ?? 3, retryDelay: 0 };
      for (const [name, expireInSeconds] of [
        [ingestQueue, options.ingestExpireSeconds ?? 900],
        [reindexQueue, options.reindexExpireSeconds ?? 3600],
      ] as const) {
        await boss.createQueue(name, { name, ...retry, expireInSeconds });
        // An existing queue keeps what it was created with: bring it to the current settings.
        await boss.updateQueue(name, { name, ...retry, expireInSeconds });
      }
    } catch (error) {
      await boss.stop({ graceful: false, wait: true });
      throw error;
    }
    return new QueuedDocumentJobs(boss, new IngestStaging(options.sql), options);
  }

  async ingest(items: readonly IngestItem[]): Promise<IngestOutcome[]> {
    const ids: string[] = [];
    for (const item of items) {
      const stagingId = await this.staging.put(item);
      const data: IngestJobData = { stagingId, collection: item.collection, fileName: item.fileName };
      ids.push(await this.send(ingestQueue, data));
    }
    const outputs = await Promise.all(ids.map((id) => this.result(ingestQueue, id)));
    return outputs.map((o) => o.outcomes[0]!);
  }

  async reindexDocument(id: string): Promise<IngestOutcome | undefined> {
    const output = await this.result(reindexQueue, await this.send(reindexQueue, { kind: 'document', id }));
    return output.unknown ? undefined : output.outcomes[0];
  }

  async reindexCenter(centerId: string): Promise<IngestOutcome[]> {
    return (await this.result(reindexQueue, await this.send(reindexQueue, { kind: 'center', centerId }))).outcomes;
  }

  /**
   * Takes jobs from both queues with `engine` until `close`: one job at a time per queue (the
   * engine serialises its writes anyway). Every replica may run one; so may a worker process.
   */
  async work(engine: Engine<Store>): Promise<void> {
    const poll = { batchSize: 1, pollingIntervalSeconds: this.options.pollSeconds ?? 1 };
    this.workers.push(
      await this.boss.work<IngestJobData>(ingestQueue, poll, async ([job]) => {
        this.options.onJob?.(ingestQueue, job!.id, job!.data);
        return this.runIngest(engine, job!.data);
      }),
      await this.boss.work<ReindexJobData>(reindexQueue, poll, async ([job]) => {
        this.options.onJob?.(reindexQueue, job!.id, job!.data);
        return runReindex(engine, job!.data);
      }),
    );
  }

  /** Stops the workers (waiting for a running job, up to 30 s) and closes the connections. */
  async close(): Promise<void> {
    for (const id of this.workers.splice(0)) await this.boss.offWork({ id });
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }

  /** The job's state as pg-boss keeps it (tests). */
  job(queue: string, id: string) {
    return this.boss.getJobById(queue, id, { includeArchive: true });
  }

  private async send(queue: string, data: IngestJobData | ReindexJobData): Promise<string> {
    const id = await this.boss.send(queue, data);
    if (!id) throw new Error(`${queue}: the job was not enqueued`);
    return id;
  }

  /** Waits for a job to finish; its output, or `DocumentJobFailed` once no attempt is left. */
  private async result(queue: string, id: string): Promise<JobOutput> {
    for (;;) {
      const job = await this.boss.getJobById<unknown>(queue, id, { includeArchive: true });
      if (!job) throw new DocumentJobFailed(queue, id, 'missing', null);
      if (job.state === 'completed') return job.output as JobOutput;
      if (job.state === 'failed' || job.state === 'cancelled') {
        // A file no attempt could ingest: its bytes need not wait any longer.
        if (queue === ingestQueue) await this.staging.delete((job.data as IngestJobData).stagingId);
        throw new DocumentJobFailed(queue, id, job.state, job.output);
      }
      await sleep(this.options.waitPollMs ?? 250);
    }
  }

  /**
   * One staged file through the engine, then its staged row deleted. On a retry after a crash the
   * row is still there unless the crash came between the delete and pg-boss's completion: then
   * the file is stored, and the stored document is the outcome.
   */
  async runIngest(engine: Engine<Store>, data: IngestJobData): Promise<JobOutput> {
    const staged = await this.staging.get(data.stagingId);
    if (!staged) {
      const fileName = safeFileName(data.fileName);
      const document = await engine.store.getDocument(documentId(data.collection, fileName));
      if (!document) throw new Error(`staged upload ${data.stagingId} (${data.fileName}) is gone and was not stored`);
      return { outcomes: [{ status: 'unchanged', fileName, document }] };
    }
    const outcomes = await engine.ingest([{ bytes: staged.bytes, fileName: staged.fileName, collection: staged.collection }]);
    await this.staging.delete(staged.id);
    return { outcomes };
  }
}

async function runReindex(engine: Engine<Store>, data: ReindexJobData): Promise<JobOutput> {
  if (data.kind === 'document') {
    const outcome = await engine.reindexDocument(data.id);
    return outcome ? { outcomes: [outcome] } : { outcomes: [], unknown: true };
  }
  return { outcomes: await engine.reindexAll(undefined, (d) => centerOfCollection(d.collection) === data.centerId) };
}
