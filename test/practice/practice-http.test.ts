import { parse as parseGift } from 'gift-pegjs';
import { parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerForm } from '../../src/practice/index.js';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' });
}, 120_000);
afterAll(() => svc.close());

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const adminItems = async () =>
  (await (await svc.admin(`/practice/items?collection=${svc.deps.config.defaultCollection}`)).json()) as {
    reviewed: boolean;
    items: any[];
    documents: any[];
  };

describe('practice over HTTP', () => {
  it('gives learners items without their keys, each with its source and link', async () => {
    const res = await fetch(`${svc.baseURL}/api/practice?n=5`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.length).toBeLessThanOrEqual(5);
    const keys = new Map((await adminItems()).items.map((i) => [i.id, i.answer]));
    for (const item of body.items) {
      expect(Object.keys(item).sort()).toEqual(
        item.type === 'choice' ? ['choices', 'id', 'prompt', 'source', 'type'] : ['id', 'prompt', 'source', 'type'],
      );
      expect(item.prompt).toContain('_____');
      expect(item.prompt).not.toContain(keys.get(item.id));
      expect(item.source.link).toMatch(new RegExp(`^${svc.baseURL}/docs/${item.source.documentId}`));
      if (item.type === 'choice') expect(item.choices).toContain(keys.get(item.id));
    }
  });

  it('marks an answer typed without diacritics right, and a wrong one wrong, with the source sentence', async () => {
    const { items } = await adminItems();
    const item = items.find((i) => i.passed && /[^\x00-\x7f]/.test(i.answer))!;
    expect(item).toBeDefined();
    const typed = answerForm(item.answer);
    expect(typed).not.toBe(item.answer);
    const right = await (await fetch(`${svc.baseURL}/api/practice/${item.id}/answer`, json({ answer: typed }))).json();
    expect(right).toMatchObject({ correct: true, expected: item.answer, source: { documentId: item.documentId, sentence: item.sentence } });
    const wrong = await (await fetch(`${svc.baseURL}/api/practice/${item.id}/answer`, json({ answer: 'không phải' }))).json();
    expect(wrong.correct).toBe(false);
    expect((await fetch(`${svc.baseURL}/api/practice/nope/answer`, json({ answer: 'x' }))).status).toBe(404);
    expect((await fetch(`${svc.baseURL}/api/practice/${item.id}/answer`, json({ wrong: 1 }))).status).toBe(400);
  });

  it('refuses an unknown site key, as /api/chat does', async () => {
    const res = await fetch(`${svc.baseURL}/api/practice?n=5`, { headers: { 'x-site-key': 'no-such-key' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('needs the admin credentials for the review and the exports', async () => {
    expect((await fetch(`${svc.baseURL}/api/admin/practice/items?collection=${svc.deps.config.defaultCollection}`)).status).toBe(401);
    expect((await fetch(`${svc.baseURL}/api/admin/practice/export.gift?collection=${svc.deps.config.defaultCollection}`)).status).toBe(401);
    expect((await svc.admin('/practice/items?collection=nope')).status).toBe(404);
  });

  it('after a teacher approves one item and rejects another, learners get only approved items', async () => {
    const { items } = await adminItems();
    const passing = items.filter((i) => i.passed);
    const [a, b, c] = passing;
    expect((await svc.admin(`/practice/items/${a.id}`, { ...json({ status: 'approved' }), method: 'PATCH' })).status).toBe(200);
    expect((await svc.admin(`/practice/items/${b.id}`, { ...json({ status: 'rejected' }), method: 'PATCH' })).status).toBe(200);
    const edited = await (await svc.admin(`/practice/items/${c.id}`, { ...json({ prompt: `${c.prompt} (sửa)` }), method: 'PATCH' })).json();
    expect(edited.status).toBe('edited');
    const bad = await svc.admin(`/practice/items/${c.id}`, { ...json({ prompt: 'không có chỗ trống' }), method: 'PATCH' });
    expect(bad.status).toBe(400);
    const list = await adminItems();
    expect(list.reviewed).toBe(true);
    const seen = new Set<string>();
    for (let i = 0; i < 5; i++) for (const it of (await (await fetch(`${svc.baseURL}/api/practice?n=50`)).json()).items) seen.add(it.id);
    expect([...seen].sort()).toEqual([a.id, c.id].sort());
  });

  it('exports approved items as GIFT that gift-pegjs parses and as Moodle XML, both round-tripping text, keys and distractors', async () => {
    const { items } = await adminItems();
    const approved = items.filter((i) => i.status === 'approved' || i.status === 'edited');
    const gift = await (await svc.admin(`/practice/export.gift?collection=${svc.deps.config.defaultCollection}`)).text();
    const questions = parseGift(gift).filter((q) => q.type !== 'Category');
    expect(questions).toHaveLength(approved.length);
    const squash = (s: string) =>
      s
        .replace(/\s+/g, ' ')
        .replace(/ ([),.;:])/g, '$1')
        .trim();
    for (const item of approved) {
      const q = questions.find((x) => x.title === item.id) as any;
      expect(squash(q.stem.text)).toBe(squash(item.prompt));
      expect(q.type).toBe(item.type === 'choice' ? 'MC' : 'Short');
      expect(q.choices.filter((ch: any) => ch.isCorrect).map((ch: any) => ch.text.text)).toContain(item.answer);
      if (item.type === 'choice')
        expect(q.choices.filter((ch: any) => !ch.isCorrect).map((ch: any) => ch.text.text)).toEqual(item.distractors);
    }
    const xml = await (await svc.admin(`/practice/export.xml?collection=${svc.deps.config.defaultCollection}`)).text();
    const doc = parseDocument(xml, { xmlMode: true, decodeEntities: true });
    const quiz = (doc.children as any[]).find((n) => n.name === 'quiz');
    const qs = quiz.children.filter((n: any) => n.name === 'question' && n.attribs.type !== 'category');
    expect(qs).toHaveLength(approved.length);
    const text = (n: any): string => (n.children ?? []).map((ch: any) => (ch.type === 'text' ? ch.data : text(ch))).join('');
    const child = (n: any, name: string) => n.children.find((ch: any) => ch.name === name);
    for (const item of approved) {
      const q = qs.find((x: any) => text(child(x, 'idnumber')) === item.id);
      expect(q.attribs.type).toBe(item.type === 'choice' ? 'multichoice' : 'shortanswer');
      for (const required of ['name', 'questiontext', 'generalfeedback', 'defaultgrade', 'answer'])
        expect(child(q, required)).toBeDefined();
      expect(text(child(child(q, 'questiontext'), 'text'))).toBe(
        `<p>${item.prompt.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</p>`,
      );
      const answers = q.children.filter((ch: any) => ch.name === 'answer');
      expect(answers.filter((a: any) => a.attribs.fraction === '100').map((a: any) => text(child(a, 'text')))).toContain(item.answer);
      if (item.type === 'choice')
        expect(answers.filter((a: any) => a.attribs.fraction === '0').map((a: any) => text(child(a, 'text')))).toEqual(item.distractors);
    }
  });

  it('excludes a section: its items go and none are made from it, until it is used again', async () => {
    const { items } = await adminItems();
    const item = items.find((i) => i.headingPath.length > 0)!;
    const heading = item.headingPath.at(-1);
    const post = await svc.admin('/practice/exclusions', json({ documentId: item.documentId, heading }));
    expect(post.status).toBe(200);
    expect((await post.json()).exclusions).toContainEqual({ documentId: item.documentId, heading });
    const after = await adminItems();
    expect(after.items.some((i) => i.documentId === item.documentId && i.headingPath.includes(heading))).toBe(false);
    expect((await svc.admin('/practice/exclusions', { ...json({ documentId: item.documentId, heading }), method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await adminItems()).items.some((i) => i.id === item.id)).toBe(true);
    expect((await svc.admin('/practice/exclusions', json({ documentId: 'no-such-doc', heading }))).status).toBe(404);
  });

  it('generates a changed document again, and forgets a deleted one', async () => {
    const before = await adminItems();
    const md = (await svc.deps.engine.store.listDocuments()).find((d) => d.format === 'markdown')!;
    const form = new FormData();
    form.append('collection', svc.deps.config.defaultCollection);
    form.append(
      'files',
      new Blob(['# Học phí\n\n## Mức thu\n\nHọc phí lớp tiếng Anh giao tiếp là 900.000 đồng mỗi tháng, đóng trước ngày 05/9/2026.\n']),
      'hoc-phi.md',
    );
    expect((await svc.admin('/documents', { method: 'POST', body: form })).status).toBe(200);
    const after = await adminItems();
    const ofDoc = (l: any[]) => l.filter((i) => i.documentId === md.id).map((i) => i.answer);
    expect(ofDoc(after.items)).not.toEqual(ofDoc(before.items));
    expect(ofDoc(after.items).some((a) => /900\.000 đồng|05\/9\/2026/.test(a))).toBe(true);
    expect((await svc.admin(`/documents/${md.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await adminItems()).items.some((i) => i.documentId === md.id)).toBe(false);
  });
});
