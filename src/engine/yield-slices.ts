import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** Work between two yields to the event loop, in milliseconds (see `Slicer`). */
export const defaultSliceMs = 12;

/**
 * Pending BM25 postings moved into their lists during sliced adds once there are this many
 * (`Bm25Index.flushIfOver`): about 10-20 ms of flush each, instead of one flush of a whole upload's
 * postings (5M at 10 MB: 0.3-0.9 s) at the next search or save.
 */
export const flushPostingsAt = 1 << 18;

/**
 * Cooperative slicing of long main-thread work: `maybeYield` awaits a macrotask once `sliceMs`
 * of work has run since the last yield, so pending requests (`/healthz`, a learner's search) are
 * served between slices instead of after the whole ingest. Before, indexing a 10 MB upload held
 * the event loop for about 10 s at once. A promise's microtask would not do: Node runs the whole
 * microtask queue before it looks at sockets again.
 *
 * Work that must not be interleaved with other writers (the indexes) is serialised by the caller;
 * the slicer only lets readers in.
 */
export class Slicer {
  private started = performance.now();
  /** How many times it yielded (the tests count slices instead of timing them). */
  yields = 0;

  constructor(private readonly sliceMs = defaultSliceMs) {}

  /** Yields when the current slice is used up; cheap to call per item. */
  async maybeYield(): Promise<void> {
    if (performance.now() - this.started < this.sliceMs) return;
    await nextMacrotask();
    this.yields++;
    this.started = performance.now();
  }

  /** Runs `work` on each item in order, yielding between items as slices run out. */
  async each<T>(items: Iterable<T>, work: (item: T, index: number) => void): Promise<void> {
    let i = 0;
    for (const item of items) {
      await this.maybeYield();
      work(item, i++);
    }
  }

  /** `items.map(work)`, sliced. */
  async map<T, U>(items: readonly T[], work: (item: T, index: number) => U): Promise<U[]> {
    const out: U[] = new Array(items.length);
    for (let i = 0; i < items.length; i++) {
      await this.maybeYield();
      out[i] = work(items[i]!, i);
    }
    return out;
  }
}

/**
 * Runs async sections one after another, in call order: the index writers of concurrent uploads
 * (IDF statistics, BM25, vectors, saves) take turns, so slicing never interleaves two of them and
 * the result is the same as one upload after the other.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `section` after every section queued before it has settled (failed ones included). */
  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
