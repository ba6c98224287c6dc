import { randomUUID } from 'node:crypto';
import type { Language } from '../text/index.js';
import { defaultCenterId } from './center-store.js';
import type { SqlDb } from './sql/sql-db.js';
import { StoreError } from './store-error.js';
import type { Clock } from './store-types.js';

/** A conversation: the messages of one learner session (kept across page loads by the widget). */
export interface ConversationRecord {
  id: string;
  siteKey: string | null;
  /** The center whose learner it is (the site key's; the default center for the server's own pages). */
  centerId: string;
  createdAt: string;
  /** Time of the latest message (or of creation). */
  updatedAt: string;
}

/** How one retrieved passage scored, kept with the message for the teachers' "why" view. */
export interface RetrievalScore {
  chunkId: string;
  score: number;
  bm25Score?: number | null;
  vectorScore?: number | null;
}

/**
 * How a logged answer was made. The same union as the answerer's `AnswerMode` (a type test keeps
 * them equal); declared here so the store does not depend on the answer stage above it.
 */
export type LoggedAnswerMode = 'extractive' | 'llm' | 'extractive-fallback' | 'verified';

/** A source an answer cited, as logged (the answerer's `Citation`, kept equal by a type test). */
export interface LoggedCitation {
  n: number;
  chunkId: string;
  documentId: string;
  title: string;
  /** 1-based page (PDF) where the passage starts, else null. */
  page: number | null;
  headingPath: string[];
}

/** A question and its answer, as logged. */
export interface MessageRecord {
  id: string;
  conversationId: string;
  question: string;
  /** The standalone question a follow-up was rewritten into; null when it was not rewritten. */
  rewrittenQuestion: string | null;
  answer: string;
  citations: LoggedCitation[];
  mode: LoggedAnswerMode;
  /** False when the assistant declined ("the materials do not cover this"). */
  answerable: boolean;
  /** 0-1: the retriever's answerability score. */
  answerability: number;
  retrievalScores: RetrievalScore[];
  /** The collection the question was limited to; null: all (or the site key's). */
  collection: string | null;
  lang: Language;
  latencyMs: number;
  siteKey: string | null;
  createdAt: string;
}

/** What `recordMessage` needs; the store adds the id and the time. */
export interface NewMessage {
  /** The message id (the server announces it before the answer is stored); default: a new UUID. */
  id?: string;
  /** The conversation; created (with this id) when it does not exist, or with a new id when absent. */
  conversationId?: string;
  question: string;
  /** Stored as null when absent, blank or the same as `question`. */
  rewrittenQuestion?: string | null;
  answer: string;
  citations?: LoggedCitation[];
  mode: LoggedAnswerMode;
  answerable: boolean;
  answerability: number;
  retrievalScores?: RetrievalScore[];
  collection?: string | null;
  lang: Language;
  latencyMs: number;
  siteKey?: string | null;
  /** The center of a conversation this message creates (default: the default center). */
  centerId?: string;
  /** ISO 8601 time; default: now. Stored in UTC. */
  createdAt?: string;
}

export type Rating = 'up' | 'down';

/** A learner's thumbs up or down on a message (one per message: a new one replaces it). */
export interface FeedbackRecord {
  id: number;
  messageId: string;
  rating: Rating;
  comment: string | null;
  /** When the current rating was given. */
  createdAt: string;
}

/** A message in the questions log, with its feedback. */
export type LoggedMessage = MessageRecord & { feedback: FeedbackRecord | null };

/** Which messages the questions log shows. */
export interface QuestionsFilter {
  /**
   * `unanswered` (declined) and `thumbsDown` (rated down) select "messages that need attention":
   * with one set, only that kind; with both, either kind. `false` or absent: no restriction.
   */
  unanswered?: boolean;
  thumbsDown?: boolean;
  /** First UTC day, `YYYY-MM-DD`, inclusive. */
  from?: string;
  /** Last UTC day, `YYYY-MM-DD`, inclusive. */
  to?: string;
  collection?: string;
  siteKey?: string;
  /** Only messages of this center's conversations. */
  centerId?: string;
  /** Page size: default 100, at most 1000 (`questionsForExport`: default all rows). */
  limit?: number;
  offset?: number;
}

