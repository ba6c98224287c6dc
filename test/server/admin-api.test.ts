import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badFileCases, makeDocx } from '../support/make-fixtures.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000', MAX_UPLOAD_BYTES: '2000000' });
});
afterAll(() => svc.close());

function upload(files: Array<{ name: string; bytes: Uint8Array; type?: string }>, collection?: string) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
  if (collection) form.append('collection', collection);
  return svc.admin('/documents', { method: 'POST', body: form });
}

const adminRoutes: Array<[string, string]> = [
  ['GET', '/documents'],
  ['POST', '/documents'],
  ['GET', '/documents/x'],
  ['DELETE', '/documents/x'],
  ['POST', '/documents/x/reindex'],
  ['POST', '/reindex'],
  ['GET', '/collections'],
  ['POST', '/collections'],
  ['PATCH', '/collections/x'],
  ['DELETE', '/collections/x'],
  ['GET', '/site-keys'],
  ['POST', '/site-keys'],
  ['GET', '/site-keys/x'],
  ['PATCH', '/site-keys/x'],
  ['DELETE', '/site-keys/x'],
  ['GET', '/questions'],
  ['GET', '/questions.csv'],
  ['GET', '/stats'],
  ['POST', '/try'],
];

describe('teachers admin API', () => {
  it('refuses every admin route without a token, with a wrong token, and with a token in the URL', async () => {
    for (const [method, path] of adminRoutes) {
      const url = `${svc.baseURL}/api/admin${path}`;
      const none = await fetch(url, { method });
      expect(none.status, `${method} ${path}`).toBe(401);
      expect((await none.json()).error.code).toBe('unauthorized');
      const wrong = await fetch(url, { method, headers: { authorization: 'Bearer not-the-token-at-all' } });
      expect(wrong.status, `${method} ${path} wrong`).toBe(401);
      const inUrl = await fetch(`${url}?token=${svc.adminToken}`, { method, headers: { authorization: `Bearer ${svc.adminToken}` } });
      expect(inUrl.status, `${method} ${path} token in URL`).toBe(401);
    }
  });

  it('uploads several files with per-file results, lists them, shows chunks, re-indexes and deletes', async () => {
    const res = await upload(
      [
        { name: 'bang-tinh.docx', bytes: await makeDocx() },
        { name: '../../etc/ghi\u0007chu.md', bytes: new TextEncoder().encode('# Ghi chú\n\nHàm SUM cộng các ô trong một vùng.') },
      ],
      'tin-hoc',
    );
    expect(res.status).toBe(200);
    const { results } = await res.json();
    expect(results.map((r: { status: string }) => r.status)).toEqual(['added', 'added']);
    expect(results[1].fileName).toBe('ghichu.md');
    const list = (await (await svc.admin('/documents')).json()).documents;
    const docx = list.find((d: { fileName: string }) => d.fileName === 'bang-tinh.docx');
    expect(docx).toMatchObject({ collection: 'tin-hoc', format: 'docx' });
    const one = await (await svc.admin(`/documents/${docx.id}`)).json();
    expect(one.chunks.length).toBe(docx.chunkCount);
    const again = await (await svc.admin(`/documents/${docx.id}/reindex`, { method: 'POST' })).json();
    expect(again.result.status).toBe('replaced');
    const search = await (await fetch(`${svc.baseURL}/api/search?q=ham+sum&collection=tin-hoc`)).json();
    expect(search.results[0].title).toBeDefined();
    expect((await svc.admin(`/documents/${docx.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await svc.admin(`/documents/${docx.id}`)).status).toBe(404);
    expect(await storeAndIndexesAgree(svc.deps.engine)).toEqual({ ok: true, problems: [] });
  });

  it('answers a bad upload with 4xx and the reason, and changes nothing else', { timeout: 180_000 }, async () => {
    const snapshot = async () =>
      JSON.stringify({ docs: await svc.deps.engine.store.listDocuments(), gen: await svc.deps.engine.store.generation() });
    const before = await snapshot();
    for (const bad of (await badFileCases()).filter((b) => b.limits.maxPages > 5 && b.limits.maxBytes > 512)) {
      const res = await upload([{ name: bad.fileName, bytes: bad.bytes }]);
      expect(res.status, bad.description).toBeGreaterThanOrEqual(400);
      expect(res.status, bad.description).toBeLessThan(500);
      const body = await res.json();
      expect(body.error.reason, bad.description).toBe(bad.expectedCode);
      expect(body.error.results[0].messageVi.length).toBeGreaterThan(0);
    }
    const big = await upload([{ name: 'to.txt', bytes: new Uint8Array(2_100_000).fill(65) }]);
    expect(big.status).toBe(413);
    const huge = await upload([{ name: 'rat-to.txt', bytes: new Uint8Array(5_200_000).fill(65) }]);
    expect(huge.status).toBe(413);
    const json = await svc.admin('/documents', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect(await snapshot()).toBe(before);
  });

  it('manages collections and site keys with field-level errors', async () => {
    const created = await svc.admin('/collections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'lich-su', name: 'Lịch sử' }),
    });
    expect(created.status).toBe(201);
    const dup = await svc.admin('/collections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'lich-su', name: 'Lịch sử' }),
    });
    expect(dup.status).toBe(409);
    const bad = await svc.admin('/collections', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'Lịch Sử!', name: 'x' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('id');
    const renamed = await svc.admin('/collections/lich-su', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Lịch sử 12' }),
    });
    expect((await renamed.json()).collection.name).toBe('Lịch sử 12');
    expect((await svc.admin('/collections/chung', { method: 'DELETE' })).status).toBe(409);
    expect((await svc.admin('/collections/lich-su', { method: 'DELETE' })).status).toBe(200);

    const key = await svc.admin('/site-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Moodle', allowedOrigins: ['https://lms.example.edu.vn'], starterQuestions: ['Học phí bao nhiêu?'] }),
    });
    expect(key.status).toBe(201);
    const { siteKey } = await key.json();
    expect(siteKey.key).toMatch(/^tg_pub_[A-Za-z0-9_-]{24}$/);
    const badKey = await svc.admin('/site-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x', allowedOrigins: ['lms.example.edu.vn/path'] }),
    });
    expect(badKey.status).toBe(400);
    expect((await badKey.json()).error.message).toMatch(/allowedOrigins/);
    const patched = await svc.admin(`/site-keys/${siteKey.key}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimitPerMinute: 5 }),
    });
    expect((await patched.json()).siteKey.rateLimitPerMinute).toBe(5);
    expect((await svc.admin(`/site-keys/${siteKey.key}`, { method: 'DELETE' })).status).toBe(200);
    expect((await svc.admin(`/site-keys/${siteKey.key}`)).status).toBe(404);
  });

  it('shows the questions log with unanswered first, exports CSV and computes stats', async () => {
    const ask = (message: string) =>
      fetch(`${svc.baseURL}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ message }),
      });
    await ask('Học phí lớp tin học bao nhiêu một tháng?');
    await ask('Có bán vé xem bóng đá World Cup không?');
    const log = await (await svc.admin('/questions')).json();
    expect(log.items[0]).toMatchObject({ question: 'Có bán vé xem bóng đá World Cup không?', answerable: false });
    const unanswered = await (await svc.admin('/questions?unanswered=true')).json();
    expect(unanswered.items.every((i: { answerable: boolean }) => !i.answerable)).toBe(true);
    const csv = await svc.admin('/questions.csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel opens Vietnamese correctly
    const text = bytes.toString('utf8');
    expect(text).toContain('World Cup');
    const stats = await (await svc.admin('/stats?days=7')).json();
    expect(stats.totals.questions).toBeGreaterThanOrEqual(2);
    expect(stats.topUnanswered[0].question).toMatch(/world cup/i);
    expect((await svc.admin('/questions?from=2026-13-01')).status).toBe(400);
  });

  it('tries a question: ranked chunks with scores and matched terms, and the answer learners get', async () => {
    const res = await svc.admin('/try', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'thu vien mo cua may gio' }),
    });
    const body = await res.json();
    expect(body.results[0].matchedTerms).toEqual(expect.arrayContaining(['thu', 'vien']));
    expect(body.results[0].bm25Score).toBeGreaterThan(0);
    expect(body.answer.text).toContain('7h00');
  });
});
