/**
 * The practice and LTI repositories over `SqlDb`, the same on SQLite and PostgreSQL: practice items
 * per center (generated, reviewed, listed for learners), Leitner boxes, LTI platforms by issuer and
 * client, nonces used once (also by two replicas), the tool's key rotation seen by every replica,
 * user-token secrets and learners' conversation owners.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ToolKeys } from '../../../src/lti/tool-keys.js';
import { LtiPlatformStore } from '../../../src/lti/platform-store.js';
import { UserTokenSecrets } from '../../../src/lti/user-token.js';
import { LeitnerStore } from '../../../src/practice/leitner-store.js';
import { PracticeStore } from '../../../src/practice/practice-store.js';
import type { GeneratedItem } from '../../../src/practice/practice-item.js';
import { LearnerConversationStore, type Store } from '../../../src/store/index.js';
import type { SqlDb } from '../../../src/store/sql/index.js';
import { adapters, type Adapter } from './store-adapters.js';

const list = await adapters('plti');

const sqlOf = (store: Store): SqlDb => (store as unknown as { sql: SqlDb }).sql;

const item = (id: string, collection: string, documentId: string, over: Partial<GeneratedItem> = {}): GeneratedItem => ({
  id,
  collection,
  documentId,
  title: 'Luật Giao thông',
  headingPath: ['Chương 1', 'Điều 2'],
  page: 3,
  chunkId: `${documentId}#0`,
  type: 'choice',
  kind: 'quantity',
  prompt: 'Tốc độ tối đa là _____ km/h.',
  answer: '50',
  distractors: ['40', '60', '70'],
  sentence: 'Tốc độ tối đa là 50 km/h.',
  checks: { keyOnce: true, retrievesSource: true, distractorsOk: true, fitSentence: true },
  passed: true,
  ...over,
});

const platform = (issuer: string, clientId: string) => ({
  issuer,
  clientId,
  deploymentIds: ['1'],
  authUrl: `${issuer}/auth`,
  tokenUrl: `${issuer}/token`,
  jwksUrl: `${issuer}/jwks`,
});

/** Whether the conversation tables exist on this database (on PostgreSQL another branch adds them). */
async function hasConversations(sql: SqlDb): Promise<boolean> {
  try {
    await sql.get('SELECT 1 AS one FROM messages LIMIT 1');
    return true;
  } catch {
    return false;
  }
}

async function conversationWith(sql: SqlDb, id: string, questions: string[], at: string): Promise<void> {
  await sql.run("INSERT INTO conversations (id, site_key, created_at, updated_at, center_id) VALUES (?, NULL, ?, ?, 'default')", [
    id,
    at,
    at,
  ]);
  for (const [i, question] of questions.entries()) {
    await sql.run(
      `INSERT INTO messages (id, conversation_id, question, answer, citations, mode, answerable, answerability, retrieval_scores, lang, latency_ms, created_at)
       VALUES (?, ?, ?, 'đáp', '[]', 'extractive', ?, 0.5, '[]', 'vi', 10, ?)`,
      [`${id}-m${i}`, id, question, i === 0 ? 1 : 0, `${at.slice(0, -4)}${String(i).padStart(3, '0')}Z`],
    );
  }
}

