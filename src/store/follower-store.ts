import { isBusy } from './store-error.js';
import type { SqlDb } from './sql/sql-db.js';

/**
 * A follower stops counting once its heartbeat is this old (default 60 s): one killed with
 * SIGKILL no longer holds the change log back, and catches up from the newest saved index set
 * (or rebuilds) when it comes back.
 */
export const followerStaleAfterMs = 60_000;

/** One process following the writer's change log, as it last reported. */
export interface FollowerRecord {
  id: string;
  pid: number;
  /** The change-log generation its indexes have applied (0 while it loads). */
  generation: number;
  heartbeatMs: number;
}

/**
 * The processes that follow a data folder's chunk change log (issue 20 item 5), so the writer
 * never trims a change a live follower still needs.
 */
export interface FollowerStore {
  /**
   * Records a follower's applied generation and heartbeat. Returns false instead of waiting when
   * another process holds the write lock (a writer's upload transaction on SQLite): a follower
   * must not stall its searches for a heartbeat, and the next one comes a second later.
   */
  report(id: string, pid: number, generation: number): Promise<boolean>;
  /** Forgets a follower (it stopped). */
  remove(id: string): Promise<void>;
  /** The lowest generation a live follower has applied; undefined when none is live. */
  oldestNeeded(staleAfterMs?: number): Promise<number | undefined>;
  list(): Promise<FollowerRecord[]>;
}

/** Options of `SqlFollowerStore`. */
export interface SqlFollowerStoreOptions {
  /** The clock of heartbeats, in ms (tests move it); default `Date.now`. */
  nowMs?: () => number;
  /**
   * Runs a heartbeat's write so that it fails at once (a busy error) rather than waiting for
   * another process's write lock. SQLite: `busy_timeout` 0 around the statement; default: as is
   * (PostgreSQL locks only the follower's own row).
   */
  withoutWaiting?: <T>(write: () => Promise<T>) => Promise<T>;
}

/** `FollowerStore` over the store's `SqlDb` (table `index_followers`), on SQLite and PostgreSQL. */
export class SqlFollowerStore implements FollowerStore {
  private readonly nowMs: () => number;
  private readonly withoutWaiting: <T>(write: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly sql: SqlDb,
    options: SqlFollowerStoreOptions = {},
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    this.withoutWaiting = options.withoutWaiting ?? ((write) => write());
  }

  async report(id: string, pid: number, generation: number): Promise<boolean> {
    try {
      await this.withoutWaiting(() =>
        this.sql.run(
          `INSERT INTO index_followers (id, pid, generation, heartbeat_ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET generation = excluded.generation, heartbeat_ms = excluded.heartbeat_ms`,
          [id, pid, generation, this.nowMs()],
        ),
      );
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    }
  }

  async remove(id: string): Promise<void> {
    await this.sql.run('DELETE FROM index_followers WHERE id = ?', [id]);
  }

  async oldestNeeded(staleAfterMs = followerStaleAfterMs): Promise<number | undefined> {
    const row = await this.sql.get<{ g: number | null }>('SELECT min(generation) AS g FROM index_followers WHERE heartbeat_ms >= ?', [
      this.nowMs() - staleAfterMs,
    ]);
    return row?.g ?? undefined;
  }

  async list(): Promise<FollowerRecord[]> {
    const rows = await this.sql.all<{ id: string; pid: number; generation: number; heartbeat_ms: number }>(
      'SELECT id, pid, generation, heartbeat_ms FROM index_followers ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, pid: r.pid, generation: r.generation, heartbeatMs: r.heartbeat_ms }));
  }
}
