/**
 * Rate limits per key (a browser, an IP address, a site key): `perMinute` requests a minute on
 * average, bursts up to `burst` (default a third of a minute's worth). `take` resolves to 0 when
 * the request may go on, else to the seconds to wait (the `retry-after`). Implemented in memory
 * per process (`RateLimiter`, the default) and shared by every replica over Redis or PostgreSQL
 * (`SharedRateLimiter`, issue 20 item 4); `openRateLimiter` picks one from the settings.
 */
export interface RequestLimiter {
  take(key: string, perMinute: number, burst?: number): Promise<number>;
  /** Releases connections (a shared limiter); nothing for the in-memory one. */
  close(): Promise<void>;
}

/** The default burst of `take`: a third of a minute's requests, at least one. */
export const defaultBurst = (perMinute: number): number => Math.max(1, Math.ceil(perMinute / 3));
