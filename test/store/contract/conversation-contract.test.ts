import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { AnswerMode, Citation } from '../../../src/answer/index.js';
import {
  isStoreError,
  LearnerConversationStore,
  SqlConversationStore,
  type ConversationStore,
  type LoggedAnswerMode,
  type LoggedCitation,
  type MessageRecord,
  type QuestionsFilter,
  type TrogiangStore,
} from '../../../src/store/index.js';
import type { SqlDb } from '../../../src/store/sql/index.js';
import { message } from '../store-helpers.js';
import { adapters, type Adapter } from './store-adapters.js';

const list = await adapters('conv');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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
async function seed(c: ConversationStore): Promise<Record<'m1' | 'm2' | 'm3' | 'm4' | 'm5' | 'm6' | 'm7', MessageRecord>> {
  const m1 = await c.recordMessage(
    message({ question: 'Học phí bao nhiêu?', createdAt: '2024-04-30T23:59:59.999Z', collection: 'tin-hoc', siteKey: 'A' }),
  );
  const m2 = await c.recordMessage(
    message({
      question: '  Lịch  THI là khi nào? ',
      answerable: false,
      answerability: 0.1,
      createdAt: '2024-05-01T00:00:00.000Z',
      collection: 'tin-hoc',
      siteKey: 'A',
    }),
  );
  const m3 = await c.recordMessage(
    message({ question: 'Điểm danh thế nào?', createdAt: '2024-05-01T12:00:00.000Z', collection: 'ke-toan', siteKey: 'B' }),
  );
  const m4 = await c.recordMessage(message({ question: 'Học ở đâu?', createdAt: '2024-05-01T23:59:59.999Z' }));
  const m5 = await c.recordMessage(
    message({
      question: 'lịch thi là khi nào?',
      answerable: false,
      answerability: 0.2,
      createdAt: '2024-05-02T00:00:00.000Z',
      collection: 'ke-toan',
    }),
  );
  const m6 = await c.recordMessage(message({ question: 'Cần mang gì?', createdAt: '2024-05-02T08:00:00.000Z' }));
  const m7 = await c.recordMessage(
    message({ question: 'Giờ mở cửa?', answerable: false, answerability: 0.05, createdAt: '2024-05-02T08:30:00.000Z' }),
  );
  await c.setFeedback(m3.id, 'down', 'Sai rồi');
  await c.setFeedback(m4.id, 'up');
  await c.setFeedback(m7.id, 'down');
  return { m1, m2, m3, m4, m5, m6, m7 };
}