export interface DayStats {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  questions: number;
  answered: number;
  /** Feedback on that day's messages (by message day, so thumbs never exceed questions). */
  thumbsUp: number;
  thumbsDown: number;
}

export interface Stats {
  /** Every day of the window, oldest first, including days without questions. */
  perDay: DayStats[];
  totals: { questions: number; answered: number; shareAnswered: number; thumbsUp: number; thumbsDown: number };
  /** Declined questions grouped by normalised text, most frequent first, at most 10. */
  topUnanswered: Array<{ question: string; count: number }>;
}

/**
 * Conversations, messages, feedback, and the teachers' views of them, on SQLite or PostgreSQL
 * (`SqlConversationStore` over the store's `SqlDb`).
 */
export interface ConversationStore {
  createConversation(siteKey?: string | null, centerId?: string): Promise<ConversationRecord>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  /** Logs a question and its answer; creates the conversation when missing. */
  recordMessage(input: NewMessage): Promise<MessageRecord>;
  /**
   * The last `limit` exchanges of a conversation (default 3, at most 100), oldest first; empty for an
   * unknown one. `question` is the standalone rewrite when there was one (what a follow-up rewriter
   * needs as context), else the question as asked.
   */
  history(conversationId: string, limit?: number): Promise<Array<{ question: string; answer: string }>>;
  getMessage(id: string): Promise<MessageRecord | undefined>;
  /** Sets (or replaces) the feedback on a message; undefined when the message does not exist. */
  setFeedback(messageId: string, rating: Rating, comment?: string | null): Promise<FeedbackRecord | undefined>;
  getFeedback(messageId: string): Promise<FeedbackRecord | undefined>;
  /** Messages matching `filter`, unanswered and thumbs-down first, then newest first; `total` ignores paging. */
  questionsLog(filter?: QuestionsFilter): Promise<{ total: number; items: LoggedMessage[] }>;
  /** The same rows, all of them unless `filter.limit` is set: what the CSV export writes. */
  questionsForExport(filter?: QuestionsFilter): Promise<LoggedMessage[]>;
  /** Activity over the last `days` UTC days (default 30, today included). */
  stats(options?: { days?: number; centerId?: string }): Promise<Stats>;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  question: string;
  rewritten_question: string | null;
  answer: string;
  citations: string;
  mode: string;
  answerable: number;
  answerability: number;
  retrieval_scores: string;
  collection: string | null;
  lang: string;
  latency_ms: number;
  site_key: string | null;
  created_at: string;
}

interface FeedbackRow {
  id: number;
  message_id: string;
  rating: string;
  comment: string | null;
  created_at: string;
}

type LogRow = MessageRow & { f_id: number | null; f_rating: string | null; f_comment: string | null; f_created_at: string | null };

function toMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    question: row.question,
    rewrittenQuestion: row.rewritten_question,
    answer: row.answer,
    citations: JSON.parse(row.citations) as LoggedCitation[],
    mode: row.mode as LoggedAnswerMode,
    answerable: row.answerable === 1,
    answerability: row.answerability,
    retrievalScores: JSON.parse(row.retrieval_scores) as RetrievalScore[],
    collection: row.collection,
    lang: row.lang as Language,
    latencyMs: row.latency_ms,
    siteKey: row.site_key,
    createdAt: row.created_at,
  };
}

function toFeedback(row: FeedbackRow): FeedbackRecord {
  return { id: row.id, messageId: row.message_id, rating: row.rating as Rating, comment: row.comment, createdAt: row.created_at };
}

function toLogged(row: LogRow): LoggedMessage {
  const feedback =
    row.f_id === null
      ? null
      : toFeedback({ id: row.f_id, message_id: row.id, rating: row.f_rating!, comment: row.f_comment, created_at: row.f_created_at! });
  return { ...toMessage(row), feedback };
}

const DAY_MS = 86_400_000;

/** A time as stored: ISO 8601 in UTC. */
function isoTime(value: string, field: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) {
    throw new StoreError('invalid_input', `${field} is not a date: ${value}`, {}, [
      { path: [field], message: 'must be an ISO 8601 date-time' },
    ]);
  }
  return new Date(t).toISOString();
}

/** Midnight UTC of a `YYYY-MM-DD` day, in ms. */
function dayStart(value: string, field: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    throw new StoreError('invalid_input', `${field} must be a day (YYYY-MM-DD): ${value}`, {}, [
      { path: [field], message: 'must be a day, YYYY-MM-DD' },
    ]);
  }
  return t;
}

