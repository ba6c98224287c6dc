import type { Worker } from 'node:worker_threads';

/** The worker could not answer (failed to start, crashed, was stopped): the caller does the work itself. */
export class WorkerLost extends Error {
  override readonly name = 'WorkerLost';
}

/**
 * One worker thread for occasional heavy jobs, started on the first call and stopped after
 * `idleMs` without one; it never keeps the process alive. Calls are matched to replies by id:
 * the worker receives `{ id, message }` and must post `{ id, reply }`.
 */
export class IdleWorker<Message, Reply> {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly spawn: () => Worker,
    private readonly idleMs = 30_000,
  ) {}

  call(message: Message, transfer: readonly Transferable[] = []): Promise<Reply> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    let worker: Worker;
    try {
      worker = this.start();
    } catch (error) {
      return Promise.reject(new WorkerLost((error as Error).message));
    }
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, message }, transfer as never);
    });
  }

  /** Stops the worker; calls in flight fail with `WorkerLost`. */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    this.worker = null;
    this.failAll('the worker was stopped');
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = this.spawn();
    worker.on('message', ({ id, reply }: { id: number; reply: Reply }) => this.settle(id, reply));
    worker.on('error', (error) => this.lost(worker, `the worker failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `the worker exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  private settle(id: number, reply: Reply): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    waiting.resolve(reply);
    if (this.pending.size > 0 || !this.worker) return;
    const worker = this.worker;
    worker.unref();
    this.idleTimer = setTimeout(() => {
      if (this.worker === worker && this.pending.size === 0) {
        this.worker = null;
        void worker.terminate();
      }
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failAll(reason);
  }

  private failAll(reason: string): void {
    for (const { reject } of this.pending.values()) reject(new WorkerLost(reason));
    this.pending.clear();
  }
}
