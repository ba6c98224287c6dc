import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { IngestError, type IngestErrorCode } from '../ingest/index.js';
import type { PreparedContent, PrepareRequest } from './prepare-content.js';

export type PrepareReply =
  | { id: number; ok: true; content: PreparedContent }
  | { id: number; ok: false; ingestError: { code: IngestErrorCode; message: string; messageVi: string } }
  | { id: number; ok: false; message: string };

/** The worker could not run (failed to start, crashed, ran out of memory): the caller reads the file itself. */
export class PrepareWorkerFailure extends Error {
  override readonly name = 'PrepareWorkerFailure';
}

const boot = new URL('../indexes/ts-worker-boot.mjs', import.meta.url);
const entry = new URL('./prepare-worker.ts', import.meta.url).href;
/** An idle worker is stopped after this long; the next large upload starts another (about 0.3 s). */
const idleMs = 30_000;
/** Bytes copied between two yields when handing a file to the worker (well under a millisecond each). */
const copyStep = 1 << 20;

/**
 * A copy of `bytes` in a buffer of its own, made 1 MB at a time with a yield between: it is then
 * transferred to the worker, not cloned. Cloning a 27 MB PDF into the message (postMessage's
 * serializer, which also copies all of a Buffer's shared pool) held the event loop 0.2-0.8 s here.
 */
async function ownCopy(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const copy = new Uint8Array(bytes.length);
  for (let at = 0; at < bytes.length; at += copyStep) {
    copy.set(bytes.subarray(at, Math.min(bytes.length, at + copyStep)), at);
    await nextMacrotask();
  }
  return copy;
}

/**
 * Reads large files on one worker thread, so the parse, normalisation, chunking and feature
 * extraction of a 10 MB upload (about 3 s here) or a 2,000-page PDF no longer hold the thread
 * that answers learners. One worker, requests in order: a second core is what the machine has to
 * spare, and concurrent uploads still each make progress. It is started on the first request
 * and stopped when idle; it never keeps the process alive.
 */
export class PrepareOffThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (c: PreparedContent) => void; reject: (e: Error) => void }>();
  private idleTimer: NodeJS.Timeout | null = null;

  async prepare(request: PrepareRequest): Promise<PreparedContent> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    // A copy of the bytes goes over; the caller keeps its own (it stores them).
    const bytes = await ownCopy(request.bytes);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<PreparedContent>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, request: { ...request, bytes } }, [bytes.buffer]);
    });
  }

  /** Stops the worker; requests in flight fail with `PrepareWorkerFailure`. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    this.failAll('the file reader was stopped');
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // No inherited Node flags (as in background-vector-build.ts): a parent started with
    // `--import some.ts` would have the worker import it before tsx is registered.
    const worker = new Worker(boot, { workerData: { entry }, execArgv: [] });
    worker.on('message', (reply: PrepareReply) => this.settle(reply));
    worker.on('error', (error) => this.lost(worker, `the file reader failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `the file reader exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private settle(reply: PrepareReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.content);
    else if ('ingestError' in reply) waiting.reject(new IngestError(reply.ingestError.code, reply.ingestError.message, reply.ingestError.messageVi));
    else waiting.reject(new Error(reply.message));
    if (this.pending.size === 0 && this.worker) {
      this.worker.unref();
      const worker = this.worker;
      this.idleTimer = setTimeout(() => {
        if (this.worker === worker && this.pending.size === 0) {
          this.worker = null;
          void worker.terminate();
        }
      }, idleMs);
      this.idleTimer.unref();
    }
  }

  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    for (const { reject } of this.pending.values()) reject(new PrepareWorkerFailure(reason));
    this.pending.clear();
  }
}
