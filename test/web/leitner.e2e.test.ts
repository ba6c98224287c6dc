/**
 * The widget's practice mode for a known learner (a host page's signed user token): the boxes are
 * kept on the server, not in the browser, and another device continues them.
 */
import { SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LeitnerStore } from '../../src/practice/index.js';
import type { SqliteStore } from '../../src/store/index.js';
import { startService, type RunningService } from '../support/start-service.js';
import { launchBrowser } from './browser.js';

describe('practice for a known learner in the widget', () => {
  let svc: RunningService;
  let browser: Browser;
  let key: string;
  let secret: string;
  const byPrompt = new Map<string, { id: string; answer: string; type: string }>();
  const errors: string[] = [];

  const token = () => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('hv-web')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(secret));
  };
  /** A new browser context: another device, with nothing in its storage. */
  const device = async (): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    // The chat page at the address the loader gives its iframe for a page with `data-user-token`.
    await page.goto(`${svc.baseURL}/embed?site=${key}#ut=${await token()}`);
    await page.locator('#practice').click();
    await page.locator('.quiz').first().waitFor();
    return page;
  };
  const promptOf = async (page: Page) => (await page.locator('.quiz .prompt').textContent())!;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService({ RATE_LIMIT_PER_MINUTE: '1000' }), launchBrowser()]);
    const made = await svc.admin('/site-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Cổng học viên' }),
    });
    key = (await made.json()).siteKey.key;
    secret = (await (await svc.admin(`/site-keys/${key}/user-token-secret`, { method: 'POST' })).json()).secret;
    const { items } = await (await svc.admin(`/practice/items?collection=${svc.deps.config.defaultCollection}`)).json();
    for (const i of items) byPrompt.set(i.prompt, i);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('answers on one device are kept on the server, not in the browser, and the missed item comes first on another', async () => {
    const page = await device();
    let missed: string | undefined;
    const answered: string[] = [];
    while (!(await page.locator('.score').count())) {
      const item = byPrompt.get(await promptOf(page))!;
      expect(item).toBeDefined();
      // The first item is answered wrong, the others right.
      const value = missed === undefined ? 'không phải đáp án' : item.answer;
      if (item.type === 'choice') {
        if (missed === undefined) await page.locator('.quiz .choice').filter({ hasNotText: item.answer }).first().click();
        else await page.locator('.quiz .choice', { hasText: item.answer }).first().click();
      } else {
        await page.locator('.quiz input').fill(value);
        await page.locator('.quiz button[type=submit]').click();
      }
      await page.locator('.quiz .feedback').waitFor();
      missed ??= item.id;
      answered.push(item.id);
      await page.locator('.quiz .feedback button').click();
      await page.locator('.quiz, .score').first().waitFor();
    }
    expect(answered.length).toBeGreaterThanOrEqual(3);
    const stored = await page.locator('body').evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':practice')));
    expect(stored).toEqual([]);
    const store = svc.deps.engine.store as SqliteStore;
    const boxes = await new LeitnerStore(store.sql).entries(`site:${key}:hv-web`);
    expect([...boxes.keys()].sort()).toEqual([...answered].sort());
    expect(answered.filter((id) => boxes.get(id)!.box === 1)).toEqual([missed]);
    await page.context().close();

    const other = await device();
    expect(byPrompt.get(await promptOf(other))!.id).toBe(missed);
    await other.context().close();
    expect(errors).toEqual([]);
  });
}, 180_000);
