import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildWeb, defaultOutDir, formatReport } from '../../web/build.js';
import { startService, type RunningService } from '../support/start-service.js';

describe('web build', () => {
  test('web/dist is up to date with web/src, and every budget holds', async () => {
    const out = mkdtempSync(join(tmpdir(), 'trogiang-web-'));
    try {
      const report = await buildWeb(out);
      expect(formatReport(report)).toMatch(/widget\.js\s+\d+\s+\d+/);
      expect(report.ok).toBe(true);
      expect(report.outputs.find((o) => o.file === 'widget.js')!.gzip).toBeLessThanOrEqual(2048);
      expect(report.budgets.find((b) => b.name === 'chat page')!.gzip).toBeLessThanOrEqual(20480);
      const built = readdirSync(out).sort();
      expect(readdirSync(defaultOutDir).sort()).toEqual(built);
      for (const file of built) {
        // If this fails: run `npm run build` and commit web/dist.
        expect(readFileSync(join(defaultOutDir, file), 'utf8'), `web/dist/${file} is stale: run npm run build`).toBe(
          readFileSync(join(out, file), 'utf8'),
        );
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('web routes', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => svc?.close());

  const get = (path: string, init?: RequestInit) => fetch(`${svc.baseURL}${path}`, init);
  const demoKey = async () => (await svc.deps.engine.store.siteKeys.list()).find((k) => k.title === 'Demo');

  test('/widget.js is a public, cacheable script', async () => {
    const r = await get('/widget.js');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('public, max-age=300');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(await r.text()).toBe(readFileSync(join(defaultOutDir, 'widget.js'), 'utf8'));
    const again = await get('/widget.js', { headers: { 'if-none-match': r.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  test('/demo creates the "Demo" site key once, for the address the server listens on, and embeds the widget with it', async () => {
    expect(await demoKey()).toBeUndefined();
    const first = await (await get('/demo')).text();
    const second = await get('/demo');
    expect(second.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await second.text();
    const keys = (await svc.deps.engine.store.siteKeys.list()).filter((k) => k.title === 'Demo');
    expect(keys).toHaveLength(1);
    expect(keys[0]!.allowedOrigins).toEqual([svc.baseURL]);
    expect(first).toContain(`<script src="/widget.js" data-site-key="${keys[0]!.key}"`);
  });

  test('/embed: frame-ancestors from the site key, own origin without a key, a polite 403 for an unknown key or a refused page', async () => {
    const key = (await demoKey())!.key;
    const withKey = await get(`/embed?site=${key}`);
    expect(withKey.status).toBe(200);
    const csp = withKey.headers.get('content-security-policy')!;
    // The demo key may also be framed by this server's own pages, at whatever address they are reached.
    expect(csp).toContain(`frame-ancestors 'self' ${svc.baseURL}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(withKey.headers.get('x-frame-options')).toBeNull();
    const html = await withKey.text();
    expect(html).toMatch(/<script src="\/embed\.js\?v=[0-9a-f]{12}" defer><\/script>/);

    const own = await get('/embed');
    expect(own.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");

    const unknown = await get('/embed?site=tg_pub_nope');
    expect(unknown.status).toBe(403);
    expect(await unknown.text()).toContain('mã nhúng trợ giảng này không còn hiệu lực');

    const refused = await get(`/embed?site=${key}&parent=${encodeURIComponent('https://evil.example')}`);
    expect(refused.status).toBe(403);
    const text = await refused.text();
    expect(text).toContain('chưa được trung tâm cho phép');
    expect(text).not.toContain('embed.js');
  });

  test('/embed puts data-* settings into its config as data, never as markup', async () => {
    const key = (await demoKey())!.key;
    const title = '</script><script>alert(1)</script>';
    const html = await (
      await get(`/embed?site=${key}&title=${encodeURIComponent(title)}&color=red&lang=en&parent=${encodeURIComponent(svc.baseURL)}`)
    ).text();
    const json = /<script type="application\/json" id="tg-config">(.*?)<\/script>/s.exec(html)![1]!;
    expect(json).not.toContain('<');
    const config = JSON.parse(json);
    expect(config).toMatchObject({
      site: key,
      title,
      color: null,
      lang: 'en',
      parent: svc.baseURL,
      starters: (await demoKey())!.starterQuestions,
    });
    expect(html).toContain('<html lang="en">');
  });

  test('/admin refuses to be framed and has a strict CSP', async () => {
    const r = await get('/admin');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await r.text()).toMatch(/\/admin\.js\?v=/);
    expect((await get('/admin.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });
});