describe.each(list.map((a) => [a.name, a] as const))('the conversation repositories on %s', (_name, adapter: Adapter) => {
  const clock = { now: new Date('2024-05-02T09:00:00.000Z') };
  let sql: SqlDb;
  let conv: ConversationStore;
  let learners: LearnerConversationStore;

  /** A new empty store, its repositories on a clock the test moves. */
  const open = async (): Promise<TrogiangStore> => {
    clock.now = new Date('2024-05-02T09:00:00.000Z');
    const store = (await adapter.open()) as TrogiangStore;
    sql = store.sql;
    conv = new SqlConversationStore(sql, () => clock.now);
    learners = new LearnerConversationStore(sql, () => clock.now);
    return store;
  };

  afterEach(async () => {
    await adapter.cleanup();
  });

  describe('conversations and messages', () => {
    it('creates a conversation with a UUID and the site key', async () => {
      await open();
      const c = await conv.createConversation('tg_pub_x');
      expect(c.id).toMatch(uuid);
      expect(c).toEqual({
        id: c.id,
        siteKey: 'tg_pub_x',
        centerId: 'default',
        createdAt: '2024-05-02T09:00:00.000Z',
        updatedAt: '2024-05-02T09:00:00.000Z',
      });
      expect(await conv.getConversation(c.id)).toEqual(c);
      expect((await conv.createConversation(null, 'hanoi')).centerId).toBe('hanoi');
      expect((await conv.createConversation()).siteKey).toBeNull();
      expect(await conv.getConversation('nope')).toBeUndefined();
    });

    it('is what the store itself offers as `conversations` and `learnerConversations`', async () => {
      const store = await open();
      const m = await store.conversations.recordMessage(message({ conversationId: 'c1' }));
      expect(await conv.getMessage(m.id)).toEqual(m);
      await store.learnerConversations.claim('c1', 'lti:p:ctx:u1', 'p:ctx');
      expect(await learners.ownerOf('c1')).toBe('lti:p:ctx:u1');
    });

    it('records a message, creating a missing conversation, and reads it back as stored', async () => {
      await open();
      const m = await conv.recordMessage(
        message({
          conversationId: 'client-held-id',
          siteKey: 'tg_pub_x',
          rewrittenQuestion: 'Học phí khóa tin học bao nhiêu?',
          collection: 'tin-hoc',
          latencyMs: 12.6,
          answerability: 0.8123456789,
          centerId: 'hanoi',
        }),
      );
      expect(m.id).toMatch(uuid);
      expect(m.conversationId).toBe('client-held-id');
      expect(m.latencyMs).toBe(13);
      expect(m.createdAt).toBe('2024-05-02T09:00:00.000Z');
      // Every field as written, the answerability to the last digit (a double on both).
      expect(await conv.getMessage(m.id)).toEqual(m);
      expect(await conv.getConversation('client-held-id')).toEqual({
        id: 'client-held-id',
        siteKey: 'tg_pub_x',
        centerId: 'hanoi',
        createdAt: m.createdAt,
        updatedAt: m.createdAt,
      });

      const fresh = await conv.recordMessage(message({ mode: 'verified' }));
      expect(fresh.conversationId).toMatch(uuid);
      expect(fresh.rewrittenQuestion).toBeNull();
      expect(fresh.siteKey).toBeNull();
      expect((await conv.getMessage(fresh.id))?.mode).toBe('verified');
      expect((await conv.getConversation(fresh.conversationId))?.centerId).toBe('default');
      expect(await conv.getMessage('nope')).toBeUndefined();
    });

    it('keeps a message id given by the caller and refuses the same id twice, logging nothing', async () => {
      await open();
      await conv.recordMessage(message({ id: 'msg-1', conversationId: 'c1' }));
      await expect(conv.recordMessage(message({ id: 'msg-1', conversationId: 'c2' }))).rejects.toThrow();
      // The failed message's conversation was rolled back with it.
      expect(await conv.getConversation('c2')).toBeUndefined();
      expect((await conv.questionsLog()).total).toBe(1);
    });

    it('stores createdAt in UTC and moves the conversation updatedAt forward only', async () => {
      await open();
      const c = await conv.createConversation();
      const m = await conv.recordMessage(message({ conversationId: c.id, createdAt: '2024-05-03T07:30:00+07:00' }));
      expect(m.createdAt).toBe('2024-05-03T00:30:00.000Z');
      await conv.recordMessage(message({ conversationId: c.id, createdAt: '2024-05-01T00:00:00Z' }));
      expect((await conv.getConversation(c.id))?.updatedAt).toBe('2024-05-03T00:30:00.000Z');
      await conv.recordMessage(message({ conversationId: c.id, createdAt: '2024-05-04T00:00:00Z' }));
      expect((await conv.getConversation(c.id))?.updatedAt).toBe('2024-05-04T00:00:00.000Z');
      await expect(conv.recordMessage(message({ createdAt: 'yesterday' }))).rejects.toMatchObject({ code: 'invalid_input' });
    });

    it('history returns the last exchanges oldest to newest', async () => {
      await open();
      const c = await conv.createConversation();
      const other = await conv.createConversation();
      for (let i = 1; i <= 5; i++) {
        await conv.recordMessage(
          message({ conversationId: c.id, question: `q${i}`, answer: `a${i}`, createdAt: `2024-05-02T08:0${i}:00.000Z` }),
        );
        await conv.recordMessage(message({ conversationId: other.id, question: `other${i}` }));
      }
      expect(await conv.history(c.id)).toEqual([
        { question: 'q3', answer: 'a3' },
        { question: 'q4', answer: 'a4' },
        { question: 'q5', answer: 'a5' },
      ]);
      expect(await conv.history(c.id, 1)).toEqual([{ question: 'q5', answer: 'a5' }]);
      expect((await conv.history(c.id, 10)).map((h) => h.question)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
      expect(await conv.history(c.id, 0)).toEqual([]);
      expect(await conv.history('unknown')).toEqual([]);
    });

    it('history gives the standalone rewrite of a follow-up, and keeps a rewrite only when it differs', async () => {
      await open();
      const c = await conv.createConversation();
      const first = await conv.recordMessage(
        message({ conversationId: c.id, question: 'Học phí tin học?', rewrittenQuestion: ' Học phí tin học? ', answer: 'a1' }),
      );
      expect(first.rewrittenQuestion).toBeNull();
      expect((await conv.recordMessage(message({ conversationId: c.id, rewrittenQuestion: '  ' }))).rewrittenQuestion).toBeNull();
      await conv.recordMessage(
        message({ conversationId: c.id, question: 'Còn kế toán?', rewrittenQuestion: 'Học phí kế toán là bao nhiêu?', answer: 'a2' }),
      );
      expect(await conv.history(c.id, 2)).toEqual([
        { question: 'Học phí bao nhiêu?', answer: 'Học phí là 1.200.000 đồng [1].' },
        { question: 'Học phí kế toán là bao nhiêu?', answer: 'a2' },
      ]);
    });

    it('history breaks ties of the same timestamp by insertion order', async () => {
      await open();
      const c = await conv.createConversation();
      // Ids that sort against insertion order, so only the insertion order can give this answer.
      for (const [id, q] of [
        ['z', 'first'],
        ['y', 'second'],
        ['x', 'third'],
      ] as const)
        await conv.recordMessage(message({ id, conversationId: c.id, question: q }));
      expect((await conv.history(c.id, 2)).map((h) => h.question)).toEqual(['second', 'third']);
    });
  });

  describe('feedback', () => {
    it('upserts one rating per message; the new one replaces the old', async () => {
      await open();
      const m = await conv.recordMessage(message());
      const first = await conv.setFeedback(m.id, 'up', '  Rất rõ ràng  ');
      expect(first).toEqual({
        id: first!.id,
        messageId: m.id,
        rating: 'up',
        comment: 'Rất rõ ràng',
        createdAt: '2024-05-02T09:00:00.000Z',
      });
      expect(typeof first!.id).toBe('number');

      clock.now = new Date('2024-05-02T10:00:00.000Z');
      const second = await conv.setFeedback(m.id, 'down');
      expect(second).toEqual({ id: first!.id, messageId: m.id, rating: 'down', comment: null, createdAt: '2024-05-02T10:00:00.000Z' });
      expect(await conv.getFeedback(m.id)).toEqual(second);
      expect((await sql.get<{ n: number }>('SELECT count(*) AS n FROM feedback'))!.n).toBe(1);
      expect((await conv.setFeedback(m.id, 'down', '   '))?.comment).toBeNull();
    });

    it('returns undefined for an unknown message and rejects a bad rating', async () => {
      await open();
      expect(await conv.setFeedback('no-such-message', 'up')).toBeUndefined();
      expect(await conv.getFeedback('no-such-message')).toBeUndefined();
      const m = await conv.recordMessage(message());
      const caught = await conv.setFeedback(m.id, 'meh' as 'up').catch((e: unknown) => e);
      expect(isStoreError(caught, 'invalid_input')).toBe(true);
      expect(await conv.getFeedback(m.id)).toBeUndefined();
    });
  });

  describe('questionsLog', () => {
    const ids = async (f: QuestionsFilter) => (await conv.questionsLog(f)).items.map((i) => i.id);

    it('puts unanswered and thumbs-down first, then newest first, with feedback attached', async () => {
      await open();
      const m = await seed(conv);
      const log = await conv.questionsLog();
      expect(log.total).toBe(7);
      expect(log.items.map((i) => i.id)).toEqual([m.m7, m.m5, m.m3, m.m2, m.m6, m.m4, m.m1].map((x) => x.id));
      expect(log.items[0]!.feedback).toMatchObject({ rating: 'down', comment: null });
      expect(log.items[2]!.feedback).toMatchObject({ rating: 'down', comment: 'Sai rồi' });
      expect(log.items[4]!.feedback).toBeNull();
      expect(log.items[5]!.feedback?.rating).toBe('up');
      const { feedback: _, ...record } = log.items[6]!;
      expect(record).toEqual(m.m1);
    });

    it('filters unanswered, thumbs-down, and either when both are set', async () => {
      await open();
      const m = await seed(conv);
      expect(await ids({ unanswered: true })).toEqual([m.m7, m.m5, m.m2].map((x) => x.id));
      expect(await ids({ thumbsDown: true })).toEqual([m.m7, m.m3].map((x) => x.id));
      expect(await ids({ unanswered: true, thumbsDown: true })).toEqual([m.m7, m.m5, m.m3, m.m2].map((x) => x.id));
      expect((await conv.questionsLog({ unanswered: false, thumbsDown: false })).total).toBe(7);
      expect((await conv.questionsLog({ unanswered: true })).total).toBe(3);
    });

    it('filters by inclusive UTC days at the midnight edges', async () => {
      await open();
      const m = await seed(conv);
      const days = (from?: string, to?: string) => ids({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
      expect(await days('2024-05-01', '2024-05-01')).toEqual([m.m3, m.m2, m.m4].map((x) => x.id));
      expect(await days('2024-05-02')).toEqual([m.m7, m.m5, m.m6].map((x) => x.id));
      expect(await days(undefined, '2024-04-30')).toEqual([m.m1.id]);
      expect(await days('2024-04-30', '2024-05-02')).toHaveLength(7);
      expect(await days('2024-05-03')).toEqual([]);
      expect(await days('2024-05-02', '2024-05-01')).toEqual([]);
      for (const bad of ['2024-02-30', '2024-5-1', '01/05/2024', '2024-05-01T00:00:00Z']) {
        await expect(conv.questionsLog({ from: bad })).rejects.toMatchObject({ code: 'invalid_input' });
        await expect(conv.questionsForExport({ to: bad })).rejects.toMatchObject({ code: 'invalid_input' });
      }
    });

    it('filters by collection, site key and center, combined with the others', async () => {
      await open();
      const m = await seed(conv);
      expect(await ids({ collection: 'ke-toan' })).toEqual([m.m5, m.m3].map((x) => x.id));
      expect(await ids({ collection: 'tin-hoc' })).toEqual([m.m2, m.m1].map((x) => x.id));
      expect(await ids({ collection: 'none' })).toEqual([]);
      expect(await ids({ siteKey: 'A' })).toEqual([m.m2, m.m1].map((x) => x.id));
      expect(await ids({ siteKey: 'B', thumbsDown: true })).toEqual([m.m3.id]);
      expect(await ids({ collection: 'ke-toan', unanswered: true, from: '2024-05-02' })).toEqual([m.m5.id]);

      const hanoi = await conv.recordMessage(message({ centerId: 'hanoi', answerable: false, createdAt: '2024-05-02T08:45:00.000Z' }));
      expect(await ids({ centerId: 'hanoi' })).toEqual([hanoi.id]);
      expect(await ids({ centerId: 'default', unanswered: true })).toEqual([m.m7, m.m5, m.m2].map((x) => x.id));
      expect(await ids({ centerId: 'nowhere' })).toEqual([]);
    });

    it('pages with limit and offset; total ignores paging; limit is clamped', async () => {
      await open();
      const m = await seed(conv);
      const page = await conv.questionsLog({ limit: 2, offset: 1 });
      expect(page.total).toBe(7);
      expect(page.items.map((i) => i.id)).toEqual([m.m5.id, m.m3.id]);
      expect((await conv.questionsLog({ limit: 5000 })).items).toHaveLength(7);
      expect((await conv.questionsLog({ limit: 0 })).items).toHaveLength(1);
      expect((await conv.questionsLog({ offset: 7 })).items).toEqual([]);
    });

    it('breaks ties of the same time by insertion order, newest first', async () => {
      await open();
      for (const id of ['b', 'c', 'a']) await conv.recordMessage(message({ id, createdAt: '2024-05-01T00:00:00.000Z' }));
      expect(await ids({})).toEqual(['a', 'c', 'b']);
    });

    it('defaults to 100 items and caps at 1000', async () => {
      await open();
      const c = await conv.createConversation();
      await sql.transaction(async (tx) => {
        for (let from = 0; from < 1005; from += 201) {
          const n = Math.min(201, 1005 - from);
          await tx.run(
            `INSERT INTO messages (id, conversation_id, question, answer, mode, answerable, answerability, lang, latency_ms, created_at)
             VALUES ${Array(n).fill("(?, ?, 'q', 'a', 'extractive', 1, 0.5, 'vi', 1, '2024-05-01T00:00:00.000Z')").join(', ')}`,
            Array.from({ length: n }, (_, i) => [`m${from + i}`, c.id]).flat(),
          );
        }
      });
      expect((await conv.questionsLog()).items).toHaveLength(100);
      const all = await conv.questionsLog({ limit: 1000000 });
      expect(all.items).toHaveLength(1000);
      expect(all.total).toBe(1005);
    });
  });

  describe('questionsForExport (the CSV rows)', () => {
    it('gives every row in the log order, or a page when a limit is set', async () => {
      await open();
      const m = await seed(conv);
      const log = await conv.questionsLog();
      expect(await conv.questionsForExport()).toEqual(log.items);
      expect((await conv.questionsForExport({ unanswered: true })).map((i) => i.id)).toEqual([m.m7, m.m5, m.m2].map((x) => x.id));
      expect((await conv.questionsForExport({ limit: 2, offset: 1 })).map((i) => i.id)).toEqual([m.m5.id, m.m3.id]);
      expect(await conv.questionsForExport({ offset: 7 })).toEqual([]);
    });
  });

  describe('stats', () => {
    it('counts per UTC day with hand-computed values over two days', async () => {
      await open();
      await seed(conv);
      const s = await conv.stats({ days: 2 });
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

    it('includes the earlier day when the window grows, and zero days in a 30-day window', async () => {
      await open();
      await seed(conv);
      const three = await conv.stats({ days: 3 });
      expect(three.perDay[0]).toEqual({ day: '2024-04-30', questions: 1, answered: 1, thumbsUp: 0, thumbsDown: 0 });
      expect(three.totals).toEqual({ questions: 7, answered: 4, shareAnswered: 4 / 7, thumbsUp: 1, thumbsDown: 2 });

      const month = await conv.stats();
      expect(month.perDay).toHaveLength(30);
      expect(month.perDay[0]).toEqual({ day: '2024-04-03', questions: 0, answered: 0, thumbsUp: 0, thumbsDown: 0 });
      expect(month.perDay[29]!.day).toBe('2024-05-02');
      expect(month.totals.questions).toBe(7);

      const today = await conv.stats({ days: 1 });
      expect(today.perDay).toEqual([{ day: '2024-05-02', questions: 3, answered: 1, thumbsUp: 0, thumbsDown: 1 }]);
      expect(today.topUnanswered).toEqual([
        { question: 'Giờ mở cửa?', count: 1 },
        { question: 'lịch thi là khi nào?', count: 1 },
      ]);
    });

    it("counts only a center's conversations when asked", async () => {
      await open();
      await seed(conv);
      await conv.recordMessage(
        message({ centerId: 'hanoi', question: 'Ở Hà Nội?', answerable: false, createdAt: '2024-05-02T08:50:00.000Z' }),
      );
      const hanoi = await conv.stats({ days: 1, centerId: 'hanoi' });
      expect(hanoi.totals).toEqual({ questions: 1, answered: 0, shareAnswered: 0, thumbsUp: 0, thumbsDown: 0 });
      expect(hanoi.topUnanswered).toEqual([{ question: 'Ở Hà Nội?', count: 1 }]);
      expect((await conv.stats({ days: 1, centerId: 'default' })).totals.questions).toBe(3);
      expect((await conv.stats({ days: 1 })).totals.questions).toBe(4);
    });

    it('is empty without messages and rejects a bad window', async () => {
      await open();
      expect(await conv.stats({ days: 1 })).toEqual({
        perDay: [{ day: '2024-05-02', questions: 0, answered: 0, thumbsUp: 0, thumbsDown: 0 }],
        totals: { questions: 0, answered: 0, shareAnswered: 0, thumbsUp: 0, thumbsDown: 0 },
        topUnanswered: [],
      });
      for (const days of [0, -1, 1.5, 367]) {
        await expect(conv.stats({ days })).rejects.toMatchObject({ code: 'invalid_input' });
      }
    });

    it('keeps only the ten most frequent unanswered questions', async () => {
      await open();
      for (let q = 0; q < 12; q++) {
        for (let n = 0; n <= q; n++) {
          await conv.recordMessage(message({ question: `Câu ${q}`, answerable: false, createdAt: '2024-05-02T01:00:00.000Z' }));
        }
      }
      const top = (await conv.stats({ days: 1 })).topUnanswered;
      expect(top).toHaveLength(10);
      expect(top[0]).toEqual({ question: 'Câu 11', count: 12 });
      expect(top[9]).toEqual({ question: 'Câu 2', count: 3 });
    });
  });

  describe("learners' conversations", () => {
    const owner = 'lti:p1:ctx1:u1';

    it('claims a conversation for its first owner only; others are anonymous', async () => {
      await open();
      await conv.createConversation().then((c) => learners.claim(c.id, owner, 'p1:ctx1'));
      const c = await conv.createConversation();
      expect(await learners.ownerOf(c.id)).toBeNull();
      await learners.claim(c.id, owner, 'p1:ctx1');
      await learners.claim(c.id, 'lti:p1:ctx1:intruder', 'p1:ctx1');
      expect(await learners.ownerOf(c.id)).toBe(owner);
      expect(await learners.ownerOf('unknown')).toBeNull();
    });

    it("lists the owner's conversations with messages, newest first, titled by their first question", async () => {
      await open();
      // Created before their messages: each conversation's time is its latest message's.
      clock.now = new Date('2024-04-30T00:00:00.000Z');
      const old = await conv.createConversation();
      const recent = await conv.createConversation();
      const empty = await conv.createConversation();
      const someoneElse = await conv.createConversation();
      for (const c of [old, recent, empty]) await learners.claim(c.id, owner, null);
      await learners.claim(someoneElse.id, 'site:k:other', null);
      // Same time, so the title can only come from the insertion order.
      await conv.recordMessage(message({ id: 'z1', conversationId: old.id, question: 'Câu đầu', createdAt: '2024-05-01T00:00:00.000Z' }));
      await conv.recordMessage(message({ id: 'a2', conversationId: old.id, question: 'Câu sau', createdAt: '2024-05-01T00:00:00.000Z' }));
      await conv.recordMessage(message({ conversationId: recent.id, question: 'Mới', createdAt: '2024-05-02T00:00:00.000Z' }));
      await conv.recordMessage(message({ conversationId: someoneElse.id, question: 'Không phải của tôi' }));
      expect(await learners.list(owner)).toEqual([
        { id: recent.id, title: 'Mới', messages: 1, updatedAt: '2024-05-02T00:00:00.000Z' },
        { id: old.id, title: 'Câu đầu', messages: 2, updatedAt: '2024-05-01T00:00:00.000Z' },
      ]);
      expect(await learners.list(owner, 1)).toHaveLength(1);
      expect(await learners.list('nobody')).toEqual([]);
    });

    it("gives a conversation's messages with ratings to its owner only, oldest first", async () => {
      await open();
      const c = await conv.createConversation();
      await learners.claim(c.id, owner, null);
      const second = await conv.recordMessage(message({ conversationId: c.id, question: 'Hai', createdAt: '2024-05-01T00:00:02.000Z' }));
      const first = await conv.recordMessage(
        message({ conversationId: c.id, question: 'Một', answerable: false, createdAt: '2024-05-01T00:00:01.000Z' }),
      );
      await conv.setFeedback(second.id, 'up');
      expect(await learners.messages(owner, c.id)).toEqual([
        {
          id: first.id,
          question: 'Một',
          answer: first.answer,
          answerable: false,
          citations: first.citations,
          rating: null,
          createdAt: first.createdAt,
        },
        {
          id: second.id,
          question: 'Hai',
          answer: second.answer,
          answerable: true,
          citations: second.citations,
          rating: 'up',
          createdAt: second.createdAt,
        },
      ]);
      expect(await learners.messages('site:k:other', c.id)).toBeUndefined();
      expect(await learners.messages(owner, 'unknown')).toBeUndefined();
    });

    it("deletes all of an owner's conversations with their messages and feedback, and nobody else's", async () => {
      await open();
      const mine = await conv.recordMessage(message({ conversationId: 'mine-1' }));
      await conv.recordMessage(message({ conversationId: 'mine-2' }));
      const theirs = await conv.recordMessage(message({ conversationId: 'theirs' }));
      await learners.claim('mine-1', owner, null);
      await learners.claim('mine-2', owner, null);
      await learners.claim('theirs', 'site:k:other', null);
      await conv.setFeedback(mine.id, 'down', 'sai');
      expect(await learners.deleteAll(owner)).toBe(2);
      expect(await conv.getConversation('mine-1')).toBeUndefined();
      expect(await conv.getMessage(mine.id)).toBeUndefined();
      expect((await sql.get<{ n: number }>('SELECT count(*) AS n FROM feedback'))!.n).toBe(0);
      expect(await learners.ownerOf('mine-1')).toBeNull();
      expect(await conv.getMessage(theirs.id)).toEqual(theirs);
      expect(await learners.deleteAll(owner)).toBe(0);
    });

    it("gives a course's log: unanswered and thumbs-down first, then newest, narrowed on request", async () => {
      await open();
      const at = (s: number) => `2024-05-01T00:00:0${s}.000Z`;
      await learners.claim((await conv.createConversation()).id, owner, 'p1:ctx1');
      const [c1] = (await sql.all<{ conversation_id: string }>('SELECT conversation_id FROM learner_conversations')).map(
        (r) => r.conversation_id,
      );
      const answered = await conv.recordMessage(message({ conversationId: c1, question: 'Đã trả lời', createdAt: at(4) }));
      const declined = await conv.recordMessage(message({ conversationId: c1, question: 'Từ chối', answerable: false, createdAt: at(1) }));
      const disliked = await conv.recordMessage(message({ conversationId: c1, question: 'Không thích', createdAt: at(2) }));
      const liked = await conv.recordMessage(message({ conversationId: c1, question: 'Thích', createdAt: at(3) }));
      await conv.setFeedback(disliked.id, 'down', 'Sai');
      await conv.setFeedback(liked.id, 'up');
      // Another course's question stays out.
      await conv.recordMessage(message({ conversationId: 'other-course', question: 'Khác' }));
      await learners.claim('other-course', 'lti:p1:ctx2:u1', 'p1:ctx2');

      const log = await learners.courseLog('p1:ctx1');
      expect(log.map((r) => r.id)).toEqual([disliked.id, declined.id, answered.id, liked.id]);
      expect(log[0]).toEqual({
        id: disliked.id,
        question: 'Không thích',
        answer: disliked.answer,
        answerable: true,
        rating: 'down',
        comment: 'Sai',
        createdAt: at(2),
      });
      expect((await learners.courseLog('p1:ctx1', 'unanswered')).map((r) => r.id)).toEqual([declined.id]);
      expect((await learners.courseLog('p1:ctx1', 'thumbsDown')).map((r) => r.id)).toEqual([disliked.id]);
      expect(await learners.courseLog('p1:ctx1', 'all', 2)).toHaveLength(2);
      expect(await learners.courseLog('p9:none')).toEqual([]);
    });
  });
});

describe('the logged answer types', () => {
  it("stay equal to the answerer's, which the store does not import", () => {
    expectTypeOf<LoggedCitation>().toEqualTypeOf<Citation>();
    expectTypeOf<LoggedAnswerMode>().toEqualTypeOf<AnswerMode>();
  });
});
