import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { RateLimiter } from './rate-limiter.js';
import { defaultBurst, type RequestLimiter } from './request-limiter.js';

/** Where the shared counters live: Redis (`REDIS_URL`), or PostgreSQL's `rate_limits` table. */
export type SharedLimitStore = { kind: 'redis'; client: Redis } | { kind: 'postgres'; pool: pg.Pool };

/** Options of `SharedRateLimiter`. */
export interface SharedRateLimiterOptions {
  /** Told when the store fails and this process limits on its own (at most once a minute). */
  warn?: (message: string, error: unknown) => void;
  /** Namespace of the keys (default `trogiang_rl`): two deployments may share one Redis. */
  prefix?: string;
}

/** Keys past this length are hashed (a client id is the client's to choose; the table's key is varchar(255)). */
const maxKeyLength = 160;

/**
 * Rate limits every replica shares (issue 20 item 4), counted by rate-limiter-flexible in Redis or
 * PostgreSQL. A bucket of `burst` requests refilled at `perMinute` becomes a window of `burst`
 * requests per `burst × 60 / perMinute` seconds: the same average and the same burst; a refused
 * client waits for the window's end (its `retry-after`) rather than for the next token.
 *
 * When the store fails (Redis down, PostgreSQL restarting) this neither fails open nor takes
 * learners offline: like the library's insurance limiter, each process falls back to its own
 * in-memory buckets (`RateLimiter`, the same limits per replica), and says so in the log. The
 * library's own `insuranceLimiter` would do the same silently, so the fallback is ours.
 */
export class SharedRateLimiter implements RequestLimiter {
  private readonly limiters = new Map<string, RateLimiterStoreAbstract>();
  private readonly fallback = new RateLimiter();
  private lastWarning = -Infinity;

  constructor(
    private readonly store: SharedLimitStore,
    private readonly options: SharedRateLimiterOptions = {},
  ) {}

  async take(key: string, perMinute: number, burst = defaultBurst(perMinute)): Promise<number> {
    const stored = key.length > maxKeyLength ? `h:${createHash('sha256').update(key).digest('hex')}` : key;
    try {
      await this.limiter(perMinute, burst).consume(stored);
      return 0;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
      this.warnOnce(outcome);
      return this.fallback.takeNow(key, perMinute, burst);
    }
  }

  async close(): Promise<void> {
    if (this.store.kind === 'redis') this.store.client.disconnect();
    else await this.store.pool.end();
  }

  /** One library limiter per (rate, burst): its window is fixed at construction. */
  private limiter(perMinute: number, burst: number): RateLimiterStoreAbstract {
    const name = `${perMinute}_${burst}`;
    let limiter = this.limiters.get(name);
    if (!limiter) {
      const common = {
        keyPrefix: `${this.options.prefix ?? 'trogiang_rl'}_${name}`,
        points: burst,
        duration: Math.max(1, Math.round((burst * 60) / perMinute)),
      };
      limiter =
        this.store.kind === 'redis'
          ? new RateLimiterRedis({ ...common, storeClient: this.store.client, rejectIfRedisNotReady: true })
          : // The table is made by a migration (postgres-migrations.ts), not by the library at first use.
            new RateLimiterPostgres({
              ...common,
              storeClient: this.store.pool,
              storeType: 'pool',
              tableName: 'rate_limits',
              tableCreated: true,
            });
      this.limiters.set(name, limiter);
    }
    return limiter;
  }

  private warnOnce(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.options.warn?.(`shared rate limits unavailable (${this.store.kind}): each process limits on its own until it is back`, error);
  }
}
