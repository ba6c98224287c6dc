import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
let clock = new Date('2026-03-02T03:00:00Z');
beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' }, { now: () => clock });
}, 120_000);
afterAll(() => svc.close());

const json = (body: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const chat = (message: string, accept = 'application/json') =>
  fetch(`${svc.baseURL}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ message }),
  });

describe('verified answers API', () => {
  it('creates (201), lists, reads, edits and deletes a verified answer; unknown ids are 404', async () => {
    const res = await svc.admin(
      '/verified-answers',
      json({
        question: 'Phí gửi xe đạp mỗi tháng là bao nhiêu?',
        answer: 'Gửi xe đạp 20.000 đồng một tháng.',
        phrasings: ['How much is bicycle parking?'],
      }),
    );
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({
      id: expect.any(String),
      question: 'Phí gửi xe đạp mỗi tháng là bao nhiêu?',
      phrasings: ['How much is bicycle parking?'],
      collections: [],
      hitCount: 0,
      centerId: 'default',
      createdBy: 'ADMIN_TOKEN',
      status: 'valid',
    });
    const list = (await (await svc.admin('/verified-answers')).json()).verifiedAnswers;
    expect(list.map((a: { id: string }) => a.id)).toContain(created.id);
    const patched = await (
      await svc.admin(
        `/verified-answers/${created.id}`,
        json({ answer: 'Gửi xe đạp 25.000 đồng một tháng.', validUntil: '2026-06-30' }, 'PATCH'),
      )
    ).json();
    expect(patched).toMatchObject({ answer: 'Gửi xe đạp 25.000 đồng một tháng.', validUntil: '2026-06-30' });
    expect((await (await svc.admin(`/verified-answers/${created.id}`)).json()).answer).toBe('Gửi xe đạp 25.000 đồng một tháng.');
    expect((await svc.admin(`/verified-answers/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    for (const [method, init] of [
      ['GET', {}],
      ['PATCH', json({ answer: 'x' }, 'PATCH')],
      ['DELETE', { method: 'DELETE' }],
    ] as const) {
      const gone = await svc.admin(`/verified-answers/${created.id}`, { method, ...init });
      expect(gone.status, method).toBe(404);
      expect((await gone.json()).error.code).toBe('not_found');
    }
  });

  it('refuses bad bodies with 400 naming the field, and stores nothing', async () => {
    const before = (await (await svc.admin('/verified-answers')).json()).verifiedAnswers.length;
    const cases: Array<[unknown, string]> = [
      [{ question: 'Hỏi gì?' }, 'answer'],
      [{ question: '   ', answer: 'a' }, 'question'],
      [{ question: 'q', answer: 'a', validUntil: '31/12/2026' }, 'validUntil'],
      [{ question: 'q', answer: 'a', validUntil: '2026-02-30' }, 'validUntil'],
      [{ question: 'q', answer: 'a', validFrom: '2026-05-01', validUntil: '2026-04-01' }, 'validUntil'],
      [{ question: 'q', answer: 'a', phrasings: 'not a list' }, 'phrasings'],
      [{ question: 'q', answer: 'a', colour: 'red' }, '(body)'],
      [{ question: 'q', answer: 'a', documentId: 'no-such-document' }, 'documentId'],
    ];
    for (const [body, field] of cases) {
      const res = await svc.admin('/verified-answers', json(body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = (await res.json()).error;
      expect(error.code).toBe('invalid_field');
      expect(error.field, JSON.stringify(body)).toBe(field);
    }
    const notJson = await svc.admin('/verified-answers', { method: 'POST', body: 'question=x' });
    expect(notJson.status).toBe(415);
    expect((await (await svc.admin('/verified-answers')).json()).verifiedAnswers.length).toBe(before);
  });

  it('answers a paraphrase typed without diacritics with the verified answer at once (JSON and SSE), counts hits and thumbs', async () => {
    const created = await (
      await svc.admin(
        '/verified-answers',
        json({ question: 'Lệ phí thi lại chứng chỉ IC3 là bao nhiêu?', answer: 'Lệ phí thi lại IC3 là 300.000 đồng mỗi phần thi.' }),
      )
    ).json();
    const res = await chat('le phi thi lai ic3 bao nhieu');
    const body = await res.json();
    expect(body).toMatchObject({
      mode: 'verified',
      answer: 'Lệ phí thi lại IC3 là 300.000 đồng mỗi phần thi.',
      answerable: true,
      verified: { id: created.id },
    });
    const events = await readSse(await chat('Cho em hỏi lệ phí thi lại IC3 là bao nhiêu ạ?', 'text/event-stream'));
    const done = events.find((e) => e.event === 'done')!.data;
    expect(done).toMatchObject({ mode: 'verified', verified: { id: created.id } });
    const meta = events.find((e) => e.event === 'meta')!.data;
    expect((await fetch(`${svc.baseURL}/api/feedback`, json({ messageId: meta.messageId, rating: 'down' }))).status).toBe(200);
    expect((await fetch(`${svc.baseURL}/api/feedback`, json({ messageId: body.messageId, rating: 'up' }))).status).toBe(200);
    const after = await (await svc.admin(`/verified-answers/${created.id}`)).json();
    expect(after).toMatchObject({ hitCount: 2, thumbsUp: 1, thumbsDown: 1 });
    // The questions log records the answer as verified.
    const log = await (await svc.admin('/questions')).json();
    expect(JSON.stringify(log)).toContain('"verified"');
  });

  it('does not give a verified answer to a question about another matter, nor an expired one', async () => {
    const created = await (
      await svc.admin(
        '/verified-answers',
        json({
          question: 'Học phí lớp tin học cơ bản bao nhiêu?',
          answer: 'Xem bảng học phí mới: 480.000 đồng.',
          validUntil: '2026-03-31',
        }),
      )
    ).json();
    expect((await (await chat('hoc phi lop tin hoc co ban bao nhieu')).json()).mode).toBe('verified');
    expect((await (await chat('Học phí lớp tiếng Nhật cơ bản bao nhiêu?')).json()).mode).not.toBe('verified');
    clock = new Date('2026-04-01T03:00:00Z');
    try {
      const later = await (await chat('hoc phi lop tin hoc co ban bao nhieu')).json();
      expect(later.mode).not.toBe('verified');
      expect((await (await svc.admin(`/verified-answers/${created.id}`)).json()).status).toBe('expired');
    } finally {
      clock = new Date('2026-03-02T03:00:00Z');
    }
  });

  it('says the date a dated verified answer is valid until', async () => {
    await svc.admin(
      '/verified-answers',
      json({ question: 'Lịch nghỉ Tết Nguyên đán thế nào?', answer: 'Nghỉ Tết từ 26/1 đến 9/2.', validUntil: '2026-12-31' }),
    );
    const body = await (await chat('lich nghi tet nguyen dan')).json();
    expect(body.mode).toBe('verified');
    expect(body.answer).toContain('có hiệu lực đến ngày 31/12/2026');
  });
});