/** Question text for grouping: NFC, lower case, trimmed, runs of white space as one space. */
export function normalizeQuestion(question: string): string {
  return question.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * Statements of one read that must agree (a count and its page, a day's totals and its declined
 * questions) see one snapshot: SQLite's transaction is one already; PostgreSQL's default (read
 * committed) would let a message logged between them show in one and not the other.
 */
async function oneSnapshot(tx: SqlDb): Promise<void> {
  if (tx.dialect === 'postgres') await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
}

/** The rows of the questions log with their feedback. */
const logSelect = `SELECT m.*, f.id AS f_id, f.rating AS f_rating, f.comment AS f_comment, f.created_at AS f_created_at
  FROM messages m LEFT JOIN feedback f ON f.message_id = m.id`;

/** "No limit" in a `LIMIT ?` both SQLite and PostgreSQL accept. */
const noLimit = Number.MAX_SAFE_INTEGER;

/**
 * `ConversationStore` over a `SqlDb`: the same statements on SQLite and PostgreSQL. Messages of the
 * same millisecond are ordered by `rowid`: SQLite's insertion order, and on PostgreSQL an identity
 * column of that name (postgres-migrations.ts), so both list them alike.
 */
export class SqlConversationStore implements ConversationStore {
  constructor(
    private readonly db: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  async createConversation(siteKey?: string | null, centerId: string = defaultCenterId): Promise<ConversationRecord> {
    const at = this.now().toISOString();
    const record: ConversationRecord = { id: randomUUID(), siteKey: siteKey ?? null, centerId, createdAt: at, updatedAt: at };
    await this.db.run('INSERT INTO conversations (id, site_key, created_at, updated_at, center_id) VALUES (?, ?, ?, ?, ?)', [
      record.id,
      record.siteKey,
      record.createdAt,
      record.updatedAt,
      record.centerId,
    ]);
    return record;
  }

  async getConversation(id: string): Promise<ConversationRecord | undefined> {
    const row = await this.db.get<{ id: string; site_key: string | null; center_id: string; created_at: string; updated_at: string }>(
      'SELECT id, site_key, center_id, created_at, updated_at FROM conversations WHERE id = ?',
      [id],
    );
    return row && { id: row.id, siteKey: row.site_key, centerId: row.center_id, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  async recordMessage(input: NewMessage): Promise<MessageRecord> {
    const record: MessageRecord = {
      id: input.id ?? randomUUID(),
      conversationId: input.conversationId ?? randomUUID(),
      question: input.question,
      rewrittenQuestion:
        input.rewrittenQuestion?.trim() && input.rewrittenQuestion.trim() !== input.question.trim() ? input.rewrittenQuestion : null,
      answer: input.answer,
      citations: input.citations ?? [],
      mode: input.mode,
      answerable: input.answerable,
      answerability: input.answerability,
      retrievalScores: input.retrievalScores ?? [],
      collection: input.collection ?? null,
      lang: input.lang,
      latencyMs: Math.max(0, Math.round(input.latencyMs)),
      siteKey: input.siteKey ?? null,
      createdAt: input.createdAt === undefined ? this.now().toISOString() : isoTime(input.createdAt, 'createdAt'),
    };
    await this.db.transaction(async (tx) => {
      // ISO text orders as time: the later of the two is the conversation's latest activity.
      await tx.run(
        `INSERT INTO conversations (id, site_key, created_at, updated_at, center_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET updated_at = CASE WHEN excluded.updated_at > conversations.updated_at
           THEN excluded.updated_at ELSE conversations.updated_at END`,
        [record.conversationId, record.siteKey, record.createdAt, record.createdAt, input.centerId ?? defaultCenterId],
      );
      await tx.run(
        `INSERT INTO messages (id, conversation_id, question, rewritten_question, answer, citations, mode, answerable,
           answerability, retrieval_scores, collection, lang, latency_ms, site_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          record.id,
          record.conversationId,
          record.question,
          record.rewrittenQuestion,
          record.answer,
          JSON.stringify(record.citations),
          record.mode,
          record.answerable ? 1 : 0,
          record.answerability,
          JSON.stringify(record.retrievalScores),
          record.collection,
          record.lang,
          record.latencyMs,
          record.siteKey,
          record.createdAt,
        ],
      );
    });
    return record;
  }

  async history(conversationId: string, limit = 3): Promise<Array<{ question: string; answer: string }>> {
    const n = Math.max(0, Math.min(100, Math.floor(limit)));
    if (n === 0) return [];
    const rows = await this.db.all<{ question: string; answer: string }>(
      `SELECT coalesce(rewritten_question, question) AS question, answer FROM messages
       WHERE conversation_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      [conversationId, n],
    );
    return rows.reverse();
  }

  async getMessage(id: string): Promise<MessageRecord | undefined> {
    const row = await this.db.get<MessageRow>('SELECT * FROM messages WHERE id = ?', [id]);
    return row && toMessage(row);
  }

  async setFeedback(messageId: string, rating: Rating, comment?: string | null): Promise<FeedbackRecord | undefined> {
    if (rating !== 'up' && rating !== 'down') {
      throw new StoreError('invalid_input', `rating must be "up" or "down"`, {}, [{ path: ['rating'], message: 'must be "up" or "down"' }]);
    }
    const text = comment?.trim() || null;
    const at = this.now().toISOString();
    return this.db.transaction(async (tx) => {
      if ((await tx.get('SELECT 1 AS one FROM messages WHERE id = ?', [messageId])) === undefined) return undefined;
      const row = await tx.get<FeedbackRow>(
        `INSERT INTO feedback (message_id, rating, comment, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (message_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment, created_at = excluded.created_at
         RETURNING id, message_id, rating, comment, created_at`,
        [messageId, rating, text, at],
      );
      return toFeedback(row!);
    });
  }

  async getFeedback(messageId: string): Promise<FeedbackRecord | undefined> {
    const row = await this.db.get<FeedbackRow>('SELECT id, message_id, rating, comment, created_at FROM feedback WHERE message_id = ?', [
      messageId,
    ]);
    return row && toFeedback(row);
  }

  /** WHERE clause and parameters of a filter. */
  private where(filter: QuestionsFilter): { sql: string; params: Array<string | number> } {
    const clauses: string[] = [];
    const params: Array<string | number> = [];
    const attention: string[] = [];
    if (filter.unanswered) attention.push('m.answerable = 0');
    if (filter.thumbsDown) attention.push("f.rating = 'down'");
    if (attention.length > 0) clauses.push(`(${attention.join(' OR ')})`);
    if (filter.from !== undefined) {
      clauses.push('m.created_at >= ?');
      params.push(new Date(dayStart(filter.from, 'from')).toISOString());
    }
    if (filter.to !== undefined) {
      clauses.push('m.created_at < ?');
      params.push(new Date(dayStart(filter.to, 'to') + DAY_MS).toISOString());
    }
    if (filter.collection !== undefined) {
      clauses.push('m.collection = ?');
      params.push(filter.collection);
    }
    if (filter.siteKey !== undefined) {
      clauses.push('m.site_key = ?');
      params.push(filter.siteKey);
    }
    if (filter.centerId !== undefined) {
      clauses.push('m.conversation_id IN (SELECT id FROM conversations WHERE center_id = ?)');
      params.push(filter.centerId);
    }
    return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  private async logRows(db: SqlDb, filter: QuestionsFilter, limit: number, offset: number): Promise<LoggedMessage[]> {
    const { sql, params } = this.where(filter);
    const rows = await db.all<LogRow>(
      `${logSelect} ${sql}
       ORDER BY CASE WHEN m.answerable = 0 OR f.rating = 'down' THEN 0 ELSE 1 END, m.created_at DESC, m.rowid DESC
       LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
    return rows.map(toLogged);
  }

  async questionsLog(filter: QuestionsFilter = {}): Promise<{ total: number; items: LoggedMessage[] }> {
    const limit = Math.max(1, Math.min(1000, Math.floor(filter.limit ?? 100)));
    const offset = Math.max(0, Math.floor(filter.offset ?? 0));
    const { sql, params } = this.where(filter);
    return this.db.transaction(async (tx) => {
      await oneSnapshot(tx);
      const total = (await tx.get<{ n: number }>(
        `SELECT count(*) AS n FROM messages m LEFT JOIN feedback f ON f.message_id = m.id ${sql}`,
        params,
      ))!.n;
      return { total, items: await this.logRows(tx, filter, limit, offset) };
    });
  }

  async questionsForExport(filter: QuestionsFilter = {}): Promise<LoggedMessage[]> {
    const limit = filter.limit === undefined ? noLimit : Math.max(1, Math.floor(filter.limit));
    const offset = Math.max(0, Math.floor(filter.offset ?? 0));
    return this.logRows(this.db, filter, limit, offset);
  }

  async stats(options: { days?: number; centerId?: string } = {}): Promise<Stats> {
    const days = options.days ?? 30;
    if (!Number.isInteger(days) || days < 1 || days > 366) {
      throw new StoreError('invalid_input', `days must be an integer from 1 to 366: ${days}`, {}, [
        { path: ['days'], message: 'must be an integer from 1 to 366' },
      ]);
    }
    const today = Math.floor(this.now().getTime() / DAY_MS) * DAY_MS;
    const start = today - (days - 1) * DAY_MS;
    const from = new Date(start).toISOString();
    const to = new Date(today + DAY_MS).toISOString();
    const centerClause =
      options.centerId === undefined ? '' : 'AND m.conversation_id IN (SELECT id FROM conversations WHERE center_id = ?)';
    const centerParams = options.centerId === undefined ? [] : [options.centerId];
    const { rows, unanswered } = await this.db.transaction(async (tx) => {
      await oneSnapshot(tx);
      // ISO 8601 UTC text: its first ten characters are the UTC day.
      const rows = await tx.all<{ day: string; questions: number; answered: number; up: number | null; down: number | null }>(
        `SELECT substr(m.created_at, 1, 10) AS day, count(*) AS questions, sum(m.answerable) AS answered,
                sum(CASE WHEN f.rating = 'up' THEN 1 ELSE 0 END) AS up, sum(CASE WHEN f.rating = 'down' THEN 1 ELSE 0 END) AS down
         FROM messages m LEFT JOIN feedback f ON f.message_id = m.id
         WHERE m.created_at >= ? AND m.created_at < ? ${centerClause}
         GROUP BY substr(m.created_at, 1, 10)`,
        [from, to, ...centerParams],
      );
      const unanswered = await tx.all<{ question: string }>(
        `SELECT question FROM messages m WHERE answerable = 0 AND created_at >= ? AND created_at < ? ${centerClause}
         ORDER BY created_at, rowid`,
        [from, to, ...centerParams],
      );
      return { rows, unanswered };
    });
    const byDay = new Map(rows.map((r) => [r.day, r]));
    const perDay: DayStats[] = [];
    for (let t = start; t <= today; t += DAY_MS) {
      const day = new Date(t).toISOString().slice(0, 10);
      const r = byDay.get(day);
      perDay.push({ day, questions: r?.questions ?? 0, answered: r?.answered ?? 0, thumbsUp: r?.up ?? 0, thumbsDown: r?.down ?? 0 });
    }
    const sum = (f: (d: DayStats) => number) => perDay.reduce((s, d) => s + f(d), 0);
    const questions = sum((d) => d.questions);
    const answered = sum((d) => d.answered);
    return {
      perDay,
      totals: {
        questions,
        answered,
        shareAnswered: questions === 0 ? 0 : answered / questions,
        thumbsUp: sum((d) => d.thumbsUp),
        thumbsDown: sum((d) => d.thumbsDown),
      },
      topUnanswered: topUnanswered(unanswered),
    };
  }
}

/**
 * Declined questions grouped by normalised text, most frequent first (ties by text), at most 10;
 * each shows its latest wording. Grouped here, not in SQL: SQLite's lower() folds only ASCII.
 */
function topUnanswered(oldestFirst: ReadonlyArray<{ question: string }>): Array<{ question: string; count: number }> {
  const groups = new Map<string, { question: string; count: number }>();
  for (const { question } of oldestFirst) {
    const key = normalizeQuestion(question);
    if (!key) continue;
    const group = groups.get(key) ?? { question: '', count: 0 };
    group.count++;
    group.question = question.normalize('NFC').replace(/\s+/gu, ' ').trim();
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([ka, a], [kb, b]) => b.count - a.count || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, 10)
    .map(([, g]) => g);
}
