import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => svc.close());

const chat = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${svc.baseURL}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('learner API on a real loopback server', () => {
  it('streams an answer with citations for a question typed without diacritics', async () => {
    const res = await chat({ message: 'hoc phi lop tin hoc bao nhieu mot thang' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const events = await readSse(res);
    expect(events.map((e) => e.event)).toEqual(['meta', 'sources', ...events.slice(2, -1).map(() => 'delta'), 'done']);
    const done = events.at(-1)!.data;
    expect(done).toMatchObject({ mode: 'extractive', answerable: true });
    expect(done.answer).toContain('450.000 đồng');
    expect(done.citations[0].link).toMatch(/\/docs\/hoc-phi-md-[a-f0-9]+#muc-thu$/);
    const meta = events[0]!.data;
    const stored = await svc.deps.engine.store.conversations.getMessage(meta.messageId);
    expect(stored).toMatchObject({ conversationId: meta.conversationId, mode: 'extractive', answerable: true });
  });

  it('answers with one JSON object for Accept: application/json and keeps the conversation', async () => {
    const first = await chat({ message: 'Thư viện mở cửa lúc mấy giờ?' }, { accept: 'application/json' });
    expect(first.status).toBe(200);
    const a = await first.json();
    expect(a.answer).toContain('7h00');
    expect(a.citations.length).toBeGreaterThan(0);
    const second = await chat({ message: 'còn thứ Bảy thì sao?', conversationId: a.conversationId }, { accept: 'application/json' });
    const b = await second.json();
    expect(b.conversationId).toBe(a.conversationId);
    const history = await svc.deps.engine.store.conversations.history(a.conversationId, 5);
    expect(history).toHaveLength(2);
  });

  it('declines plainly when the materials do not cover the question', async () => {
    const res = await chat({ message: 'Giá vé máy bay đi Đà Nẵng là bao nhiêu?' }, { accept: 'application/json' });
    const body = await res.json();
    expect(body).toMatchObject({ answerable: false, citations: [] });
    expect(body.answer).toContain('Tài liệu của trung tâm chưa có thông tin này');
  });

  it('opens a cited PDF page and renders other formats as HTML with heading anchors', async () => {
    const search = await (await fetch(`${svc.baseURL}/api/search?q=he+dieu+hanh&k=3`)).json();
    const top = search.results[0];
    expect(top.link).toMatch(/#page=2$/);
    const pdf = await fetch(top.link.replace(/#.*$/, ''));
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const md = (await svc.deps.engine.store.listDocuments()).find((d) => d.format === 'markdown')!;
    const html = await (await fetch(`${svc.baseURL}/docs/${md.id}`)).text();
    expect(html).toContain('<h2 id="muc-thu">Mức thu</h2>');
    expect((await fetch(`${svc.baseURL}/docs/khong-co`)).status).toBe(404);
  });

  it('records thumbs-down feedback on a message and refuses unknown messages', async () => {
    const a = await (await chat({ message: 'lop buoi toi hoc may gio' }, { accept: 'application/json' })).json();
    const ok = await fetch(`${svc.baseURL}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: a.messageId, rating: 'down', comment: 'thiếu giờ thứ Bảy' }),
    });
    expect(ok.status).toBe(200);
    const log = await svc.deps.engine.store.conversations.questionsLog({ thumbsDown: true });
    expect(log.items.map((i) => i.id)).toContain(a.messageId);
    const missing = await fetch(`${svc.baseURL}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: crypto.randomUUID(), rating: 'up' }),
    });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
  });

  it('rejects bad input with 4xx and a JSON body naming the problem', async () => {
    const cases: Array<[RequestInit, number, string, string?]> = [
      [{ body: '{"message": ', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
      [{ body: JSON.stringify({ message: '' }), headers: { 'content-type': 'application/json' } }, 400, 'invalid_field', 'message'],
      [
        { body: JSON.stringify({ message: 'x', extra: 1 }), headers: { 'content-type': 'application/json' } },
        400,
        'invalid_field',
        '(body)',
      ],
      [
        { body: JSON.stringify({ message: 'x'.repeat(1001) }), headers: { 'content-type': 'application/json' } },
        400,
        'invalid_field',
        'message',
      ],
      [
        { body: JSON.stringify({ message: 'x', conversationId: 'nope' }), headers: { 'content-type': 'application/json' } },
        400,
        'invalid_field',
        'conversationId',
      ],
      [{ body: 'message=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
      [
        { body: JSON.stringify({ message: 'a'.repeat(70 * 1024) }), headers: { 'content-type': 'application/json' } },
        413,
        'payload_too_large',
      ],
    ];
    for (const [init, status, code, field] of cases) {
      const res = await fetch(`${svc.baseURL}/api/chat`, { method: 'POST', ...init });
      expect(res.status, code).toBe(status);
      const body = await res.json();
      expect(body.error.code).toBe(code);
      expect(typeof body.error.message).toBe('string');
      if (field) expect(body.error.field).toBe(field);
    }
    const search = await fetch(`${svc.baseURL}/api/search?q=&k=500`);
    expect(search.status).toBe(400);
    expect((await search.json()).error.field).toBe('q');
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect((await fetch(`${svc.baseURL}/healthz`)).status).toBe(200);
    const ready = await (await fetch(`${svc.baseURL}/readyz`)).json();
    expect(ready).toMatchObject({ ready: true, storeOpen: true, indexesLoaded: true });
    const metrics = await (await fetch(`${svc.baseURL}/metrics`)).text();
    expect(metrics).toMatch(/trogiang_answers_total\{mode="extractive",answerable="true"\} \d+/);
    expect(metrics).toMatch(/trogiang_http_request_duration_seconds_bucket/);
    const doc = await (await fetch(`${svc.baseURL}/api/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/chat'].post.requestBody.content['application/json'].schema.properties.message.maxLength).toBe(1000);
    const page = await fetch(`${svc.baseURL}/api/docs`);
    expect(page.status).toBe(200);
  });

  it('sends security headers and never logs learner messages or the admin token', async () => {
    const res = await fetch(`${svc.baseURL}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await chat({ message: 'câu hỏi riêng tư mã QZXW về học phí' }, { accept: 'application/json' });
    await svc.admin('/documents');
    const logs = svc.logs.join('');
    expect(logs).toContain('"msg":"answered"');
    expect(logs).not.toContain('QZXW');
    expect(logs).not.toContain(svc.adminToken);
  });
});
