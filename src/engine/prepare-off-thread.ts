import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { IdleWorker, WorkerLost } from '../threads/idle-worker.js';
import { IngestError, type IngestErrorCode } from '../ingest/index.js';
import type { PreparedContent, PrepareRequest } from './prepare-content.js';

export type PrepareReply =
  | { ok: true; content: PreparedContent }
  | { ok: false; ingestError: { code: IngestErrorCode; message: string; messageVi: string } }
  | { ok: false; message: string };

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
  // No inherited Node flags (as in background-vector-build.ts): a parent started with
  // `--import some.ts` would have the worker import it before tsx is registered.
  private readonly worker = new IdleWorker<PrepareRequest, PrepareReply>(
    () => new Worker(boot, { workerData: { entry }, execArgv: [] }),
    idleMs,
  );

  async prepare(request: PrepareRequest): Promise<PreparedContent> {
    // A copy of the bytes goes over; the caller keeps its own (it stores them).
    const bytes = await ownCopy(request.bytes);
    let reply: PrepareReply;
    try {
      reply = await this.worker.call({ ...request, bytes }, [bytes.buffer]);
    } catch (error) {
      throw error instanceof WorkerLost ? new PrepareWorkerFailure(error.message.replace(/^the worker/, 'the file reader')) : error;
    }
    if (reply.ok) return reply.content;
    if ('ingestError' in reply) throw new IngestError(reply.ingestError.code, reply.ingestError.message, reply.ingestError.messageVi);
    throw new Error(reply.message);
  }

  /** Stops the worker; requests in flight fail with `PrepareWorkerFailure`. */
  close(): Promise<void> {
    return this.worker.close();
  }
}
