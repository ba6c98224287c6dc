import { randomUUID } from 'node:crypto';
import type { SqlDb } from './sql/sql-db.js';
import type { Clock } from './store-types.js';

/** An answer a center's teachers wrote and confirmed; a learner's matching question gets it as is. */
export interface VerifiedAnswer {
  id: string;
  centerId: string;
  question: string;
  answer: string;
  /** Other ways learners ask it (any language); matched like the question. */
  phrasings: string[];
  /** Collections it answers in; empty: every collection. */
  collections: string[];
  /** A document page it rests on, cited with it; null when none (or the document was deleted). */
  documentId: string | null;
  page: number | null;
  validFrom: string | null;
  validUntil: string | null;
  lastChecked: string | null;
  /** Learners' questions it answered. */
  hitCount: number;
  /** Learners' thumbs on those answers. */
  thumbsUp: number;
  thumbsDown: number;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What a teacher writes; `update` takes any part of it (null clears an optional field). */
export interface VerifiedAnswerInput {
  question: string;
  answer: string;
  phrasings?: string[];
  collections?: string[];
  documentId?: string | null;
  page?: number | null;
  validFrom?: string | null;
  validUntil?: string | null;
  lastChecked?: string | null;
}

interface Row {
  id: string;
  center_id: string;
  question: string;
  answer: string;
  phrasings: string;
  collections: string;
  document_id: string | null;
  page: number | null;
  valid_from: string | null;
  valid_until: string | null;
  last_checked: string | null;
  hit_count: number;
  created_by: string;
  updated_by: string;
  created_at: string;
  updated_at: string;
  up: number;
  down: number;
  document_exists: number;
}

// Thumbs: the feedback on the messages it answered. A deleted document's link reads as none.
const select = `SELECT v.*,
  (SELECT count(*) FROM verified_answer_uses u JOIN feedback f ON f.message_id = u.message_id WHERE u.verified_answer_id = v.id AND f.rating = 'up') AS up,
  (SELECT count(*) FROM verified_answer_uses u JOIN feedback f ON f.message_id = u.message_id WHERE u.verified_answer_id = v.id AND f.rating = 'down') AS down,
  CASE WHEN EXISTS (SELECT 1 FROM documents d WHERE d.id = v.document_id) THEN 1 ELSE 0 END AS document_exists
  FROM verified_answers v`;

function toAnswer(r: Row): VerifiedAnswer {
  const linked = r.document_id !== null && r.document_exists === 1;
  return {
    id: r.id,
    centerId: r.center_id,
    question: r.question,
    answer: r.answer,
    phrasings: JSON.parse(r.phrasings) as string[],
    collections: JSON.parse(r.collections) as string[],
    documentId: linked ? r.document_id : null,
    page: linked ? r.page : null,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    lastChecked: r.last_checked,
    hitCount: r.hit_count,
    thumbsUp: r.up,
    thumbsDown: r.down,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Verified answers over the store's `SqlDb` (SQLite or PostgreSQL), always read and written within one center. */
export class VerifiedAnswerStore {
  constructor(
    private readonly sql: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  /**
   * What a center's answers are at now, read from the store: any creation, edit or removal through
   * any process (replicas on PostgreSQL) changes it, so a matcher built on the old answers is
   * rebuilt. Not changed by hits. One indexed read (`verified_answers_center`).
   */
  async stamp(centerId: string): Promise<string> {
    const row = await this.sql.get<{ n: number; at: string | null }>(
      'SELECT count(*) AS n, max(updated_at) AS at FROM verified_answers WHERE center_id = ?',
      [centerId],
    );
    return `${row?.n ?? 0}:${row?.at ?? ''}`;
  }

  async list(centerId: string): Promise<VerifiedAnswer[]> {
    return (await this.sql.all<Row>(`${select} WHERE v.center_id = ? ORDER BY v.updated_at DESC, v.id`, [centerId])).map(toAnswer);
  }

  async get(centerId: string, id: string): Promise<VerifiedAnswer | undefined> {
    const row = await this.sql.get<Row>(`${select} WHERE v.center_id = ? AND v.id = ?`, [centerId, id]);
    return row && toAnswer(row);
  }

  async create(centerId: string, input: VerifiedAnswerInput, by: string): Promise<VerifiedAnswer> {
    const id = randomUUID();
    const at = this.now().toISOString();
    await this.sql.run(
      `INSERT INTO verified_answers (id, center_id, question, answer, phrasings, collections, document_id, page, valid_from, valid_until, last_checked, created_by, updated_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        centerId,
        input.question,
        input.answer,
        JSON.stringify(input.phrasings ?? []),
        JSON.stringify(input.collections ?? []),
        input.documentId ?? null,
        input.page ?? null,
        input.validFrom ?? null,
        input.validUntil ?? null,
        input.lastChecked ?? null,
        by,
        by,
        at,
        at,
      ],
    );
    return (await this.get(centerId, id))!;
  }

  /** Applies a partial change; undefined when the center has no such answer. */
  async update(centerId: string, id: string, patch: Partial<VerifiedAnswerInput>, by: string): Promise<VerifiedAnswer | undefined> {
    const json = (v: string[] | undefined) => (v === undefined ? undefined : JSON.stringify(v));
    const columns: Array<[string, unknown]> = [
      ['question', patch.question],
      ['answer', patch.answer],
      ['phrasings', json(patch.phrasings)],
      ['collections', json(patch.collections)],
      ['document_id', patch.documentId],
      ['page', patch.page],
      ['valid_from', patch.validFrom],
      ['valid_until', patch.validUntil],
      ['last_checked', patch.lastChecked],
    ];
    const set = columns.filter(([, v]) => v !== undefined);
    const sql = `UPDATE verified_answers SET ${[...set.map(([c]) => `${c} = ?`), 'updated_by = ?', 'updated_at = ?'].join(', ')} WHERE center_id = ? AND id = ?`;
    const { changes } = await this.sql.run(sql, [...set.map(([, v]) => v ?? null), by, this.now().toISOString(), centerId, id]);
    if (changes === 0) return undefined;
    return this.get(centerId, id);
  }

  async remove(centerId: string, id: string): Promise<boolean> {
    const removed = await this.sql.transaction(async (tx) => {
      const { changes } = await tx.run('DELETE FROM verified_answers WHERE center_id = ? AND id = ?', [centerId, id]);
      if (changes) await tx.run('DELETE FROM verified_answer_uses WHERE verified_answer_id = ?', [id]);
      return changes === 1;
    });
    return removed;
  }

  /** Counts a learner's question it answered, tied to the message that was logged for it. */
  async recordUse(id: string, messageId: string): Promise<void> {
    const at = this.now().toISOString();
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE verified_answers SET hit_count = hit_count + 1 WHERE id = ?', [id]);
      await tx.run(
        'INSERT INTO verified_answer_uses (message_id, verified_answer_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
        [messageId, id, at],
      );
    });
  }
}
