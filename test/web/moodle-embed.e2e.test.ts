/**
 * docs/widget.md's Moodle route, followed as written, in Debian's headless Chromium: a site key
 * made from a course page's address (step 1), the guide's iframe snippet pasted into a course's
 * Text block (route A), and the guide's script tag in "Before BODY is closed" (route B), on a page served
 * from another origin, as Moodle would serve them. Each route must answer a question with a
 * citation; the snippets are read from the guide, so the guide cannot drift from what works.
 */
import { serve, type ServerType } from '@hono/node-server';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, launcher, widgetFrame } from './browser.js';

const guide = readFileSync(join(import.meta.dirname, '../../docs/widget.md'), 'utf8');
/** The first ```html block after a heading of the guide. */
const snippetAfter = (heading: string) => guide.slice(guide.indexOf(heading)).match(/```html\n([\s\S]*?)```/)![1]!;

describe('docs/widget.md, Moodle step by step', () => {
  let svc: RunningService;
  let browser: Browser;
  let moodle: ServerType;
  let moodleURL: string;
  let key: string;
  const errors: string[] = [];

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    // A stand-in for Moodle on another origin: a course page with a Text block, and a page whose
    // footer holds the site's Additional HTML.
    const blocks = new Map<string, string>();
    moodle = await new Promise((resolve) => {
      const s = serve(
        {
          port: 0,
          hostname: '127.0.0.1',
          fetch: (req) => {
            const id = new URL(req.url).searchParams.get('id') ?? '';
            const page = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tin học cơ bản</title></head><body>
<h1>Tin học cơ bản</h1>${blocks.get(`block:${id}`) ?? ''}<footer>Moodle</footer>${blocks.get(`footer:${id}`) ?? ''}</body></html>`;
            return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
          },
        },
        () => resolve(s),
      );
    });
    moodleURL = `http://127.0.0.1:${(moodle.address() as AddressInfo).port}`;

    // Step 1: a key made from the course page's address as the browser shows it.
    const made = await svc.admin('/site-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Trợ giảng Tin học', allowedOrigins: [`${moodleURL}/course/view.php?id=3`] }),
    });
    expect(made.status).toBe(201);
    const { siteKey } = await made.json();
    key = siteKey.key;
    expect(siteKey.allowedOrigins).toEqual([moodleURL]);

    const fill = (snippet: string) => snippet.replaceAll('https://HOST', svc.baseURL).replaceAll('tg_pub_…', key);
    blocks.set('block:3', `<section class="block block_html"><h2>Trợ giảng</h2>${fill(snippetAfter('## 2b. The plain iframe'))}</section>`);
    blocks.set('footer:4', fill(snippetAfter('## 2a. The script tag')));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (moodle ? moodle.close(() => resolve()) : resolve()));
    await svc?.close();
  });

  const newPage = async (): Promise<Page> => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    return page;
  };

  test('route A: the iframe in a course Text block answers with a citation', async () => {
    const page = await newPage();
    await page.goto(`${moodleURL}/course/view.php?id=3`);
    const frame = page.frameLocator('section.block_html iframe');
    await frame.locator('#q').waitFor();
    await ask(frame, 'go tieng viet co dau can cai bo go gi');
    const answer = frame.locator('article.msg.bot').last();
    await expect(answer.textContent()).resolves.toContain('Unikey');
    await expect(answer.locator('a.cite').first().getAttribute('href')).resolves.toMatch(new RegExp(`^${svc.baseURL}/docs/.+#page=3$`));
    await page.close();
    expect(errors).toEqual([]);
  }, 60_000);

  test('route B: the script tag of Additional HTML adds the launcher, and the chat answers with a citation', async () => {
    const page = await newPage();
    await page.goto(`${moodleURL}/course/view.php?id=4`);
    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('#q').waitFor();
    await ask(frame, 'go tieng viet co dau can cai bo go gi');
    const answer = frame.locator('article.msg.bot').last();
    await expect(answer.textContent()).resolves.toContain('Unikey');
    await expect(answer.locator('a.cite').count()).resolves.toBeGreaterThan(0);
    await page.close();
    expect(errors).toEqual([]);
  }, 60_000);
});
