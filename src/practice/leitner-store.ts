import type Database from 'better-sqlite3';
import type { Clock } from '../store/index.js';
import { nextEntry, type LeitnerEntry } from './leitner-schedule.js';

/**
 * Known learners' Leitner boxes (docs/practice.md#spaced-repetition), keyed by the learner's owner
 * key: one learner's boxes are never read or written for another. The schedule itself is
 * `leitner-schedule.ts`, shared with the widget.
 */
export class LeitnerStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock = () => new Date(),
  ) {}

  /** The learner's current session (0 before their first round). */
  session(owner: string): number {
    const row = this.db.prepare('SELECT session FROM practice_sessions WHERE owner = ?').get(owner) as { session: number } | undefined;
    return row?.session ?? 0;
  }

  /** Starts the learner's next practice round and returns its number. */
  startSession(owner: string): number {
    const row = this.db
      .prepare(`INSERT INTO practice_sessions (owner, session, updated_at) VALUES (?, 1, ?)
        ON CONFLICT(owner) DO UPDATE SET session = session + 1, updated_at = excluded.updated_at RETURNING session`)
      .get(owner, this.now().toISOString()) as { session: number };
    return row.session;
  }

  /** The learner's boxes, by item id. */
  entries(owner: string): Map<string, LeitnerEntry> {
    const rows = this.db.prepare('SELECT item_id, box, due FROM practice_boxes WHERE owner = ?').all(owner) as Array<{
      item_id: string;
      box: number;
      due: number;
    }>;
    return new Map(rows.map((r) => [r.item_id, { box: r.box, due: r.due }]));
  }

  /** Records an answer in the learner's current session: right moves the item up a box, wrong back to box 1. */
  record(owner: string, itemId: string, correct: boolean): LeitnerEntry {
    return this.db.transaction(() => {
      const current = this.db.prepare('SELECT box, due FROM practice_boxes WHERE owner = ? AND item_id = ?').get(owner, itemId) as
        | LeitnerEntry
        | undefined;
      const next = nextEntry(current, correct, this.session(owner));
      this.db
        .prepare(`INSERT INTO practice_boxes (owner, item_id, box, due, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(owner, item_id) DO UPDATE SET box = excluded.box, due = excluded.due, updated_at = excluded.updated_at`)
        .run(owner, itemId, next.box, next.due, this.now().toISOString());
      return next;
    })();
  }

  /** Deletes the learner's boxes and session count (with their history); returns how many boxes went. */
  forget(owner: string): number {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM practice_sessions WHERE owner = ?').run(owner);
      return this.db.prepare('DELETE FROM practice_boxes WHERE owner = ?').run(owner).changes;
    })();
  }
}
