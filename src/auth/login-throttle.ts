import type { Clock, LoginAttemptStore } from '../store/index.js';

/** How many failed logins are allowed in a window, per account name and per client address. */
export interface LoginThrottleOptions {
  /** Default 15 minutes. */
  windowMs: number;
  /** Default 5: then the name is locked until the window ends, whoever tries it. */
  maxPerAccount: number;
  /** Default 30: a computer room behind one address still gets room for its typos. */
  maxPerIp: number;
}

export const defaultLoginThrottle: Readonly<LoginThrottleOptions> = Object.freeze({
  windowMs: 15 * 60_000,
  maxPerAccount: 5,
  maxPerIp: 30,
});

/**
 * Throttles logins per account name and per address. An attempt is counted before the password
 * is checked (`begin`) and taken back for the address when it succeeds (`succeeded`), so a burst
 * of parallel guesses cannot all pass the check before the first failure is written. Names are
 * counted whether or not the account exists, so the lock does not tell which names do.
 */
export class LoginThrottle {
  constructor(
    private readonly store: LoginAttemptStore,
    private readonly now: Clock,
    private readonly options: LoginThrottleOptions = defaultLoginThrottle,
  ) {}

  private keys(username: string, ip: string): Array<[string, number]> {
    return [
      [`user:${username}`, this.options.maxPerAccount],
      [`ip:${ip}`, this.options.maxPerIp],
    ];
  }

  /** Seconds to wait before `username` may be tried from `ip`; 0 when it may now. */
  async retryAfter(username: string, ip: string): Promise<number> {
    const now = this.now().getTime();
    let wait = 0;
    for (const [key, max] of this.keys(username, ip)) {
      const record = await this.store.get(key);
      if (!record || record.failures < max) continue;
      const ends = Date.parse(record.windowStart) + this.options.windowMs;
      if (ends > now) wait = Math.max(wait, Math.ceil((ends - now) / 1000));
    }
    return wait;
  }

  /** Counts the attempt as failed until `succeeded` says otherwise. */
  async begin(username: string, ip: string): Promise<void> {
    const now = this.now();
    const since = new Date(now.getTime() - this.options.windowMs);
    for (const [key] of this.keys(username, ip)) await this.store.fail(key, now, since);
  }

  /** The password was right: the name starts afresh, and the address gets its attempt back. */
  async succeeded(username: string, ip: string): Promise<void> {
    await this.store.clear(`user:${username}`);
    await this.store.undoOne(`ip:${ip}`);
  }

  /** Forgets windows that are over (called now and then). */
  async sweep(): Promise<void> {
    await this.store.deleteStale(new Date(this.now().getTime() - this.options.windowMs));
  }
}
