import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** An idle checkpointer is stopped after this long; the next large write starts another. */
const idleMs = 30_000;

// Plain CommonJS run with `eval`: no TypeScript loader needed in the worker. Its own connection
// to the same file: SQLite lets a checkpoint run beside the main connection's readers and writers.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { fileMustExist: true });
parentPort.on('message', (id) => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ id, ok: true, busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: String((error && error.message) || error) });
  }
});
`;

/** What one checkpoint did: frames in the WAL, frames copied into the database; or why it failed. */
export type CheckpointOutcome =
  | { ok: true; log: number; checkpointed: number }
  | { ok: false; message: string };

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
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (outcome: CheckpointOutcome) => void>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly path: string) {}

  /** One PASSIVE checkpoint on the worker; never rejects (a failure is an outcome). */
  checkpoint(): Promise<CheckpointOutcome> {
    let worker: Worker;
    try {
      worker = this.start();
    } catch (error) {
      return Promise.resolve({ ok: false, message: (error as Error).message });
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const id = this.nextId++;
    return new Promise<CheckpointOutcome>((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage(id);
    });
  }

  /** Stops the worker; checkpoints in flight end as failures (SQLite finishes or recovers them). */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    this.failAll('the checkpointer was stopped');
    if (worker) void worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(workerSource, { eval: true, workerData: { module, path: this.path }, execArgv: [] });
    worker.unref();
    worker.on('message', (reply: { id: number; ok: boolean; log?: number; checkpointed?: number; message?: string }) => {
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply.ok ? { ok: true, log: reply.log ?? 0, checkpointed: reply.checkpointed ?? 0 } : { ok: false, message: reply.message ?? 'unknown' });
      if (this.pending.size === 0) this.idleLater(worker);
    });
    worker.on('error', (error) => this.lost(worker, `the checkpointer failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `the checkpointer exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private idleLater(worker: Worker): void {
    this.idleTimer = setTimeout(() => {
      if (this.worker === worker && this.pending.size === 0) {
        this.worker = null;
        void worker.terminate();
      }
    }, idleMs);
    this.idleTimer.unref();
  }

  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, message: reason });
    this.pending.clear();
  }
}
