import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorToken, sqliteOf, startAccountsService, type AccountsService } from '../auth/accounts-service.js';
import { asLearner, asPage, makeCenter, markdownForm, newIp, type CenterData } from './center-fixture.js';

/**
 * Open materials shared between centers (issue 16 item 4), through real HTTP: A publishes a
 * collection under CC BY 4.0, B finds it in the catalogue and subscribes, B's learners get answers
 * from it whose citations name A and the licence (JSON and SSE), A's updates reach B at once, and
 * unpublishing or unsubscribing takes it out of B's next answer.
 */
let svc: AccountsService;
let a: CenterData;
let b: CenterData;
const sharedQuestion = 'Hàm VLOOKUP dùng để làm gì?';

beforeAll(async () => {
  svc = await startAccountsService({ scrypt: { N: 1024, r: 8, p: 1 } }, { TRUST_PROXY: 'true' });
  a = await makeCenter(
    svc,
    'Trung tâm Hoa Sen',
    'admin.hoasen',
    'https://lms.hoasen.example',
    'Học phí môn Tin học ở Hoa Sen là 350.000 đồng mỗi tháng.',
    'Học phí môn Tin học là bao nhiêu?',
  );
  b = await makeCenter(
    svc,
    'Trung tâm Bình Minh',
    'admin.binhminh',
    'https://lms.binhminh.example',
    'Học phí môn Tiếng Anh ở Bình Minh là 420.000 đồng mỗi tháng.',
    'Học phí môn Tiếng Anh là bao nhiêu?',
  );
  // A's spreadsheet lessons, in a collection of their own.
  expect((await asPage(svc, a.cookie, '/api/admin/collections', 'POST', { id: 'bang-tinh', name: 'Bảng tính Excel' })).status).toBe(201);
  const up = await asPage(
    svc,
    a.cookie,
    '/api/admin/documents',
    'POST',
    markdownForm(
      'vlookup.md',
      '# Bài 5: Hàm tra cứu\n\n## Hàm VLOOKUP\n\nHàm VLOOKUP dùng để tra cứu một giá trị trong cột đầu tiên của bảng và trả về giá trị cùng hàng ở cột khác.\n',
      'bang-tinh',
    ),
  );
  expect(up.status).toBe(200);
}, 120_000);
afterAll(() => svc?.close());

const askB = async (message = sharedQuestion) => (await asLearner(svc, b.siteKey, b.origin, '/api/chat', 'POST', { message })).json();
const sharedCollection = () => `${a.id}.bang-tinh`;

