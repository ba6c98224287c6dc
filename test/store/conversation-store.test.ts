import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { AnswerMode, Citation } from '../../src/answer/index.js';
import { isStoreError, type LoggedAnswerMode, type LoggedCitation, type MessageRecord } from '../../src/store/index.js';
import { message, openTempStore } from './store-helpers.js';

let t: ReturnType<typeof openTempStore>;
beforeEach(() => {
  t = openTempStore('trogiang-conv-');
});
afterEach(() => t.cleanup());

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('conversations and messages', () => {
  it('creates a conversation with a UUID and the site key', () => {
    const c = t.store.conversations.createConversation('tg_pub_x');
    expect(c.id).toMatch(uuid);
    expect(c).toEqual({
      id: c.id,
      siteKey: 'tg_pub_x',
      centerId: 'default',
      createdAt: '2024-05-02T09:00:00.000Z',
      updatedAt: '2024-05-02T09:00:00.000Z',
    });
    expect(t.store.conversations.getConversation(c.id)).toEqual(c);
    expect(t.store.conversations.createConversation().siteKey).toBeNull();
    expect(t.store.conversations.getConversation('nope')).toBeUndefined();
  });

  it('records a message, creating a missing conversation, and reads it back as stored', () => {
    const m = t.store.conversations.recordMessage(
      message({
        conversationId: 'client-held-id',
        siteKey: 'tg_pub_x',
        rewrittenQuestion: 'Học phí khóa tin học bao nhiêu?',
        collection: 'tin-hoc',
        latencyMs: 12.6,
      }),
    );
    expect(m.id).toMatch(uuid);
    expect(m.conversationId).toBe('client-held-id');
    expect(m.latencyMs).toBe(13);
    expect(m.createdAt).toBe('2024-05-02T09:00:00.000Z');
    expect(t.store.conversations.getMessage(m.id)).toEqual(m);
    expect(t.store.conversations.getConversation('client-held-id')).toEqual({
      id: 'client-held-id',
      siteKey: 'tg_pub_x',
      centerId: 'default',
      createdAt: m.createdAt,
      updatedAt: m.createdAt,
    });

    const fresh = t.store.conversations.recordMessage(message());
    expect(fresh.conversationId).toMatch(uuid);
    expect(fresh.rewrittenQuestion).toBeNull();
    expect(fresh.siteKey).toBeNull();
    expect(t.store.conversations.getConversation(fresh.conversationId)).toBeDefined();
    expect(t.store.conversations.getMessage('nope')).toBeUndefined();
  });

  it('stores createdAt in UTC and moves the conversation updatedAt forward only', () => {
    const c = t.store.conversations.createConversation();
    const m = t.store.conversations.recordMessage(message({ conversationId: c.id, createdAt: '2024-05-03T07:30:00+07:00' }));
    expect(m.createdAt).toBe('2024-05-03T00:30:00.000Z');
    t.store.conversations.recordMessage(message({ conversationId: c.id, createdAt: '2024-05-01T00:00:00Z' }));
    expect(t.store.conversations.getConversation(c.id)?.updatedAt).toBe('2024-05-03T00:30:00.000Z');
    expect(() => t.store.conversations.recordMessage(message({ createdAt: 'yesterday' }))).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it('history returns the last exchanges oldest to newest', () => {
    const c = t.store.conversations.createConversation();
    const other = t.store.conversations.createConversation();
    for (let i = 1; i <= 5; i++) {
      t.store.conversations.recordMessage(
        message({ conversationId: c.id, question: `q${i}`, answer: `a${i}`, createdAt: `2024-05-02T08:0${i}:00.000Z` }),
      );
      t.store.conversations.recordMessage(message({ conversationId: other.id, question: `other${i}` }));
    }
    expect(t.store.conversations.history(c.id)).toEqual([
      { question: 'q3', answer: 'a3' },
      { question: 'q4', answer: 'a4' },
      { question: 'q5', answer: 'a5' },
    ]);
    expect(t.store.conversations.history(c.id, 1)).toEqual([{ question: 'q5', answer: 'a5' }]);
    expect(t.store.conversations.history(c.id, 10).map((h) => h.question)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    expect(t.store.conversations.history(c.id, 0)).toEqual([]);
    expect(t.store.conversations.history('unknown')).toEqual([]);
  });

  it('history gives the standalone rewrite of a follow-up, and keeps a rewrite only when it differs', () => {
    const c = t.store.conversations.createConversation();
    const first = t.store.conversations.recordMessage(
      message({ conversationId: c.id, question: 'Học phí tin học?', rewrittenQuestion: ' Học phí tin học? ', answer: 'a1' }),
    );
    expect(first.rewrittenQuestion).toBeNull();
    expect(t.store.conversations.recordMessage(message({ conversationId: c.id, rewrittenQuestion: '  ' })).rewrittenQuestion).toBeNull();
    t.store.conversations.recordMessage(
      message({ conversationId: c.id, question: 'Còn kế toán?', rewrittenQuestion: 'Học phí kế toán là bao nhiêu?', answer: 'a2' }),
    );
    expect(t.store.conversations.history(c.id, 2)).toEqual([
      { question: 'Học phí bao nhiêu?', answer: 'Học phí là 1.200.000 đồng [1].' },
      { question: 'Học phí kế toán là bao nhiêu?', answer: 'a2' },
    ]);
  });

  it('history breaks ties of the same timestamp by insertion order', () => {
    const c = t.store.conversations.createConversation();
    for (const q of ['first', 'second', 'third']) t.store.conversations.recordMessage(message({ conversationId: c.id, question: q }));
    expect(t.store.conversations.history(c.id, 2).map((h) => h.question)).toEqual(['second', 'third']);
  });
});

describe('feedback', () => {
  it('upserts one rating per message; the new one replaces the old', () => {
    const m = t.store.conversations.recordMessage(message());
    const first = t.store.conversations.setFeedback(m.id, 'up', '  Rất rõ ràng  ');
    expect(first).toEqual({ id: first!.id, messageId: m.id, rating: 'up', comment: 'Rất rõ ràng', createdAt: '2024-05-02T09:00:00.000Z' });

    t.clock.now = new Date('2024-05-02T10:00:00.000Z');
    const second = t.store.conversations.setFeedback(m.id, 'down');
    expect(second).toEqual({ id: first!.id, messageId: m.id, rating: 'down', comment: null, createdAt: '2024-05-02T10:00:00.000Z' });
    expect(t.store.conversations.getFeedback(m.id)).toEqual(second);
    expect((t.store.db.prepare('SELECT count(*) AS n FROM feedback').get() as { n: number }).n).toBe(1);
    expect(t.store.conversations.setFeedback(m.id, 'down', '   ')?.comment).toBeNull();
  });

  it('returns undefined for an unknown message and rejects a bad rating', () => {
    expect(t.store.conversations.setFeedback('no-such-message', 'up')).toBeUndefined();
    expect(t.store.conversations.getFeedback('no-such-message')).toBeUndefined();
    const m = t.store.conversations.recordMessage(message());
    let caught: unknown;
    try {
      t.store.conversations.setFeedback(m.id, 'meh' as 'up');
    } catch (e) {
      caught = e;
    }
    expect(isStoreError(caught, 'invalid_input')).toBe(true);
  });
});

/**
 * Seven messages around the UTC midnights of 1 and 2 May 2024 (the clock says 2 May, 09:00 UTC).
 *   m1 30 Apr 23:59:59.999 answered              tin-hoc  key A
 *   m2  1 May 00:00:00.000 UNANSWERED            tin-hoc  key A
 *   m3  1 May 12:00        answered, thumbs DOWN ke-toan  key B
 *   m4  1 May 23:59:59.999 answered, thumbs up   (all)
 *   m5  2 May 00:00:00.000 UNANSWERED            ke-toan
 *   m6  2 May 08:00        answered              (all)
 *   m7  2 May 08:30        UNANSWERED, thumbs DOWN
 */
function seed(): Record<'m1' | 'm2' | 'm3' | 'm4' | 'm5' | 'm6' | 'm7', MessageRecord> {
  const c = t.store.conversations;
  const m1 = c.recordMessage(
    message({ question: 'Học phí bao nhiêu?', createdAt: '2024-04-30T23:59:59.999Z', collection: 'tin-hoc', siteKey: 'A' }),
  );
  const m2 = c.recordMessage(
    message({
      question: '  Lịch  THI là khi nào? ',
      answerable: false,
      answerability: 0.1,
      createdAt: '2024-05-01T00:00:00.000Z',
      collection: 'tin-hoc',
      siteKey: 'A',
    }),
  );
  const m3 = c.recordMessage(
    message({ question: 'Điểm danh thế nào?', createdAt: '2024-05-01T12:00:00.000Z', collection: 'ke-toan', siteKey: 'B' }),
  );
  const m4 = c.recordMessage(message({ question: 'Học ở đâu?', createdAt: '2024-05-01T23:59:59.999Z' }));
  const m5 = c.recordMessage(
    message({
      question: 'lịch thi là khi nào?',
      answerable: false,
      answerability: 0.2,
      createdAt: '2024-05-02T00:00:00.000Z',
      collection: 'ke-toan',
    }),
  );
  const m6 = c.recordMessage(message({ question: 'Cần mang gì?', createdAt: '2024-05-02T08:00:00.000Z' }));
  const m7 = c.recordMessage(
    message({ question: 'Giờ mở cửa?', answerable: false, answerability: 0.05, createdAt: '2024-05-02T08:30:00.000Z' }),
  );
  c.setFeedback(m3.id, 'down', 'Sai rồi');
  c.setFeedback(m4.id, 'up');
  c.setFeedback(m7.id, 'down');
  return { m1, m2, m3, m4, m5, m6, m7 };
}

describe('questionsLog', () => {
  it('puts unanswered and thumbs-down first, then newest first, with feedback attached', () => {
    const m = seed();
    const log = t.store.conversations.questionsLog();
    expect(log.total).toBe(7);
    expect(log.items.map((i) => i.id)).toEqual([m.m7, m.m5, m.m3, m.m2, m.m6, m.m4, m.m1].map((x) => x.id));
    expect(log.items[0]!.feedback).toMatchObject({ rating: 'down', comment: null });
    expect(log.items[2]!.feedback).toMatchObject({ rating: 'down', comment: 'Sai rồi' });
    expect(log.items[4]!.feedback).toBeNull();
    expect(log.items[5]!.feedback?.rating).toBe('up');
    const { feedback: _, ...record } = log.items[6]!;
    expect(record).toEqual(m.m1);
  });

  it('filters unanswered, thumbs-down, and either when both are set', () => {
    const m = seed();
    const ids = (f: Parameters<typeof t.store.conversations.questionsLog>[0]) =>
      t.store.conversations.questionsLog(f).items.map((i) => i.id);
    expect(ids({ unanswered: true })).toEqual([m.m7, m.m5, m.m2].map((x) => x.id));
    expect(ids({ thumbsDown: true })).toEqual([m.m7, m.m3].map((x) => x.id));
    expect(ids({ unanswered: true, thumbsDown: true })).toEqual([m.m7, m.m5, m.m3, m.m2].map((x) => x.id));
    expect(t.store.conversations.questionsLog({ unanswered: false, thumbsDown: false }).total).toBe(7);
  });

  it('filters by inclusive UTC days at the midnight edges', () => {
    const m = seed();
    const ids = (from?: string, to?: string) =>
      t.store.conversations.questionsLog({ ...(from ? { from } : {}), ...(to ? { to } : {}) }).items.map((i) => i.id);
    expect(ids('2024-05-01', '2024-05-01')).toEqual([m.m3, m.m2, m.m4].map((x) => x.id));
    expect(ids('2024-05-02')).toEqual([m.m7, m.m5, m.m6].map((x) => x.id));
    expect(ids(undefined, '2024-04-30')).toEqual([m.m1.id]);
    expect(ids('2024-04-30', '2024-05-02')).toHaveLength(7);
    expect(ids('2024-05-03')).toEqual([]);
    expect(ids('2024-05-02', '2024-05-01')).toEqual([]);
    for (const bad of ['2024-02-30', '2024-5-1', '01/05/2024', '2024-05-01T00:00:00Z']) {
      expect(() => t.store.conversations.questionsLog({ from: bad })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
  });

  it('filters by collection and site key, combined with the others', () => {
    const m = seed();
    const ids = (f: Parameters<typeof t.store.conversations.questionsLog>[0]) =>
      t.store.conversations.questionsLog(f).items.map((i) => i.id);
    expect(ids({ collection: 'ke-toan' })).toEqual([m.m5, m.m3].map((x) => x.id));
    expect(ids({ collection: 'tin-hoc' })).toEqual([m.m2, m.m1].map((x) => x.id));
    expect(ids({ collection: 'none' })).toEqual([]);
    expect(ids({ siteKey: 'A' })).toEqual([m.m2, m.m1].map((x) => x.id));
    expect(ids({ siteKey: 'B', thumbsDown: true })).toEqual([m.m3.id]);
    expect(ids({ collection: 'ke-toan', unanswered: true, from: '2024-05-02' })).toEqual([m.m5.id]);
  });

  it('pages with limit and offset; total ignores paging; limit is clamped', () => {
    const m = seed();
    const page = t.store.conversations.questionsLog({ limit: 2, offset: 1 });
    expect(page.total).toBe(7);
    expect(page.items.map((i) => i.id)).toEqual([m.m5.id, m.m3.id]);
    expect(t.store.conversations.questionsLog({ limit: 5000 }).items).toHaveLength(7);
    expect(t.store.conversations.questionsLog({ limit: 0 }).items).toHaveLength(1);
    expect(t.store.conversations.questionsLog({ offset: 7 }).items).toEqual([]);
  });

  it('defaults to 100 items and caps at 1000', () => {
    const c = t.store.conversations.createConversation();
    const insert = t.store.db.prepare(
      `INSERT INTO messages (id, conversation_id, question, answer, mode, answerable, answerability, lang, latency_ms, created_at)
       VALUES (?, ?, 'q', 'a', 'extractive', 1, 0.5, 'vi', 1, '2024-05-01T00:00:00.000Z')`,
    );
    t.store.db.transaction(() => {
      for (let i = 0; i < 1005; i++) insert.run(`m${i}`, c.id);
    })();
    expect(t.store.conversations.questionsLog().items).toHaveLength(100);
    const all = t.store.conversations.questionsLog({ limit: 1000000 });
    expect(all.items).toHaveLength(1000);
    expect(all.total).toBe(1005);
  });
});

describe('stats', () => {
  it('counts per UTC day with hand-computed values over two days', () => {
    seed();
    const s = t.store.conversations.stats({ days: 2 });
    expect(s.perDay).toEqual([
      { day: '2024-05-01', questions: 3, answered: 2, thumbsUp: 1, thumbsDown: 1 },
      { day: '2024-05-02', questions: 3, answered: 1, thumbsUp: 0, thumbsDown: 1 },
    ]);
    expect(s.totals).toEqual({ questions: 6, answered: 3, shareAnswered: 0.5, thumbsUp: 1, thumbsDown: 2 });
    // "  Lịch  THI là khi nào? " and "lịch thi là khi nào?" are one question; shown in its latest wording.
    expect(s.topUnanswered).toEqual([
      { question: 'lịch thi là khi nào?', count: 2 },
      { question: 'Giờ mở cửa?', count: 1 },
    ]);
  });

  it('includes the earlier day when the window grows, and zero days in a 30-day window', () => {
    seed();
    const three = t.store.conversations.stats({ days: 3 });
    expect(three.perDay[0]).toEqual({ day: '2024-04-30', questions: 1, answered: 1, thumbsUp: 0, thumbsDown: 0 });
    expect(three.totals).toEqual({ questions: 7, answered: 4, shareAnswered: 4 / 7, thumbsUp: 1, thumbsDown: 2 });

    const month = t.store.conversations.stats();
    expect(month.perDay).toHaveLength(30);
    expect(month.perDay[0]).toEqual({ day: '2024-04-03', questions: 0, answered: 0, thumbsUp: 0, thumbsDown: 0 });
    expect(month.perDay[29]!.day).toBe('2024-05-02');
    expect(month.totals.questions).toBe(7);

    const today = t.store.conversations.stats({ days: 1 });
    expect(today.perDay).toEqual([{ day: '2024-05-02', questions: 3, answered: 1, thumbsUp: 0, thumbsDown: 1 }]);
    expect(today.topUnanswered).toEqual([
      { question: 'Giờ mở cửa?', count: 1 },
      { question: 'lịch thi là khi nào?', count: 1 },
    ]);
  });

  it('is empty without messages and rejects a bad window', () => {
    const s = t.store.conversations.stats({ days: 1 });
    expect(s).toEqual({
      perDay: [{ day: '2024-05-02', questions: 0, answered: 0, thumbsUp: 0, thumbsDown: 0 }],
      totals: { questions: 0, answered: 0, shareAnswered: 0, thumbsUp: 0, thumbsDown: 0 },
      topUnanswered: [],
    });
    for (const days of [0, -1, 1.5, 367]) {
      expect(() => t.store.conversations.stats({ days })).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
  });

  it('keeps only the ten most frequent unanswered questions', () => {
    for (let q = 0; q < 12; q++) {
      for (let n = 0; n <= q; n++) {
        t.store.conversations.recordMessage(message({ question: `Câu ${q}`, answerable: false, createdAt: '2024-05-02T01:00:00.000Z' }));
      }
    }
    const top = t.store.conversations.stats({ days: 1 }).topUnanswered;
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ question: 'Câu 11', count: 12 });
    expect(top[9]).toEqual({ question: 'Câu 2', count: 3 });
  });
});

describe('the logged answer types', () => {
  it("stay equal to the answerer's, which the store does not import", () => {
    expectTypeOf<LoggedCitation>().toEqualTypeOf<Citation>();
    expectTypeOf<LoggedAnswerMode>().toEqualTypeOf<AnswerMode>();
  });
});
