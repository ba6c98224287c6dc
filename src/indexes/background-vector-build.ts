import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HnswSettings } from './vector-index.js';

/** What the worker starts from: the graph so far (a file written for it, or none) and its ids. */
export interface BuildStart {
  entry: string;
  dimensions: number;
  settings: HnswSettings;
  snapshot: string | null;
  collections: Array<[number, string]>;
  /** Elements the graph will hold, reserved at once instead of doubling as it grows. */
  capacity: number;
}

export type BuildMessage =
  | { op: 'add'; ids: Int32Array; vectors: Float32Array; collections: string[] }
  | { op: 'remove'; id: number }
  | { op: 'finish'; path: string };

export type BuildReply = { op: 'saved'; path: string } | { op: 'failed'; message: string };

const boot = new URL('./ts-worker-boot.mjs', import.meta.url);
const entry = new URL('./vector-build-worker.ts', import.meta.url).href;
/** Adds are sent in groups: one message per vector costs more than the copy. */
const groupSize = 64;

/**
 * The HNSW graph of a large ingest built on a second core. Inserting into the graph is about
 * 40% of an ingest's time and hnswlib-node inserts on the calling thread only, so a worker thread
 * applies the adds to a copy of the graph while this thread chunks, embeds, stores and indexes
 * the text; the caller then swaps the copy in (`VectorIndex.finishBackgroundBuild`).
 *
 * This side only forwards operations in order and reports the written graph or a failure; the
 * caller keeps the new vectors searchable meanwhile, and on a failure inserts them itself.
 */
export class BackgroundVectorBuild {
  private readonly worker: Worker;
  private failure: string | null = null;
  private saved: ((path: string) => void) | null = null;
  private group: { ids: number[]; vectors: Float32Array; collections: string[] };

  private constructor(
    private readonly dir: string,
    start: BuildStart,
  ) {
    this.group = this.emptyGroup(start.dimensions);
    // No inherited Node flags: a parent started with `--import some.ts` would have the worker
    // import that file before the boot module registers tsx, and fail.
    this.worker = new Worker(boot, { workerData: start, execArgv: [] });
    this.worker.on('message', (reply: BuildReply) => {
      if (reply.op === 'failed') this.fail(reply.message);
      else this.saved?.(reply.path);
    });
    this.worker.on('error', (error) => this.fail(error.message));
    this.worker.on('exit', (code) => this.fail(`the build worker exited (code ${code})`));
  }

  /**
   * Starts a worker from the graph written by `writeSnapshot` (into `dir`, which is created and
   * owned by the build), or from an empty graph when it writes nothing.
   */
  static start(
    dir: string,
    options: Omit<BuildStart, 'entry' | 'snapshot'>,
    writeSnapshot: (path: string) => boolean,
  ): BackgroundVectorBuild {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'start.hnsw');
    const snapshot = writeSnapshot(path) ? path : null;
    return new BackgroundVectorBuild(dir, { ...options, entry, snapshot });
  }

  get failed(): string | null {
    return this.failure;
  }

  add(id: number, vector: ArrayLike<number>, collection: string): void {
    if (this.failure) return;
    const { group } = this;
    const d = vector.length;
    group.vectors.set(vector, group.ids.length * d);
    group.ids.push(id);
    group.collections.push(collection);
    if (group.ids.length === groupSize) this.flush();
  }

  remove(id: number): void {
    if (this.failure) return;
    this.flush();
    this.post({ op: 'remove', id });
  }

  /** The path of the graph with every operation sent so far, or null when the worker failed. */
  finish(): Promise<string | null> {
    this.flush();
    if (this.failure) return Promise.resolve(null);
    return new Promise((resolve) => {
      const path = join(this.dir, 'built.hnsw');
      this.saved = resolve;
      this.onFailure = () => resolve(null);
      this.post({ op: 'finish', path });
    });
  }

  /** Stops the worker and removes its files; a `finish` still waiting resolves with null. */
  async dispose(): Promise<void> {
    this.fail('disposed');
    await this.worker.terminate();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private onFailure: (() => void) | null = null;

  private fail(message: string): void {
    if (this.failure) return;
    this.failure = message;
    this.onFailure?.();
  }

  private flush(): void {
    const { group } = this;
    if (group.ids.length === 0 || this.failure) return;
    const n = group.ids.length;
    const d = group.vectors.length / groupSize;
    const vectors = group.vectors.slice(0, n * d);
    this.post({ op: 'add', ids: Int32Array.from(group.ids), vectors, collections: group.collections }, [vectors.buffer]);
    this.group = this.emptyGroup(d);
  }

  private emptyGroup(dimensions: number) {
    return { ids: [] as number[], vectors: new Float32Array(groupSize * dimensions), collections: [] as string[] };
  }

  private post(message: BuildMessage, transfer: ArrayBuffer[] = []): void {
    try {
      this.worker.postMessage(message, transfer);
    } catch (error) {
      this.fail((error as Error).message);
    }
  }
}
