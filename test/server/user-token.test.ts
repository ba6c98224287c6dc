/**
 * Outside LTI: a host page that knows its user signs a short-lived HS256 token with its site key's
 * secret (`data-user-token`), and that user gets the same per-learner history as an LTI learner.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
let key: string;
let secret: string;

const sign = (sub: string, o: { secret?: string; lifetime?: number; aud?: string } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ ...(o.aud ? { aud: o.aud } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.lifetime ?? 600));
  return jwt.sign(new TextEncoder().encode(o.secret ?? secret));
};

const call = (path: string, token: string, init: RequestInit = {}, site: string | null = key) =>
  fetch(`${svc.baseURL}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-learner-token': token,
      ...(site ? { 'x-site-key': site } : {}),
      ...(init.headers as Record<string, string>),
    },
  });
const ask = (token: string, message: string, site: string | null = key) =>
  call('/api/chat', token, { method: 'POST', body: JSON.stringify({ message }) }, site);

beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' });
  const made = await svc.admin('/site-keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Cổng học viên' }),
  });
  key = (await made.json()).siteKey.key;
  const r = await svc.admin(`/site-keys/${key}/user-token-secret`, { method: 'POST' });
  expect(r.status).toBe(201);
  secret = (await r.json()).secret;
}, 120_000);

afterAll(async () => {
  await svc?.close();
});

describe('data-user-token', () => {
  it('gives a signed-in user their own history, never shown to another user', async () => {
    const a = await sign('hv-001');
    const answered = await (await ask(a, 'Thư viện mở cửa lúc mấy giờ?')).json();
    expect(answered.answerable).toBe(true);
    // Another page view, a new token for the same user.
    const again = await sign('hv-001', { aud: key });
    const listed = (await (await call('/api/learner/conversations', again)).json()).conversations;
    expect(listed.map((c: { id: string }) => c.id)).toEqual([answered.conversationId]);
    const other = await sign('hv-002');
    expect((await (await call('/api/learner/conversations', other)).json()).conversations).toEqual([]);
    expect((await call(`/api/learner/conversations/${answered.conversationId}`, other)).status).toBe(404);
  });

  it('refuses a token signed with another secret, living too long, for another site key, or without a site key (401)', async () => {
    const tokens = [
      await sign('hv-1', { secret: 'not-the-secret-0123456789abcdef' }),
      await sign('hv-1', { lifetime: 3 * 24 * 3600 }),
      await sign('hv-1', { aud: 'tg_pub_other' }),
    ];
    for (const token of tokens) expect((await ask(token, 'Học phí?')).status).toBe(401);
    expect((await ask(await sign('hv-1'), 'Học phí?', null)).status).toBe(401);
  });

  it('stops working for old tokens when the secret is renewed', async () => {
    const old = await sign('hv-003');
    expect((await ask(old, 'Học phí?')).status).toBe(200);
    const renewed = await (await svc.admin(`/site-keys/${key}/user-token-secret`, { method: 'POST' })).json();
    expect(renewed.secret).not.toBe(secret);
    expect((await ask(old, 'Học phí?')).status).toBe(401);
    secret = renewed.secret;
    expect((await ask(await sign('hv-003'), 'Học phí?')).status).toBe(200);
    // Never in the site key's listing, nor in the logs.
    expect(JSON.stringify(await (await svc.admin('/site-keys')).json())).not.toContain(secret);
    expect(svc.logs.join('')).not.toContain(secret);
  });
});
