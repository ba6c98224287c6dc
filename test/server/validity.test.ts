import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';

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
const ask = async (message: string) =>
  (await (
    await fetch(`${svc.baseURL}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ message }),
    })
  ).json()) as {
    answer: string;
    mode: string;
    citations: Array<{ documentId: string }>;
    sources: Array<{ documentId: string }>;
  };
const search = async (q: string) =>
  (await (await fetch(`${svc.baseURL}/api/search?q=${encodeURIComponent(q)}&k=10`)).json()).results as Array<{ documentId: string }>;

async function upload(name: string, text: string): Promise<string> {
  const form = new FormData();
  form.append('files', new Blob([text], { type: 'text/markdown' }), name);
  const { results } = await (await svc.admin('/documents', { method: 'POST', body: form })).json();
  return results[0].documentId as string;
}

const cites = (a: { citations: Array<{ documentId: string }>; sources: Array<{ documentId: string }> }, id: string) =>
  a.citations.some((c) => c.documentId === id) || a.sources.some((s) => s.documentId === id);

const questions = [
  'Lệ phí thi nghề điện dân dụng là bao nhiêu?',
  'le phi thi nghe dien dan dung',
  'Thi nghề điện dân dụng mất bao nhiêu tiền?',
  'nghề điện dân dụng lệ phí thi',
];

describe('validity dates', () => {
  it('never cites an expired document, still lists it marked expired; a future one is cited only from its date', async () => {
    const old = await upload(
      'le-phi-nghe-dien-2025.md',
      '# Lệ phí thi nghề điện dân dụng 2025\n\nLệ phí thi nghề điện dân dụng năm 2025 là 350.000 đồng.\n',
    );
    const next = await upload(
      'le-phi-nghe-dien-2026.md',
      '# Lệ phí thi nghề điện dân dụng 2026\n\nLệ phí thi nghề điện dân dụng từ học kỳ 2 năm 2026 là 420.000 đồng.\n',
    );
    expect((await svc.admin(`/documents/${old}`, json({ validUntil: '2026-03-01' }, 'PATCH'))).status).toBe(200);
    const patched = await svc.admin(`/documents/${next}`, json({ validFrom: '2026-04-01' }, 'PATCH'));
    expect((await patched.json()).document).toMatchObject({ validFrom: '2026-04-01', status: 'not_yet_valid' });

    for (const q of questions) {
      const answer = await ask(q);
      expect(cites(answer, old), q).toBe(false);
      expect(cites(answer, next), q).toBe(false);
      expect(
        (await search(q)).map((r) => r.documentId),
        q,
      ).not.toContain(old);
    }
    const listed = (await (await svc.admin('/documents')).json()).documents as Array<{
      id: string;
      status: string;
      validUntil: string | null;
    }>;
    expect(listed.find((d) => d.id === old)).toMatchObject({ status: 'expired', validUntil: '2026-03-01' });

    clock = new Date('2026-04-01T03:00:00Z');
    const answers = await Promise.all(questions.map(ask));
    expect(answers.some((a) => cites(a, next))).toBe(true);
    for (const a of answers) expect(cites(a, old)).toBe(false);
    // An answer citing the dated document says from when it is valid.
    const citing = answers.find((a) => a.citations.some((c) => c.documentId === next))!;
    expect(citing.answer).toContain('có hiệu lực từ ngày 01/04/2026');
    clock = new Date('2026-03-02T03:00:00Z');
  });

  it('keeps a replaced document in the list and out of answers once its new version is valid', async () => {
    const first = await upload(
      'gio-mo-cua-xuong-2025.md',
      '# Giờ mở cửa xưởng thực hành\n\nXưởng thực hành hàn điện mở cửa từ 7 giờ đến 16 giờ.\n',
    );
    const second = await upload(
      'gio-mo-cua-xuong-2026.md',
      '# Giờ mở cửa xưởng thực hành (bản mới)\n\nXưởng thực hành hàn điện mở cửa từ 8 giờ đến 17 giờ.\n',
    );
    const q = 'Xưởng thực hành hàn điện mở cửa mấy giờ?';
    expect(cites(await ask(q), first)).toBe(true);
    expect((await svc.admin(`/documents/${second}`, json({ replaces: first }, 'PATCH'))).status).toBe(200);
    const after = await ask(q);
    expect(cites(after, first)).toBe(false);
    expect(cites(after, second)).toBe(true);
    const ids = ((await (await svc.admin('/documents')).json()).documents as Array<{ id: string }>).map((d) => d.id);
    expect(ids).toContain(first);
  });

  it('lists what expires in the next 30 days, documents and verified answers', async () => {
    const soon = await upload('thoi-khoa-bieu-hk2.md', '# Thời khóa biểu học kỳ 2\n\nLớp kế toán học thứ Ba và thứ Năm.\n');
    const later = await upload('thoi-khoa-bieu-hk3.md', '# Thời khóa biểu học kỳ 3\n\nLớp kế toán học thứ Hai và thứ Tư.\n');
    await svc.admin(`/documents/${soon}`, json({ validUntil: '2026-03-20' }, 'PATCH'));
    await svc.admin(`/documents/${later}`, json({ validUntil: '2026-05-20' }, 'PATCH'));
    const answer = await (
      await svc.admin('/verified-answers', json({ question: 'Hạn đăng ký học kỳ 2?', answer: 'Đến 25/3.', validUntil: '2026-03-25' }))
    ).json();
    const expiring = await (await svc.admin('/expiring')).json();
    expect(expiring).toMatchObject({ today: '2026-03-02', until: '2026-04-01' });
    const docIds = expiring.documents.map((d: { id: string }) => d.id);
    expect(docIds).toContain(soon);
    expect(docIds).not.toContain(later);
    expect(expiring.verifiedAnswers.map((a: { id: string }) => a.id)).toEqual([answer.id]);
    expect((await svc.admin('/expiring?days=0')).status).toBe(400);
  });

  it('refuses a bad validity patch with 400 and an unknown document with 404', async () => {
    const id = await upload('ghi-chu.md', '# Ghi chú\n\nKhông có gì.\n');
    const bad: Array<[unknown, string]> = [
      [{ validUntil: 'next week' }, 'validUntil'],
      [{ validFrom: '2026-05-01', validUntil: '2026-04-01' }, 'validUntil'],
      [{ replaces: id }, 'replaces'],
      [{ replaces: 'no-such-document' }, 'replaces'],
      [{ expires: '2026-01-01' }, '(body)'],
      [{}, '(body)'],
    ];
    for (const [body, field] of bad) {
      const res = await svc.admin(`/documents/${id}`, json(body, 'PATCH'));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).error.field, JSON.stringify(body)).toBe(field);
    }
    expect(
      ((await (await svc.admin('/documents')).json()).documents as Array<{ id: string; validUntil: null }>).find((d) => d.id === id)!
        .validUntil,
    ).toBeNull();
    const missing = await svc.admin('/documents/no-such-document', json({ validUntil: '2026-12-31' }, 'PATCH'));
    expect(missing.status).toBe(404);
  });
});