describe('sharing open collections between centers', () => {
  it('refuses to publish without an open licence', async () => {
    const res = await asPage(svc, a.cookie, '/api/admin/collections/bang-tinh/publish', 'POST', {});
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('licence');
    expect((await (await asPage(svc, b.cookie, '/api/admin/catalogue')).json()).collections).toEqual([]);
  });

  it('publishes under CC BY 4.0: the catalogue lists it with its owner and licence, searchable', async () => {
    const res = await asPage(svc, a.cookie, '/api/admin/collections/bang-tinh/publish', 'POST', {
      licence: 'CC-BY-4.0',
      attribution: 'TTGDTX Hoa Sen — Tổ Tin học',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).collection.publishedAt).toBeTruthy();
    const all = (await (await asPage(svc, b.cookie, '/api/admin/catalogue')).json()).collections;
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      id: sharedCollection(),
      name: 'Bảng tính Excel',
      centerId: a.id,
      centerName: 'Trung tâm Hoa Sen',
      licence: 'CC-BY-4.0',
      attribution: 'TTGDTX Hoa Sen — Tổ Tin học',
      documents: 1,
      own: false,
      subscribed: false,
    });
    expect(
      (await (await asPage(svc, b.cookie, `/api/admin/catalogue?q=${encodeURIComponent('bảng TÍNH')}`)).json()).collections,
    ).toHaveLength(1);
    expect(
      (await (await asPage(svc, b.cookie, `/api/admin/catalogue?q=${encodeURIComponent('hoa sen')}`)).json()).collections,
    ).toHaveLength(1);
    expect((await (await asPage(svc, b.cookie, '/api/admin/catalogue?q=bang%20tinh')).json()).collections).toHaveLength(1);
    expect((await (await asPage(svc, b.cookie, '/api/admin/catalogue?q=hoa-hoc')).json()).collections).toHaveLength(0);
    // Before subscribing, B's learners do not get it.
    const before = await askB();
    expect(before.citations.some((c: { documentId: string }) => c.documentId.startsWith('vlookup'))).toBe(false);
  });

  it("subscribes B: B's answers cite A's material with A's name and the licence, in JSON and in SSE, and the link opens", async () => {
    const res = await asPage(svc, b.cookie, '/api/admin/subscriptions', 'POST', { collection: sharedCollection() });
    expect(res.status, await res.clone().text()).toBe(201);
    const answer = await askB();
    const cited = answer.citations.find((c: { documentId: string }) => c.documentId.startsWith('vlookup'));
    expect(cited, JSON.stringify(answer)).toBeDefined();
    expect(cited.sharedFrom).toEqual({
      collection: sharedCollection(),
      centerId: a.id,
      centerName: 'Trung tâm Hoa Sen',
      licence: 'CC-BY-4.0',
      attribution: 'TTGDTX Hoa Sen — Tổ Tin học',
    });
    const link = new URL(cited.link);
    const page = await fetch(`${svc.baseURL}${link.pathname}${link.search}`, { headers: { 'x-forwarded-for': newIp() } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('VLOOKUP');

    const sse = await fetch(`${svc.baseURL}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-site-key': b.siteKey, origin: b.origin, 'x-forwarded-for': newIp() },
      body: JSON.stringify({ message: sharedQuestion }),
    });
    const text = await sse.text();
    const done = JSON.parse(/event: done\ndata: (.*)\n/.exec(text)![1]!);
    expect(done.citations.find((c: { documentId: string }) => c.documentId.startsWith('vlookup')).sharedFrom).toMatchObject({
      centerName: 'Trung tâm Hoa Sen',
      licence: 'CC-BY-4.0',
    });
    const sources = JSON.parse(/event: sources\ndata: (.*)\n/.exec(text)![1]!);
    expect(sources.sources.some((s: { sharedFrom?: { licence: string } }) => s.sharedFrom?.licence === 'CC-BY-4.0')).toBe(true);
    // Still not B's to change: the admin routes keep it out.
    expect((await asPage(svc, b.cookie, `/api/admin/documents/${cited.documentId}`, 'DELETE')).status).toBe(404);
    // A's own learners see no `sharedFrom` on their own material.
    const own = await (await asLearner(svc, a.siteKey, a.origin, '/api/chat', 'POST', { message: sharedQuestion })).json();
    expect(own.citations[0].sharedFrom).toBeUndefined();
  });

  it("brings A's updates to B at once", async () => {
    const up = await asPage(
      svc,
      a.cookie,
      '/api/admin/documents',
      'POST',
      markdownForm(
        'hlookup.md',
        '# Bài 6\n\n## Hàm HLOOKUP\n\nHàm HLOOKUP tra cứu theo hàng ngang, ở hàng đầu tiên của bảng.\n',
        'bang-tinh',
      ),
    );
    expect(up.status).toBe(200);
    const answer = await askB('Hàm HLOOKUP tra cứu theo hàng hay theo cột?');
    expect(answer.citations.some((c: { documentId: string }) => c.documentId.startsWith('hlookup'))).toBe(true);
  });

  it('takes it out of answers at once when B unsubscribes, and when A unpublishes', async () => {
    expect((await asPage(svc, b.cookie, `/api/admin/subscriptions/${sharedCollection()}`, 'DELETE')).status).toBe(200);
    expect((await askB()).citations.some((c: { documentId: string }) => c.documentId.startsWith('vlookup'))).toBe(false);
    expect((await asPage(svc, b.cookie, '/api/admin/subscriptions', 'POST', { collection: sharedCollection() })).status).toBe(201);
    expect((await askB()).citations.some((c: { documentId: string }) => c.documentId.startsWith('vlookup'))).toBe(true);
    const docLink = (await askB()).citations.find((c: { documentId: string }) => c.documentId.startsWith('vlookup')).link as string;

    const res = await asPage(svc, a.cookie, '/api/admin/collections/bang-tinh/unpublish', 'POST');
    expect(res.status).toBe(200);
    expect((await res.json()).subscriptionsEnded).toBe(1);
    const after = await askB();
    expect(after.citations.some((c: { documentId: string }) => c.documentId.startsWith('vlookup'))).toBe(false);
    const link = new URL(docLink);
    expect((await fetch(`${svc.baseURL}${link.pathname}${link.search}`, { headers: { 'x-forwarded-for': newIp() } })).status).toBe(404);
    expect((await (await asPage(svc, b.cookie, '/api/admin/catalogue')).json()).collections).toEqual([]);
    // Unpublished: subscribing is refused like an unknown collection.
    expect((await asPage(svc, b.cookie, '/api/admin/subscriptions', 'POST', { collection: sharedCollection() })).status).toBe(404);
  });

  it('records publish, unpublish, subscribe and unsubscribe in the audit log of the center that did it', () => {
    const db = sqliteOf(svc);
    const rows = db
      .prepare(
        "SELECT center_id AS center, action, target FROM audit_log WHERE action LIKE 'collection.%publish' OR action LIKE 'subscription.%' ORDER BY id",
      )
      .all();
    expect(rows).toEqual([
      { center: a.id, action: 'collection.publish', target: sharedCollection() },
      { center: b.id, action: 'subscription.create', target: sharedCollection() },
      { center: b.id, action: 'subscription.delete', target: sharedCollection() },
      { center: b.id, action: 'subscription.create', target: sharedCollection() },
      { center: a.id, action: 'collection.unpublish', target: sharedCollection() },
    ]);
  });
});

describe('a center with nothing to show', () => {
  it('answers from nothing rather than from every collection (the retriever reads an empty filter as "all")', async () => {
    const empty = await (await svc.operator('/api/admin/centers', 'POST', { name: 'Trung tâm Trống' })).json();
    const res = await fetch(`${svc.baseURL}/api/admin/site-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'x-center': empty.id, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Trống', allowedOrigins: ['https://lms.trong.example'] }),
    });
    const key = (await res.json()).siteKey.key as string;
    const answer = await (await asLearner(svc, key, 'https://lms.trong.example', '/api/chat', 'POST', { message: sharedQuestion })).json();
    expect(answer.citations).toEqual([]);
    expect(answer.sources).toEqual([]);
    const search = await (await asLearner(svc, key, 'https://lms.trong.example', `/api/search?q=${encodeURIComponent('học phí')}`)).json();
    expect(search.results).toEqual([]);
  });
});
