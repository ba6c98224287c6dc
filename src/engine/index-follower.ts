import type { Store } from '../store/index.js';
import type { IndexSet } from './index-set.js';
import type { FollowerRegistry } from './follower-registry.js';
import { Slicer } from './yield-slices.js';

/** How far a follower's indexes are behind the store (readiness and `/metrics` report it). */
export interface FollowerLag {
  /** The change-log generation the indexes have applied. */
  appliedGeneration: number;
  /** The store's latest generation. */
  storeGeneration: number;
  /** Generations the indexes still have to apply. */
  generationsBehind: number;
  /** 0 when caught up; otherwise seconds since the indexes were last caught up. */
  secondsBehind: number;
  /** Seconds since a change was last applied (or since the follower started). */
  secondsSinceApplied: number;
  /** Times the log no longer reached back and the indexes were reloaded or rebuilt. */
  reloads: number;
}

/** What a follower needs from the engine it keeps in step. */
export interface FollowerHost {
  /** The store, with its follower registry when it has one (the PostgreSQL one may not yet). */
  store: Store & { readonly followers?: FollowerRegistry };
  /** The index set searches use now. */
  current(): IndexSet;
  /** The newest saved set caught up to a generation (or rebuilt from the store), not yet in use. */
  load(): Promise<{ indexes: IndexSet; generation: number }>;
  /** Makes `indexes` the set searches use. */
  swap(indexes: IndexSet): void;
  /** Called after each catch-up with the generation reached (a replica saves its indexes when due). */
  caughtUp?(generation: number): Promise<void>;
}

export interface IndexFollowerOptions {
  /** This follower's id in the store's follower registry. */
  id: string;
  /** Fallback poll of the store's generation, in ms (default 1,000): the writer's wake-up message usually comes first. */
  pollMs?: number;
  /** Heartbeat written to the registry, in ms (default 5,000; stale after `followerStaleAfterMs`). */
  heartbeatMs?: number;
  log: (message: string) => void;
}

/**
 * Keeps a follower process's indexes in step with the writer's change log (issue 20 item 5):
 * woken by the writer after each commit (`wake`) or by a short poll, it applies the changes
 * after the generation it has reached, in slices; when the log no longer reaches back it loads
 * the newest saved set (or rebuilds from the store) and swaps it in. It records its generation
 * in the store so the writer never trims what it still needs.
 */
export class IndexFollower {
  private applied: number;
  private caughtUpAt = Date.now();
  private appliedAt = Date.now();
  private reloads = 0;
  private running: Promise<void> | undefined;
  private again = false;
  private reported = -1;
  private poll: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly waiters: Array<{ generation: number; resolve: (reached: boolean) => void }> = [];
  private stopped = false;
  /** Set while the store cannot be read (an outage): logged once when it starts and once when it ends. */
  private failing = false;

  constructor(
    private readonly host: FollowerHost,
    generation: number,
    private readonly options: IndexFollowerOptions,
  ) {
    this.applied = generation;
  }

  /** The generation the indexes have applied. */
  get generation(): number {
    return this.applied;
  }

  /** Starts the fallback poll and the heartbeat (timers that do not keep the process alive). */
  start(): void {
    this.poll = setInterval(() => this.wake(), this.options.pollMs ?? 1000);
    this.poll.unref();
    this.heartbeat = setInterval(() => void this.report(true), this.options.heartbeatMs ?? 5000);
    this.heartbeat.unref();
  }

  /** Catches up soon (the writer committed a change). */
  wake(): void {
    void this.catchUp().then(
      () => {
        if (!this.failing) return;
        this.failing = false;
        this.options.log(`following the change log again (generation ${this.applied})`);
      },
      (error: unknown) => {
        // Once per outage, not once per poll: the next wake-up retries.
        if (this.failing) return;
        this.failing = true;
        this.options.log(`could not follow the change log (retrying): ${(error as Error).message}`);
      },
    );
  }

  /** Applies every change committed so far; concurrent calls share one run (and one more after it). */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.step();
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async step(): Promise<void> {
    const store = this.host.store;
    for (;;) {
      if (this.stopped) return;
      const changes = await store.changesSince(this.applied);
      if (changes === undefined) {
        // Trimmed past us (we were stale, or newer than the store after a restore): start over.
        this.options.log(`the change log no longer reaches back to generation ${this.applied}: reloading the indexes`);
        const { indexes, generation } = await this.host.load();
        this.host.swap(indexes);
        this.applied = generation;
        this.appliedAt = Date.now();
        this.reloads++;
        continue;
      }
      if (changes.length === 0) break;
      await this.host.current().applyChangesSliced(changes, new Slicer());
      this.applied = changes[changes.length - 1]!.generation;
      this.appliedAt = Date.now();
    }
    this.caughtUpAt = Date.now();
    this.settleWaiters();
    await this.report(false);
    await this.host.caughtUp?.(this.applied);
  }

  /** Writes the applied generation (when it changed, or as a heartbeat); skipped when the writer holds the lock. */
  private async report(heartbeat: boolean): Promise<void> {
    const registry = this.host.store.followers;
    if (!registry || this.stopped || (!heartbeat && this.reported === this.applied)) return;
    try {
      if (await registry.report(this.options.id, process.pid, this.applied)) this.reported = this.applied;
    } catch (error) {
      this.options.log(`could not record this follower's generation: ${(error as Error).message}`);
    }
  }

  private settleWaiters(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]!;
      if (this.applied >= w.generation) {
        this.waiters.splice(i, 1);
        w.resolve(true);
      }
    }
  }

  /**
   * Resolves true once the indexes have applied `generation` (a write this process forwarded to
   * the writer: its answer must not predate it), false after `timeoutMs`.
   */
  waitFor(generation: number, timeoutMs: number): Promise<boolean> {
    if (this.applied >= generation) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { generation, resolve };
      this.waiters.push(waiter);
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(this.applied >= generation);
      }, timeoutMs);
      timer.unref();
      this.wake();
    });
  }

  /** How far behind the store this follower is. */
  async lag(): Promise<FollowerLag> {
    const storeGeneration = await this.host.store.generation();
    const behind = Math.max(0, storeGeneration - this.applied);
    const now = Date.now();
    return {
      appliedGeneration: this.applied,
      storeGeneration,
      generationsBehind: behind,
      secondsBehind: behind === 0 ? 0 : (now - this.caughtUpAt) / 1000,
      secondsSinceApplied: (now - this.appliedAt) / 1000,
      reloads: this.reloads,
    };
  }

  /** Stops following and leaves the registry (the writer may trim past this follower now). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    clearInterval(this.heartbeat);
    try {
      // First, before the caller closes the store (the call runs before this function's first wait).
      await this.host.store.followers?.remove(this.options.id);
    } catch {
      // Stale after a minute anyway.
    }
    await this.running?.catch(() => undefined);
  }
}
