/**
 * Caps how many pieces of work run at once, per key (a client's address) and in total. Unlike a
 * rate limit it counts what is still running: a slow reader holding a response open keeps its
 * place until it finishes or goes away, so one client cannot open hundreds of downloads.
 */
export class ConcurrencyGate {
  private readonly running = new Map<string, number>();
  private total = 0;

  constructor(
    readonly perKey: number,
    readonly overall: number,
  ) {}

  /** A place for `key`, with the function that gives it back (safe to call twice); undefined when full. */
  enter(key: string): (() => void) | undefined {
    const mine = this.running.get(key) ?? 0;
    if (mine >= this.perKey || this.total >= this.overall) return undefined;
    this.running.set(key, mine + 1);
    this.total++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.total--;
      const now = (this.running.get(key) ?? 1) - 1;
      if (now <= 0) this.running.delete(key);
      else this.running.set(key, now);
    };
  }

  /** Places in use for `key` (all keys when omitted). */
  inUse(key?: string): number {
    return key === undefined ? this.total : (this.running.get(key) ?? 0);
  }
}
