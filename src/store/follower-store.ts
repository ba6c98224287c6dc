import type Database from 'better-sqlite3';
import { isBusy } from './store-error.js';

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
   * another process holds the write lock (a writer's upload transaction): a follower must not
   * stall its searches for a heartbeat, and the next one comes a second later.
   */
  report(id: string, pid: number, generation: number): boolean;
  /** Forgets a follower (it stopped). */
  remove(id: string): void;
  /** The lowest generation a live follower has applied; undefined when none is live. */
  oldestNeeded(staleAfterMs?: number): number | undefined;
  list(): FollowerRecord[];
}

export class SqliteFollowerStore implements FollowerStore {
  constructor(
    private readonly db: Database.Database,
    private readonly nowMs: () => number = Date.now,
  ) {}

  report(id: string, pid: number, generation: number): boolean {
    const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db
        .prepare(
          `INSERT INTO index_followers (id, pid, generation, heartbeat_ms) VALUES (?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET generation = excluded.generation, heartbeat_ms = excluded.heartbeat_ms`,
        )
        .run(id, pid, generation, this.nowMs());
      return true;
    } catch (error) {
      if (isBusy(error)) return false;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM index_followers WHERE id = ?').run(id);
  }

  oldestNeeded(staleAfterMs = followerStaleAfterMs): number | undefined {
    const row = this.db
      .prepare('SELECT min(generation) AS g FROM index_followers WHERE heartbeat_ms >= ?')
      .get(this.nowMs() - staleAfterMs) as { g: number | null };
    return row.g ?? undefined;
  }

  list(): FollowerRecord[] {
    const rows = this.db.prepare('SELECT id, pid, generation, heartbeat_ms FROM index_followers ORDER BY id').all() as Array<{
      id: string;
      pid: number;
      generation: number;
      heartbeat_ms: number;
    }>;
    return rows.map((r) => ({ id: r.id, pid: r.pid, generation: r.generation, heartbeatMs: r.heartbeat_ms }));
  }
}
