import { defaultBurst, type RequestLimiter } from './request-limiter.js';

/**
 * Token buckets per key (a browser, an IP address, a site key): `perMinute` requests a minute on
 * average, bursts up to `burst`. In memory, per process: enough for one server; replicas share
 * `SharedRateLimiter` (Redis or PostgreSQL) behind the same interface.
 */
export class RateLimiter implements RequestLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number; rate: number; burst: number }>();
  private lastSweep = 0;

  constructor(
    private readonly now: () => number = () => Date.now(),
    /** Past this many buckets, full ones are forgotten (at most once a second). */
    private readonly maxBuckets = 50_000,
  ) {}

  /** Takes one token; resolves to 0 when allowed, else the seconds to wait. */
  async take(key: string, perMinute: number, burst = defaultBurst(perMinute)): Promise<number> {
    return this.takeNow(key, perMinute, burst);
  }

  /** `take` without the promise (the shared limiter's stand-in while its store is out). */
  takeNow(key: string, perMinute: number, burst = defaultBurst(perMinute)): number {
    const time = this.now();
    // Before taking: a sweep after it would forget this bucket while still full, a fresh burst.
    if (this.buckets.size >= this.maxBuckets && time - this.lastSweep >= 1000) this.sweep(time);
    const rate = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updated: time, rate, burst };
    bucket.tokens = Math.min(burst, bucket.tokens + (time - bucket.updated) * rate);
    bucket.updated = time;
    bucket.rate = rate;
    bucket.burst = burst;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  async close(): Promise<void> {}

  /** How many buckets are held (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  // Full buckets carry no information: forget them so memory stays bounded. Each bucket is
  // judged by its own rate (browsers, addresses and site keys refill at different speeds), and
  // a sweep runs at most once a second: with per-browser keys a client inventing ids can keep
  // the map above the threshold, and a full scan on every request would be the cost it imposes.
  private sweep(time: number): void {
    this.lastSweep = time;
    for (const [key, b] of this.buckets) if (b.tokens + (time - b.updated) * b.rate >= b.burst) this.buckets.delete(key);
  }
}
