import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { IdleWorker } from '../threads/idle-worker.js';

/** An idle checkpointer is stopped after this long; the next large write starts another. */
const idleMs = 30_000;

// Plain CommonJS run with `eval`: no TypeScript loader needed in the worker. Its own connection
// to the same file: SQLite lets a checkpoint run beside the main connection's readers and writers.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
parentPort.on('message', ({ id }) => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ id, reply: { ok: true, log: row.log, checkpointed: row.checkpointed } });
  } catch (error) {
    parentPort.postMessage({ id, reply: { ok: false, message: String((error && error.message) || error) } });
  }
});
`;

/** What one checkpoint did: frames in the WAL, frames copied into the database; or why it failed. */
export type CheckpointOutcome = { ok: true; log: number; checkpointed: number } | { ok: false; message: string };

/**
 * Runs SQLite WAL checkpoints on a worker thread, with its own connection. A checkpoint copies
 * the WAL's pages into the database file and fsyncs it: after a 10 MB upload (about 40 MB of
 * pages) 0.1-0.3 s that SQLite's automatic checkpoint spent inside the upload's `COMMIT`, on the
 * thread that answers learners. A PASSIVE checkpoint waits for no one and blocks no one (the
 * main connection keeps reading and writing meanwhile); a crash during it is recovered by SQLite
 * on the next open, as any checkpoint. Started on the first request and stopped when idle; it
 * never keeps the process alive.
 */
export class WalCheckpointer {
  private readonly worker: IdleWorker<null, CheckpointOutcome>;

  constructor(path: string) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new IdleWorker(() => new Worker(workerSource, { eval: true, workerData: { module, path }, execArgv: [] }), idleMs);
  }

  /** One PASSIVE checkpoint on the worker; never rejects (a failure is an outcome). */
  checkpoint(): Promise<CheckpointOutcome> {
    return this.worker.call(null).catch((error: Error) => ({ ok: false, message: error.message }));
  }

  /** Stops the worker; checkpoints in flight end as failures (SQLite finishes or recovers them). */
  close(): void {
    void this.worker.close();
  }
}
