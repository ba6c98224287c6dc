/**
 * Token buckets per key (an IP address or a site key): `perMinute` requests a minute on
 * average, bursts up to `burst`. In memory, per process: enough for one server; a provincial
 * deployment with replicas puts a shared limiter (Redis) behind the same interface.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(key: string, perMinute: number, burst = Math.max(1, Math.ceil(perMinute / 3))): number {
    const time = this.now();
    const rate = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updated: time };
    bucket.tokens = Math.min(burst, bucket.tokens + (time - bucket.updated) * rate);
    bucket.updated = time;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 50_000) this.sweep(time, rate, burst);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate / 1000));
  }

  // Full buckets carry no information: forget them so memory stays bounded.
  private sweep(time: number, rate: number, burst: number): void {
    for (const [key, b] of this.buckets) if (b.tokens + (time - b.updated) * rate >= burst) this.buckets.delete(key);
  }
}