describe.each(list.map((a) => [a.name, a] as const))('practice and LTI repositories on %s', (_name, adapter: Adapter) => {
  afterEach(async () => {
    await adapter.cleanup();
  });

  it("keeps each center's items apart; a teacher's review and edit survive a new generation", async () => {
    const sql = sqlOf(await adapter.open());
    let now = new Date('2026-03-01T08:00:00.000Z');
    const items = new PracticeStore(sql, () => now);
    await items.replaceDocumentItems('a', 'd1', 'a.luat', 'h1', [
      item('i1', 'a.luat', 'd1'),
      item('i2', 'a.luat', 'd1', { passed: false }),
    ]);
    await items.replaceDocumentItems('b', 'd9', 'b.luat', 'h9', [item('i9', 'b.luat', 'd9')]);

    expect((await items.list('a.luat')).map((i) => [i.id, i.centerId, i.status, i.contentHash])).toEqual([
      ['i1', 'a', 'generated', 'h1'],
      ['i2', 'a', 'generated', 'h1'],
    ]);
    expect((await items.list('b.luat')).map((i) => i.id)).toEqual(['i9']);
    expect(await items.get('i1')).toMatchObject({ headingPath: ['Chương 1', 'Điều 2'], distractors: ['40', '60', '70'], passed: true });
    expect(await items.source('d1')).toEqual({
      documentId: 'd1',
      collection: 'a.luat',
      contentHash: 'h1',
      items: 2,
      passed: 1,
      generatedAt: '2026-03-01T08:00:00.000Z',
    });
    expect(await items.documentsWithItems('a.luat')).toEqual(['d1']);

    // Before review learners get the items that pass; after, only what a teacher approved or edited.
    expect((await items.forLearners('a.luat')).map((i) => i.id)).toEqual(['i1']);
    expect(await items.reviewed('a.luat')).toBe(false);
    now = new Date('2026-03-02T08:00:00.000Z');
    expect(await items.update('i2', { prompt: 'Sửa: _____ km/h.' })).toMatchObject({ status: 'edited', prompt: 'Sửa: _____ km/h.' });
    expect(await items.update('nope', { status: 'approved' })).toBeUndefined();
    expect(await items.reviewed('a.luat')).toBe(true);
    expect(await items.reviewed('b.luat')).toBe(false);
    expect((await items.forLearners('a.luat')).map((i) => i.id)).toEqual(['i2']);

    // Generated again: i2 keeps the teacher's text, i1 is gone with its sentence.
    await items.replaceDocumentItems('a', 'd1', 'a.luat', 'h2', [
      item('i2', 'a.luat', 'd1', { prompt: 'máy: _____' }),
      item('i3', 'a.luat', 'd1'),
    ]);
    expect((await items.list('a.luat')).map((i) => [i.id, i.status, i.prompt, i.contentHash])).toEqual([
      ['i2', 'edited', 'Sửa: _____ km/h.', 'h2'],
      ['i3', 'generated', 'Tốc độ tối đa là _____ km/h.', 'h2'],
    ]);

    // Excluded sections: per center, twice is once, and learners never get them.
    await items.exclude('a', 'd1', 'Điều 2');
    await items.exclude('a', 'd1', 'Điều 2');
    expect(await items.exclusions('a')).toEqual([{ documentId: 'd1', heading: 'Điều 2' }]);
    expect(await items.exclusions('b')).toEqual([]);
    expect(await items.forLearners('a.luat')).toEqual([]);
    expect(await items.include('d1', 'Điều 2')).toBe(true);
    expect(await items.include('d1', 'Điều 2')).toBe(false);

    await items.removeDocument('d1');
    expect(await items.list('a.luat')).toEqual([]);
    expect(await items.source('d1')).toBeUndefined();
    expect((await items.list('b.luat')).map((i) => i.id)).toEqual(['i9']);
  });

  it('moves Leitner boxes per learner and session, and forgets one learner only', async () => {
    const sql = sqlOf(await adapter.open());
    const boxes = new LeitnerStore(sql);
    expect(await boxes.session('lti:p:c:an')).toBe(0);
    expect(await boxes.startSession('lti:p:c:an')).toBe(1);
    expect(await boxes.record('lti:p:c:an', 'i1', true)).toEqual({ box: 2, due: 3 });
    expect(await boxes.record('lti:p:c:an', 'i2', false)).toEqual({ box: 1, due: 2 });
    expect(await boxes.startSession('lti:p:c:an')).toBe(2);
    expect(await boxes.record('lti:p:c:an', 'i1', true)).toEqual({ box: 3, due: 6 });
    expect(await boxes.record('lti:p:c:an', 'i2', false)).toEqual({ box: 1, due: 3 });
    await boxes.startSession('lti:p:c:binh');
    await boxes.record('lti:p:c:binh', 'i1', false);

    expect(await boxes.entries('lti:p:c:an')).toEqual(
      new Map([
        ['i1', { box: 3, due: 6 }],
        ['i2', { box: 1, due: 3 }],
      ]),
    );
    // Rounds started at once all count (one statement each).
    await Promise.all([boxes.startSession('lti:p:c:an'), boxes.startSession('lti:p:c:an')]);
    expect(await boxes.session('lti:p:c:an')).toBe(4);

    expect(await boxes.forget('lti:p:c:an')).toBe(2);
    expect(await boxes.entries('lti:p:c:an')).toEqual(new Map());
    expect(await boxes.session('lti:p:c:an')).toBe(0);
    expect(await boxes.entries('lti:p:c:binh')).toEqual(new Map([['i1', { box: 1, due: 2 }]]));
  });

  it('registers a platform once per issuer and client, per center, and keeps its courses', async () => {
    const store = await adapter.open();
    const sql = sqlOf(store);
    await sql.run("INSERT INTO centers (id, name, status, created_at) VALUES ('b', 'B', 'active', '2026-01-01T00:00:00.000Z')");
    let tick = 0;
    const platforms = new LtiPlatformStore(sql, () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)));
    const moodle = (await platforms.create('default', platform('https://lms.vn', 'c1')))!;
    expect(moodle).toMatchObject({ centerId: 'default', issuer: 'https://lms.vn', clientId: 'c1', deploymentIds: ['1'] });
    expect(await platforms.create('b', platform('https://lms.vn', 'c1'))).toBeUndefined();
    const second = (await platforms.create('b', platform('https://lms.vn', 'c2')))!;

    expect((await platforms.byIssuer('https://lms.vn')).map((p) => p.id)).toEqual([moodle.id, second.id]);
    expect(await platforms.byIssuer('https://other.vn')).toEqual([]);
    expect((await platforms.list('default')).map((p) => p.clientId)).toEqual(['c1']);
    expect((await platforms.list('b')).map((p) => p.clientId)).toEqual(['c2']);
    expect(await platforms.get(moodle.id)).toEqual(moodle);

    expect(await platforms.touchCourse(moodle.id, 'ctx', 'Toán 10')).toEqual({
      platformId: moodle.id,
      contextId: 'ctx',
      title: 'Toán 10',
      collections: null,
    });
    await platforms.setCourseCollections(moodle.id, 'ctx', ['toan']);
    expect((await platforms.touchCourse(moodle.id, 'ctx', 'Toán 10A'))!).toMatchObject({ title: 'Toán 10A', collections: ['toan'] });

    // Another center cannot remove it; removing it takes its courses along.
    expect(await platforms.delete('b', moodle.id)).toBe(false);
    expect(await platforms.delete('default', moodle.id)).toBe(true);
    expect(await platforms.get(moodle.id)).toBeUndefined();
    expect(await platforms.course(moodle.id, 'ctx')).toBeUndefined();
  });

  it('uses a nonce once, across replicas, and never after it expires', async () => {
    const store = await adapter.open();
    const other = await adapter.reopen(store);
    let now = new Date('2026-01-01T00:00:00.000Z');
    const here = new LtiPlatformStore(sqlOf(store), () => now);
    const there = new LtiPlatformStore(sqlOf(other), () => now);
    await here.addNonce('once', new Date(now.getTime() + 60_000));
    await here.addNonce('late', new Date(now.getTime() + 60_000));
    const both = await Promise.all([here.useNonce('once'), there.useNonce('once')]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await there.useNonce('once')).toBe(false);
    now = new Date(now.getTime() + 61_000);
    expect(await there.useNonce('late')).toBe(false);
    expect(await there.useNonce('never-issued')).toBe(false);
    // Expired ones are cleared when the next is stored.
    await there.addNonce('next', new Date(now.getTime() + 60_000));
    expect(await sqlOf(store).all('SELECT nonce FROM lti_nonces')).toEqual([{ nonce: 'next' }]);
  });

  it("rotates the tool's key: every replica signs with the new one and still accepts the old", async () => {
    const store = await adapter.open();
    const other = await adapter.reopen(store);
    const here = new ToolKeys(sqlOf(store));
    const there = new ToolKeys(sqlOf(other));
    const before = await here.sign({ n: 1 }, { audience: 'x', expiresIn: 60 });
    const first = (await there.jwks()).keys.map((k) => k.kid);
    expect(first).toHaveLength(1);
    const kid = await there.rotate();
    expect((await here.jwks()).keys.map((k) => k.kid)).toEqual([kid, first[0]]);
    const after = await here.sign({ n: 2 }, { audience: 'x', expiresIn: 60 });
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe(kid);
    await expect(there.verifyOwn(before, 'x')).resolves.toMatchObject({ n: 1 });
    await expect(there.verifyOwn(after, 'x')).resolves.toMatchObject({ n: 2 });
    expect(JSON.stringify(await here.jwks())).not.toMatch(/"(d|p|q|dp|dq|qi)":/);
  });

  it('keeps one secret per site key, replaced when renewed', async () => {
    const sql = sqlOf(await adapter.open());
    // The key itself, where its table exists (on PostgreSQL another branch adds it).
    await sql
      .run(
        "INSERT INTO site_keys (key, title, rate_limit_per_minute, lang, created_at, updated_at) VALUES ('k1', 'K', 60, 'vi', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
      )
      .catch(() => undefined);
    const secrets = new UserTokenSecrets(sql);
    expect(await secrets.has('k1')).toBe(false);
    const first = await secrets.renew('k1');
    expect(await secrets.get('k1')).toBe(first);
    const second = await secrets.renew('k1');
    expect(second).not.toBe(first);
    expect(await secrets.get('k1')).toBe(second);
  });

  it("names a conversation's first owner only, and lists and deletes an owner's conversations only", async () => {
    const sql = sqlOf(await adapter.open());
    const owners = new LearnerConversationStore(sql);
    if (!(await hasConversations(sql))) {
      // Without the conversation tables (PostgreSQL before they are added) ownership alone is kept.
      await owners.claim('c1', 'lti:p:ctx:an', 'lti:p:ctx');
      await owners.claim('c1', 'lti:p:ctx:binh', 'lti:p:ctx');
      expect(await owners.ownerOf('c1')).toBe('lti:p:ctx:an');
      expect(await owners.ownerOf('c2')).toBeNull();
      return;
    }
    await conversationWith(sql, 'c1', ['Câu đầu?', 'Câu sau?'], '2026-01-01T00:00:00.000Z');
    await conversationWith(sql, 'c2', ['Của Bình?'], '2026-01-02T00:00:00.000Z');
    await conversationWith(sql, 'c3', ['Ẩn danh?'], '2026-01-03T00:00:00.000Z');
    await owners.claim('c1', 'lti:p:ctx:an', 'lti:p:ctx');
    await owners.claim('c1', 'lti:p:ctx:binh', 'lti:p:ctx');
    await owners.claim('c2', 'lti:p:ctx:binh', 'lti:p:ctx');
    expect(await owners.ownerOf('c1')).toBe('lti:p:ctx:an');
    expect(await owners.ownerOf('c3')).toBeNull();

    expect(await owners.list('lti:p:ctx:an')).toEqual([
      { id: 'c1', title: 'Câu đầu?', messages: 2, updatedAt: '2026-01-01T00:00:00.000Z' },
    ]);
    expect((await owners.messages('lti:p:ctx:an', 'c1'))!.map((m) => [m.question, m.answerable])).toEqual([
      ['Câu đầu?', true],
      ['Câu sau?', false],
    ]);
    expect(await owners.messages('lti:p:ctx:an', 'c2')).toBeUndefined();
    // The course log: unanswered first, then newest.
    expect((await owners.courseLog('lti:p:ctx')).map((r) => r.question)).toEqual(['Câu sau?', 'Của Bình?', 'Câu đầu?']);
    expect((await owners.courseLog('lti:p:ctx', 'unanswered')).map((r) => r.question)).toEqual(['Câu sau?']);

    expect(await owners.deleteAll('lti:p:ctx:an')).toBe(1);
    expect(await owners.list('lti:p:ctx:an')).toEqual([]);
    expect(await owners.ownerOf('c1')).toBeNull();
    expect(await sql.get('SELECT id FROM conversations WHERE id = ?', ['c1'])).toBeUndefined();
    expect((await owners.list('lti:p:ctx:binh')).map((c) => c.id)).toEqual(['c2']);
  });
});
