/**
 * `data-user-token` in Chromium: a portal on another origin signs a token for its signed-in user
 * and puts it on the script tag; the chat keeps that user's history on the server, so another
 * browser (another device) lists it, and another user's browser does not. The token travels in
 * the iframe address's fragment and is gone from the address once the chat has read it.
 */
import { serve, type ServerType } from '@hono/node-server';
import { SignJWT } from 'jose';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, launcher, widgetFrame } from './browser.js';

describe('data-user-token on the widget', () => {
  let svc: RunningService;
  let browser: Browser;
  let portal: ServerType;
  let portalURL: string;
  let key: string;
  let secret: string;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService({ RATE_LIMIT_PER_MINUTE: '1000' }), launchBrowser()]);
    // The portal signs a token for the user named in `?user=` (its own sign-in, for the test).
    portal = await new Promise((resolve) => {
      const s = serve(
        {
          port: 0,
          hostname: '127.0.0.1',
          fetch: async (req) => {
            const user = new URL(req.url).searchParams.get('user') ?? 'anonymous';
            const token = await new SignJWT({ aud: key })
              .setProtectedHeader({ alg: 'HS256' })
              .setSubject(user)
              .setIssuedAt()
              .setExpirationTime('15m')
              .sign(new TextEncoder().encode(secret));
            const page = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Cổng học viên</title></head><body><h1>Cổng học viên</h1>
<script src="${svc.baseURL}/widget.js" data-site-key="${key}" data-user-token="${token}" async></script></body></html>`;
            return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
          },
        },
        () => resolve(s),
      );
    });
    portalURL = `http://localhost:${(portal.address() as AddressInfo).port}`;
    const made = await svc.admin('/site-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Cổng', allowedOrigins: [portalURL] }),
    });
    key = (await made.json()).siteKey.key;
    secret = (await (await svc.admin(`/site-keys/${key}/user-token-secret`, { method: 'POST' })).json()).secret;
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await new Promise<void>((resolve) => (portal ? portal.close(() => resolve()) : resolve()));
    await svc?.close();
  });

  const open = async (user: string): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${portalURL}/?user=${user}`);
    await launcher(page).click();
    await widgetFrame(page).locator('#q').waitFor();
    return page;
  };

  test("a signed-in user's history follows them to another browser, never to another user", async () => {
    const first = await open('hv-42');
    await ask(widgetFrame(first), 'Thư viện mở cửa lúc mấy giờ?');
    const frameUrl = first
      .frames()
      .find((f) => f.url().includes('/embed?'))!
      .url();
    expect(frameUrl).not.toContain('#ut=');

    const second = await open('hv-42');
    await widgetFrame(second).locator('#history').click();
    await expect(widgetFrame(second).locator('#panel .conversation').first().textContent()).resolves.toContain('Thư viện mở cửa');

    const other = await open('hv-43');
    await widgetFrame(other).locator('#history').click();
    await widgetFrame(other).locator('#panel .empty').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
