/**
 * Server-side Leitner boxes for a known learner (a signed user token): answers move their boxes,
 * any device with their token gets their due items first, and nobody else sees or changes them.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeitnerStore } from '../../src/practice/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
let key: string;
let secret: string;
let keys: Map<string, string>;
let boxes: LeitnerStore;

/** A fresh token per call, as another page view or another device would have. */
const tokenFor = (sub: string) => {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(secret));
};
const call = async (path: string, sub: string | null, init: RequestInit = {}) =>
  fetch(`${svc.baseURL}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', 'x-site-key': key, ...(sub ? { 'x-learner-token': await tokenFor(sub) } : {}) },
  });
const practise = async (sub: string | null): Promise<string[]> => {
  const r = await call('/api/practice?n=50', sub);
  expect(r.status).toBe(200);
  return (await r.json()).items.map((i: { id: string }) => i.id);
};
const answer = async (sub: string | null, id: string, right: boolean) => {
  const r = await call(`/api/practice/${id}/answer`, sub, {
    method: 'POST',
    body: JSON.stringify({ answer: right ? keys.get(id) : 'không phải đáp án' }),
  });
  expect(r.status).toBe(200);
  expect((await r.json()).correct).toBe(right);
};
const rows = () => (store().db.prepare('SELECT count(*) AS n FROM practice_boxes').get() as { n: number }).n;
const store = () => {
  const s = svc.deps.engine.store;
  if (!(s instanceof SqliteStore)) throw new Error('the service runs on SQLite');
  return s;
};

beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' });
  const made = await svc.admin('/site-keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Cổng học viên' }),
  });
  key = (await made.json()).siteKey.key;
  secret = (await (await svc.admin(`/site-keys/${key}/user-token-secret`, { method: 'POST' })).json()).secret;
  const listed = await (await svc.admin(`/practice/items?collection=${svc.deps.config.defaultCollection}`)).json();
  keys = new Map(listed.items.map((i: { id: string; answer: string }) => [i.id, i.answer]));
  boxes = new LeitnerStore(store().sql);
}, 120_000);

afterAll(() => svc?.close());

describe('Leitner boxes of a known learner', () => {
  let wrong: string;
  let right: string;

  it('records answers and, on another device, puts the due items first: box 1 every session, box 2 every second', async () => {
    const first = await practise('hv-a'); // session 1
    expect(first.length).toBeGreaterThanOrEqual(4);
    [wrong, right] = first as [string, string];
    await answer('hv-a', wrong, false); // box 1, due in session 2
    await answer('hv-a', right, true); // box 2, due in session 3
    expect(await boxes.entries(`site:${key}:hv-a`)).toEqual(
      new Map([
        [wrong, { box: 1, due: 2 }],
        [right, { box: 2, due: 3 }],
      ]),
    );

    const second = await practise('hv-a'); // session 2, a new token: another device
    expect(second[0]).toBe(wrong);
    expect(second.at(-1)).toBe(right); // not due yet: after the new items
    expect(second.length).toBe(first.length);

    const third = await practise('hv-a'); // session 3: both due, box 1 before box 2
    expect(third.slice(0, 2)).toEqual([wrong, right]);
  });

  it("never shows or changes one learner's boxes for another learner or an anonymous request", async () => {
    const before = await boxes.entries(`site:${key}:hv-a`);
    await practise('hv-b');
    await answer('hv-b', wrong, true);
    await answer('hv-b', wrong, true); // box 3 for hv-b only
    await answer('hv-b', right, false);
    const anonymous = await practise(null);
    expect(anonymous.length).toBeGreaterThan(0);
    const count = rows();
    await answer(null, wrong, true);
    await answer(null, right, false);
    expect(rows()).toBe(count); // anonymous answers keep no boxes on the server
    expect(await boxes.entries(`site:${key}:hv-a`)).toEqual(before);
    expect(await boxes.entries(`site:${key}:hv-b`)).toEqual(
      new Map([
        [wrong, { box: 3, due: 5 }],
        [right, { box: 1, due: 2 }],
      ]),
    );
    // hv-a's next session still starts with their own box-1 item, whatever hv-b answered.
    expect((await practise('hv-a'))[0]).toBe(wrong);
  });

  it("deletes the learner's boxes with their history, and only theirs", async () => {
    const r = await call('/api/learner/conversations', 'hv-a', { method: 'DELETE' });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ deleted: 0, practiceBoxes: 2 });
    expect((await boxes.entries(`site:${key}:hv-a`)).size).toBe(0);
    expect(await boxes.session(`site:${key}:hv-a`)).toBe(0);
    expect((await boxes.entries(`site:${key}:hv-b`)).size).toBe(2);
    // Starting again: session 1, and a wrong answer is due in session 2.
    await practise('hv-a');
    await answer('hv-a', right, false);
    expect(await boxes.entries(`site:${key}:hv-a`)).toEqual(new Map([[right, { box: 1, due: 2 }]]));
  });
});
