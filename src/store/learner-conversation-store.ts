import type { LoggedCitation } from './conversation-store.js';
import type { SqlDb } from './sql/sql-db.js';
import type { Clock } from './store-types.js';

/** One of a learner's conversations, for their history list. */
export interface LearnerConversation {
  id: string;
  /** The first question asked in it. */
  title: string;
  messages: number;
  updatedAt: string;
}

/** A question and answer as shown back to the learner who asked it. */
export interface LearnerMessage {
  id: string;
  question: string;
  answer: string;
  answerable: boolean;
  citations: LoggedCitation[];
  rating: 'up' | 'down' | null;
  createdAt: string;
}

/** A row of a course's questions log, for its teacher. */
export interface CourseLogRow {
  id: string;
  question: string;
  answer: string;
  answerable: boolean;
  rating: 'up' | 'down' | null;
  comment: string | null;
  createdAt: string;
}

/**
 * Whose a conversation is: an LTI learner of one course (`lti:<platform>:<context>:<sub>`) or a
 * host page's signed user (`site:<key>:<sub>`). Conversations without an owner are anonymous.
 * Runs on SQLite and PostgreSQL (the store's `SqlDb`); `rowid` is the messages' insertion order on
 * both (see `SqlConversationStore`).
 */
export class LearnerConversationStore {
  constructor(
    private readonly db: SqlDb,
    private readonly now: Clock = () => new Date(),
  ) {}

  /** The owner of a conversation; null when it is anonymous (or unknown). */
  async ownerOf(conversationId: string): Promise<string | null> {
    const row = await this.db.get<{ owner: string }>('SELECT owner FROM learner_conversations WHERE conversation_id = ?', [conversationId]);
    return row?.owner ?? null;
  }

  /** Makes `owner` the owner of a conversation (it must exist); a conversation keeps its first owner. */
  async claim(conversationId: string, owner: string, course: string | null): Promise<void> {
    await this.db.run(
      'INSERT INTO learner_conversations (conversation_id, owner, course, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (conversation_id) DO NOTHING',
      [conversationId, owner, course, this.now().toISOString()],
    );
  }

  /** The owner's conversations, newest first (those with at least one message). */
  list(owner: string, limit = 50): Promise<LearnerConversation[]> {
    // Quoted alias: PostgreSQL folds unquoted names to lower case.
    return this.db.all<LearnerConversation>(
      `SELECT c.id, c.updated_at AS "updatedAt", count(m.id) AS messages,
              (SELECT question FROM messages WHERE conversation_id = c.id ORDER BY created_at, rowid LIMIT 1) AS title
       FROM learner_conversations o JOIN conversations c ON c.id = o.conversation_id JOIN messages m ON m.conversation_id = c.id
       WHERE o.owner = ? GROUP BY c.id ORDER BY c.updated_at DESC, c.id LIMIT ?`,
      [owner, limit],
    );
  }

  /** The messages of one of the owner's conversations, oldest first; undefined when it is not theirs. */
  async messages(owner: string, conversationId: string): Promise<LearnerMessage[] | undefined> {
    if ((await this.ownerOf(conversationId)) !== owner) return undefined;
    const rows = await this.db.all<{
      id: string;
      question: string;
      answer: string;
      answerable: number;
      citations: string;
      created_at: string;
      rating: 'up' | 'down' | null;
    }>(
      `SELECT m.id, m.question, m.answer, m.answerable, m.citations, m.created_at, f.rating
       FROM messages m LEFT JOIN feedback f ON f.message_id = m.id WHERE m.conversation_id = ? ORDER BY m.created_at, m.rowid`,
      [conversationId],
    );
    return rows.map((r) => ({
      id: r.id,
      question: r.question,
      answer: r.answer,
      answerable: r.answerable === 1,
      citations: JSON.parse(r.citations) as LoggedCitation[],
      rating: r.rating,
      createdAt: r.created_at,
    }));
  }

  /** Deletes the owner's conversations (messages and feedback with them); returns how many. */
  deleteAll(owner: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const ids = await tx.all<{ conversation_id: string }>('SELECT conversation_id FROM learner_conversations WHERE owner = ?', [owner]);
      for (const { conversation_id } of ids) {
        // The ownership row goes explicitly too: it needs no foreign key to the conversation to go.
        await tx.run('DELETE FROM learner_conversations WHERE conversation_id = ?', [conversation_id]);
        await tx.run('DELETE FROM conversations WHERE id = ?', [conversation_id]);
      }
      return ids.length;
    });
  }

  /** A course's questions, unanswered and thumbs-down first, then newest; `only` narrows to those. */
  async courseLog(course: string, only: 'all' | 'unanswered' | 'thumbsDown' = 'all', limit = 200): Promise<CourseLogRow[]> {
    const where = only === 'unanswered' ? 'AND m.answerable = 0' : only === 'thumbsDown' ? "AND f.rating = 'down'" : '';
    // CASE, not a boolean: PostgreSQL sorts a NULL comparison (no feedback) first in DESC order.
    const rows = await this.db.all<{
      id: string;
      question: string;
      answer: string;
      answerable: number;
      created_at: string;
      rating: 'up' | 'down' | null;
      comment: string | null;
    }>(
      `SELECT m.id, m.question, m.answer, m.answerable, m.created_at, f.rating, f.comment
       FROM learner_conversations o JOIN messages m ON m.conversation_id = o.conversation_id
       LEFT JOIN feedback f ON f.message_id = m.id
       WHERE o.course = ? ${where}
       ORDER BY CASE WHEN m.answerable = 0 OR f.rating = 'down' THEN 0 ELSE 1 END, m.created_at DESC, m.rowid DESC LIMIT ?`,
      [course, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      question: r.question,
      answer: r.answer,
      answerable: r.answerable === 1,
      rating: r.rating,
      comment: r.comment,
      createdAt: r.created_at,
    }));
  }
}
