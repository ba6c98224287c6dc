import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';

let svc: RunningService;
let siteKey: string;
const lms = 'https://lms.example.edu.vn';

beforeAll(async () => {
  svc = await startService({ RATE_LIMIT_PER_MINUTE: '600' });
  const res = await svc.admin('/site-keys', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Moodle', allowedOrigins: [lms], rateLimitPerMinute: 6 }),
  });
  siteKey = (await res.json()).siteKey.key;
});
afterAll(() => svc.close());

const search = (headers: Record<string, string>) => fetch(`${svc.baseURL}/api/search?q=hoc+phi`, { headers });

describe('site keys, origins and rate limits', () => {
  it('allows the key on its own origin with CORS headers, and refuses other origins with 403', async () => {
    const ok = await search({ 'x-site-key': siteKey, origin: lms });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(lms);
    const other = await search({ 'x-site-key': siteKey, origin: 'https://evil.example.com' });
    expect(other.status).toBe(403);
    expect((await other.json()).error.code).toBe('forbidden_origin');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const noKey = await search({ origin: lms });
    expect(noKey.status).toBe(403);
    const unknown = await search({ 'x-site-key': 'tg_pub_doesnotexist000000000000' });
    expect((await unknown.json()).error.code).toBe('unknown_site_key');
    const preflight = await fetch(`${svc.baseURL}/api/chat`, {
      method: 'OPTIONS',
      headers: { origin: lms, 'x-site-key': siteKey, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-site-key');
  });

  it('limits a site key with 429 and Retry-After, then recovers', async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await search({ 'x-site-key': siteKey, origin: lms });
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get('access-control-allow-origin')).toBe(lms); // the widget can read the 429
    expect((await limited!.json()).error.code).toBe('rate_limited');
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    expect((await search({ 'x-site-key': siteKey, origin: lms })).status).toBe(200);
  }, 30_000);

  it('limits one IP address with 429', async () => {
    const strict = await startService({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await fetch(`${strict.baseURL}/api/search?q=hoc`)).status);
      expect(statuses.slice(0, 1)).toEqual([200]);
      expect(statuses).toContain(429);
      const metrics = await (await fetch(`${strict.baseURL}/metrics`)).text();
      expect(metrics).toMatch(/trogiang_rate_limited_total\{scope="ip"\} [1-9]/);
    } finally {
      await strict.close();
    }
  });
});
