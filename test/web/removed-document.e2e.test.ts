import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, launcher, screenshot, widgetFrame } from './browser.js';

/** End to end in Debian's headless Chromium: what a learner sees when a cited document is gone (issue 14), and the header route from another origin (issue 15 item 9). */
describe('in a browser', () => {
  let svc: RunningService;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    // A Vietnamese learner's browser: the page follows its language (English below).
    context = await browser.newContext({ locale: 'vi-VN', viewport: { width: 1100, height: 700 } });
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('a citation of a document deleted after the answer opens a page saying so, in Vietnamese, with a way back to the assistant', async () => {
    const page = await context.newPage();
    await page.goto(`${svc.baseURL}/demo`);
    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('#q').waitFor();
    await ask(frame, 'go tieng viet co dau can cai bo go gi');
    const cite = frame.locator('article.msg.bot').last().locator('a.cite').first();
    const href = (await cite.getAttribute('href'))!;
    const id = decodeURIComponent(/\/docs\/([^#?]+)/.exec(href)![1]!);
    expect((await svc.deps.engine.store.getDocument(id))?.fileName).toBe('tin-hoc.pdf');

    // The teacher removes the document while the answer is on the learner's screen.
    expect((await svc.admin(`/documents/${encodeURIComponent(id)}`, { method: 'DELETE' })).status).toBe(200);

    const [popup] = await Promise.all([context.waitForEvent('page'), cite.click()]);
    await popup.waitForLoadState();
    await expect(popup.locator('h1').textContent()).resolves.toBe('Tài liệu không còn nữa');
    await expect(popup.locator('main').textContent()).resolves.toContain('đóng thẻ này để quay lại cuộc trò chuyện');
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('vi');
    const back = popup.locator('a#back');
    await expect(back.textContent()).resolves.toContain('Quay lại trợ giảng');
    await screenshot(popup, 'removed-document-vi');

    // The way back opens the assistant, with the conversation still there.
    await back.click();
    await popup.waitForURL(/\/embed\?/);
    await expect.poll(() => popup.locator('article.msg.bot').count()).toBeGreaterThan(0);
    await popup.close();

    // In English when the browser asks for it.
    const english = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 700 } });
    try {
      const en = await english.newPage();
      await en.goto(`${svc.baseURL}/docs/${encodeURIComponent(id)}#page=3`);
      await expect(en.locator('h1').textContent()).resolves.toBe('This document is no longer available');
      await screenshot(en, 'removed-document-en');
    } finally {
      await english.close();
    }
    await page.close();
  });

  test('a page on another origin calls the learner API with the x-site-key header (the preflight carries none)', async () => {
    // An LMS page on another origin: localhost, while the service is on 127.0.0.1.
    const lmsApp = new Hono();
    lmsApp.get('/', (c) => c.html('<!doctype html><title>LMS</title><p>LMS</p>'));
    const lms: ServerType = await new Promise((resolve) => {
      const s = serve({ fetch: lmsApp.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const origin = `http://localhost:${(lms.address() as AddressInfo).port}`;
      const created = await svc.admin('/site-keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'LMS', allowedOrigins: [origin] }),
      });
      const key = (await created.json()).siteKey.key as string;
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      const call = (siteKey: string) =>
        page.evaluate(
          async ([url, k]) => {
            try {
              const res = await fetch(url!, {
                method: 'POST',
                headers: { 'content-type': 'application/json', accept: 'application/json', 'x-site-key': k! },
                body: JSON.stringify({ message: 'Học phí lớp tin học cơ bản bao nhiêu một tháng?' }),
              });
              return { status: res.status, answer: (await res.json()).answer as string };
            } catch (error) {
              return { error: String(error) };
            }
          },
          [`${svc.baseURL}/api/chat`, siteKey],
        );
      const ok = await call(key);
      expect(ok).toMatchObject({ status: 200 });
      expect((ok as { answer: string }).answer).toContain('450.000');
      // A key that does not allow this page: the browser gets no readable answer.
      const other = await svc.admin('/site-keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Khác', allowedOrigins: ['https://other.example'] }),
      });
      expect(await call((await other.json()).siteKey.key)).toMatchObject({ error: expect.stringContaining('Failed to fetch') });
      await page.close();
    } finally {
      await new Promise<void>((resolve) => lms.close(() => resolve()));
    }
  });
});
