import type { Clock } from '../store/index.js';
import type { SqlDb } from '../store/sql/index.js';
import { nextEntry, type LeitnerEntry } from './leitner-schedule.js';

/**
 * Known learners' Leitner boxes (docs/practice.md#spaced-repetition), keyed by the learner's owner
 * key: one learner's boxes are never read or written for another. The schedule itself is
 * `leitner-schedule.ts`, shared with the widget.
 */
export class LeitnerStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  /** The learner's current session (0 before their first round). */
  async session(owner: string): Promise<number> {
    return (await sessionOf(this.sql, owner)) ?? 0;
  }

  /** Starts the learner's next practice round and returns its number. */
  async startSession(owner: string): Promise<number> {
    // One statement, so two rounds started at once on two replicas still count twice.
    const row = await this.sql.get<{ session: number }>(
      `INSERT INTO practice_sessions (owner, session, updated_at) VALUES (?, 1, ?)
        ON CONFLICT(owner) DO UPDATE SET session = practice_sessions.session + 1, updated_at = excluded.updated_at RETURNING session`,
      [owner, this.now().toISOString()],
    );
    return row!.session;
  }

  /** The learner's boxes, by item id. */
  async entries(owner: string): Promise<Map<string, LeitnerEntry>> {
    const rows = await this.sql.all<{ item_id: string; box: number; due: number }>(
      'SELECT item_id, box, due FROM practice_boxes WHERE owner = ?',
      [owner],
    );
    return new Map(rows.map((r) => [r.item_id, { box: r.box, due: r.due }]));
  }

  /** Records an answer in the learner's current session: right moves the item up a box, wrong back to box 1. */
  record(owner: string, itemId: string, correct: boolean): Promise<LeitnerEntry> {
    const at = this.now().toISOString();
    return this.sql.transaction(async (tx) => {
      const current = await tx.get<LeitnerEntry>('SELECT box, due FROM practice_boxes WHERE owner = ? AND item_id = ?', [owner, itemId]);
      const next = nextEntry(current, correct, (await sessionOf(tx, owner)) ?? 0);
      await tx.run(
        `INSERT INTO practice_boxes (owner, item_id, box, due, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(owner, item_id) DO UPDATE SET box = excluded.box, due = excluded.due, updated_at = excluded.updated_at`,
        [owner, itemId, next.box, next.due, at],
      );
      return next;
    });
  }

  /** Deletes the learner's boxes and session count (with their history); returns how many boxes went. */
  forget(owner: string): Promise<number> {
    return this.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM practice_sessions WHERE owner = ?', [owner]);
      return (await tx.run('DELETE FROM practice_boxes WHERE owner = ?', [owner])).changes;
    });
  }
}

async function sessionOf(sql: SqlDb, owner: string): Promise<number | undefined> {
  return (await sql.get<{ session: number }>('SELECT session FROM practice_sessions WHERE owner = ?', [owner]))?.session;
}
