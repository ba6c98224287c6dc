import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, launcher, screenshot, widgetFrame } from './browser.js';

/** End to end: the real service, Debian's headless Chromium, the widget on /demo. */
describe('widget on /demo', () => {
  let svc: RunningService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('open the widget, ask without diacritics, the answer streams in with a citation that opens the right page', async () => {
    await page.goto(`${svc.baseURL}/demo`);
    await expect(launcher(page).getAttribute('aria-expanded')).resolves.toBe('false');
    await screenshot(page, 'demo-widget-closed');

    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('#q').waitFor();
    await expect(launcher(page).getAttribute('aria-expanded')).resolves.toBe('true');
    // The site key's starter questions and the data-welcome text are shown.
    await expect(frame.locator('.starter').first().textContent()).resolves.toContain('Học phí');
    await expect(frame.locator('.welcome').textContent()).resolves.toContain('Tin học cơ bản');
    await screenshot(page, 'demo-widget-open');

    // Record every state the answer goes through, to see it arrive while the stream is open.
    const iframe = page.frames().find((f) => f.url().includes('/embed?'))!;
    await iframe.evaluate(() => {
      (window as any).__states = [];
      new MutationObserver(() => {
        const box = document.querySelector('#log article:last-of-type');
        if (box) (window as any).__states.push(`${box.className}|${box.getAttribute('aria-busy')}|${box.textContent}`);
      }).observe(document.getElementById('log')!, { subtree: true, childList: true, characterData: true });
    });
    await ask(frame, 'go tieng viet co dau can cai bo go gi');
    const states = (await iframe.evaluate(() => (window as any).__states)) as string[];
    expect(states.some((s) => s.includes('pending|true'))).toBe(true);
    expect(states.some((s) => s.includes('pending|true') && s.includes('Unikey'))).toBe(true);

    const answer = frame.locator('article.msg.bot').last();
    await expect(answer.textContent()).resolves.toContain('Unikey');
    const cite = answer.locator('a.cite').first();
    const docId = (await svc.deps.engine.store.listDocuments()).find((d) => d.fileName === 'tin-hoc.pdf')!.id;
    await expect(cite.getAttribute('href')).resolves.toBe(`${svc.baseURL}/docs/${docId}#page=3`);
    await expect(cite.getAttribute('target')).resolves.toBe('_blank');
    await expect(cite.getAttribute('rel')).resolves.toBe('noopener');
    await expect(cite.getAttribute('aria-label')).resolves.toMatch(/^Nguồn 1: Tin học cơ bản cho người tự học, trang 3$/);
    await expect(answer.locator('.sources').textContent()).resolves.toContain('trang 3');
    await screenshot(page, 'demo-answer-with-citations');

    const [popup] = await Promise.all([context.waitForEvent('page'), cite.click()]);
    await expect.poll(() => popup.url()).not.toBe('about:blank');
    expect(popup.url()).toBe(`${svc.baseURL}/docs/${docId}#page=3`);
    const pdf = await fetch(`${svc.baseURL}/docs/${docId}`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    await popup.close();
  });

  test('"the materials do not cover this" is shown distinctly', async () => {
    const frame = widgetFrame(page);
    await ask(frame, 'gia ve may bay di Paris la bao nhieu');
    const answer = frame.locator('article.msg.bot').last();
    await expect(answer.getAttribute('class')).resolves.toContain('nocover');
    await expect(answer.locator('.nocover-title').textContent()).resolves.toBe('Tài liệu chưa đề cập nội dung này');
    await expect(answer.locator('a.cite').count()).resolves.toBe(0);
  });

  test('a thumbs-down with a comment shows up in the admin questions log', async () => {
    const frame = widgetFrame(page);
    const answer = frame.locator('article.msg.bot').filter({ hasText: 'Unikey' });
    await answer.getByRole('button', { name: 'Câu trả lời chưa tốt' }).click();
    await expect(answer.getByRole('button', { name: 'Câu trả lời chưa tốt' }).getAttribute('aria-pressed')).resolves.toBe('true');
    const comment = answer.getByLabel('Góp ý thêm (không bắt buộc)');
    await comment.fill('Cần thêm hướng dẫn cài Unikey');
    await answer.getByRole('button', { name: 'Gửi góp ý' }).click();
    await answer.locator('.thanks').waitFor();

    const log = await (await svc.admin('/questions?thumbsDown=true')).json();
    expect(log.items).toHaveLength(1);
    expect(log.items[0].question).toBe('go tieng viet co dau can cai bo go gi');
    expect(log.items[0].feedback).toMatchObject({ rating: 'down', comment: 'Cần thêm hướng dẫn cài Unikey' });

    // And on the admin page, where thumbs-down and unanswered questions come first.
    const admin = await context.newPage();
    await admin.goto(`${svc.baseURL}/admin`);
    await admin.locator('#token').fill(svc.adminToken);
    await admin.locator('#token').press('Enter');
    await admin.getByRole('tab', { name: 'Câu hỏi của học viên' }).click();
    const rows = admin.locator('#questions tbody tr');
    await rows.first().waitFor();
    const texts = await rows.allTextContents();
    expect(
      texts.some((r) => r.includes('go tieng viet co dau') && r.includes('Cần thêm hướng dẫn cài Unikey') && r.includes('Chưa tốt')),
    ).toBe(true);
    await admin.locator('#q-down').check();
    await admin.getByRole('button', { name: 'Lọc' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.getByRole('button', { name: 'Xuất CSV' }).click()]);
    const path = await download.path();
    const csv = (await import('node:fs')).readFileSync(path!, 'utf8');
    expect(csv).toContain('Cần thêm hướng dẫn cài Unikey');
    await admin.close();
  });

  test('the conversation is kept across page loads, and "new conversation" clears it', async () => {
    await page.reload();
    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('.msg.user').first().waitFor();
    await expect(frame.locator('.msg.user').allTextContents()).resolves.toEqual([
      'Bạn: go tieng viet co dau can cai bo go gi',
      'Bạn: gia ve may bay di Paris la bao nhieu',
    ]);
    await expect(frame.locator('article.msg.bot a.cite').first().getAttribute('href')).resolves.toContain('#page=3');
    // A follow-up goes to the same conversation.
    await ask(frame, 'hoc phi mot thang bao nhieu');
    const conversations = new Set(
      (await (await svc.admin('/questions')).json()).items.map((m: { conversationId: string }) => m.conversationId),
    );
    expect(conversations.size).toBe(1);
    await frame.getByRole('button', { name: 'Cuộc trò chuyện mới' }).click();
    await expect(frame.locator('.msg.user').count()).resolves.toBe(0);
    await expect(frame.locator('#q').evaluate((e) => e === document.activeElement)).resolves.toBe(true);
  });

  test('the whole chat works with the keyboard alone', async () => {
    const kb = await context.newPage();
    await kb.goto(`${svc.baseURL}/demo`);
    await kb.evaluate(() => localStorage.clear());
    await kb.reload();
    // Tab through the course page until the launcher has focus.
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await kb.keyboard.press('Tab');
      found = await kb.evaluate(
        () => document.activeElement?.getAttribute('aria-expanded') !== null && document.activeElement?.tagName === 'BUTTON',
      );
    }
    expect(found).toBe(true);
    await kb.keyboard.press('Enter');
    const frame = widgetFrame(kb);
    const iframe = () => kb.frames().find((f) => f.url().includes('/embed?'))!;
    await expect
      .poll(async () =>
        iframe()
          ?.evaluate(() => document.activeElement?.id)
          .catch(() => null),
      )
      .toBe('q');
    await kb.keyboard.type('thu vien mo cua luc may gio');
    await kb.keyboard.press('Enter');
    await frame.locator('article.msg.bot:not(.pending)').first().waitFor();
    // The answer is announced in the live region.
    await expect.poll(() => frame.locator('#live').textContent()).toContain('Thư viện mở cửa');
    await expect(frame.locator('#live').getAttribute('aria-live')).resolves.toBe('polite');
    // Focus is back in the question box; Shift+Tab reaches the answer's buttons.
    await expect(iframe().evaluate(() => document.activeElement?.id)).resolves.toBe('q');
    const names: string[] = [];
    for (let i = 0; i < 8; i++) {
      await kb.keyboard.press('Shift+Tab');
      names.push(
        await iframe().evaluate(() => document.activeElement?.getAttribute('aria-label') || document.activeElement?.textContent || ''),
      );
      if (names.at(-1) === 'Câu trả lời hữu ích') break;
    }
    expect(names).toContain('Sao chép');
    expect(names.at(-1)).toBe('Câu trả lời hữu ích');
    await kb.keyboard.press('Enter');
    await expect(frame.getByRole('button', { name: 'Câu trả lời hữu ích' }).getAttribute('aria-pressed')).resolves.toBe('true');
    // Focus moved to the optional comment; Enter sends it.
    await expect(iframe().evaluate(() => document.activeElement?.tagName)).resolves.toBe('TEXTAREA');
    await kb.keyboard.type('Rõ ràng');
    await kb.keyboard.press('Enter');
    await frame.locator('.thanks').waitFor();
    // Escape closes the widget and gives focus back to the launcher.
    await kb.keyboard.press('Escape');
    await expect.poll(() => launcher(kb).getAttribute('aria-expanded')).toBe('false');
    await expect(kb.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).resolves.toBe('false');
    expect(await kb.locator('iframe[src*="/embed?"]').isVisible()).toBe(false);
    const up = (await (await svc.admin('/questions')).json()).items.find((m: any) => m.question === 'thu vien mo cua luc may gio');
    expect(up.feedback).toMatchObject({ rating: 'up', comment: 'Rõ ràng' });
    await kb.close();
  });

  test('the layout holds at 320 px wide', async () => {
    const narrow = await browser.newContext({
      viewport: { width: 320, height: 640 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const p = await narrow.newPage();
    await p.goto(`${svc.baseURL}/demo`);
    await launcher(p).click();
    const frame = widgetFrame(p);
    await frame.locator('#q').waitFor();
    const box = await p.locator('iframe[src*="/embed?"]').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 320, height: 640 });
    await ask(frame, 'hoc phi lop tin hoc co ban mot thang bao nhieu');
    const iframe = p.frames().find((f) => f.url().includes('/embed?'))!;
    const overflow = await iframe.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      log: document.getElementById('log')!.scrollWidth,
      width: innerWidth,
    }));
    expect(overflow.width).toBe(320);
    expect(overflow.doc).toBeLessThanOrEqual(320);
    expect(overflow.log).toBeLessThanOrEqual(320);
    // Every header button and the send button stay inside the screen.
    for (const sel of ['#lang', '#theme', '#new', '#close', '#send']) {
      const b = await frame.locator(sel).boundingBox();
      expect(b!.x + b!.width).toBeLessThanOrEqual(320);
    }
    await screenshot(p, 'widget-320px');
    await frame.getByRole('button', { name: 'Đóng trợ giảng' }).click();
    await expect.poll(() => launcher(p).getAttribute('aria-expanded')).toBe('false');
    await narrow.close();
  });

  test('English interface, dark theme, and the page can switch both through postMessage', async () => {
    const p = await context.newPage();
    await p.goto(`${svc.baseURL}/demo`);
    await launcher(p).click();
    const frame = widgetFrame(p);
    await frame.locator('#q').waitFor();
    await frame.getByRole('button', { name: 'Switch to English' }).click();
    await expect(frame.locator('#q').getAttribute('placeholder')).resolves.toBe('Type your question…');
    await expect(frame.locator('html').getAttribute('lang')).resolves.toBe('en');
    await p.evaluate(() => (window as any).trogiang.setLang('vi'));
    await expect.poll(() => frame.locator('#q').getAttribute('placeholder')).toBe('Nhập câu hỏi…');
    await p.evaluate(() => (window as any).trogiang.setTheme('dark', '#aa3300'));
    await expect.poll(() => frame.locator('html').getAttribute('data-theme')).toBe('dark');
    const accent = await frame.locator('html').evaluate((e) => getComputedStyle(e).getPropertyValue('--accent').trim());
    expect(accent).toBe('#aa3300');
    await frame.locator('#q').fill('hoc phi mot thang bao nhieu');
    await frame.locator('#q').press('Enter');
    await frame.locator('article.msg.bot:not(.pending)').last().waitFor();
    await screenshot(p, 'widget-dark-theme');
    // The loader acts only on messages from its own iframe: the page posting a "close" itself is ignored.
    await p.evaluate(() => window.postMessage({ ns: 'trogiang', type: 'close' }, '*'));
    await p.waitForTimeout(200);
    await expect(launcher(p).getAttribute('aria-expanded')).resolves.toBe('true');
    // And the chat acts only on messages from its parent: a message it posts to itself is ignored.
    const embed = p.frames().find((f) => f.url().includes('/embed?'))!;
    await embed.evaluate(() => window.postMessage({ ns: 'trogiang', type: 'set-lang', lang: 'en' }, '*'));
    await p.waitForTimeout(200);
    await expect(frame.locator('html').getAttribute('lang')).resolves.toBe('vi');
    await p.close();
  });

  test('offline and rate-limited questions get a clear message', async () => {
    const p = await context.newPage();
    await p.goto(`${svc.baseURL}/demo`);
    await launcher(p).click();
    const frame = widgetFrame(p);
    await frame.locator('#q').waitFor();
    await p.route('**/api/chat', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'retry-after': '12', 'content-type': 'application/json' },
        body: JSON.stringify({ error: { code: 'rate_limited', message: 'too many', retryAfter: 12 } }),
      }),
    );
    await frame.locator('#q').fill('hoc phi');
    await frame.locator('#q').press('Enter');
    await expect
      .poll(() => frame.locator('#notice').textContent())
      .toBe('Có quá nhiều câu hỏi cùng lúc. Vui lòng đợi 12 giây rồi hỏi lại.');
    await expect(frame.locator('#q').inputValue()).resolves.toBe('hoc phi');
    await p.unroute('**/api/chat');
    await context.setOffline(true);
    await frame.locator('#q').press('Enter');
    await expect.poll(() => frame.locator('#notice').textContent()).toBe('Bạn đang ngoại tuyến. Hãy kiểm tra kết nối mạng rồi hỏi lại.');
    await context.setOffline(false);
    await p.close();
    expect(errors).toEqual([]);
  });
});

describe('a page whose origin the site key does not allow', () => {
  let svc: RunningService;
  let browser: Browser;
  let other: ServerType;
  let otherURL: string;
  let key: string;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    await fetch(`${svc.baseURL}/demo`); // creates the Demo key, allowing only the service's origin
    key = (await svc.deps.engine.store.siteKeys.list()).find((k) => k.title === 'Demo')!.key;
    const html = (body: string) =>
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Trang khác</title></head><body><h1>Một trang web khác</h1>${body}</body></html>`;
    other = await new Promise((resolve) => {
      const s = serve(
        {
          port: 0,
          hostname: '127.0.0.1',
          fetch: (req) => {
            const path = new URL(req.url).pathname;
            const body =
              path === '/iframe'
                ? `<iframe id="plain" src="${svc.baseURL}/embed?site=${key}" title="Trợ giảng" style="width:360px;height:400px"></iframe>`
                : `<script src="${svc.baseURL}/widget.js" data-site-key="${key}" data-lang="vi" async></script>`;
            return new Response(html(body), { headers: { 'content-type': 'text/html; charset=utf-8' } });
          },
        },
        () => resolve(s),
      );
    });
    otherURL = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => other?.close(() => resolve()));
    await svc?.close();
  });

  test('the widget shows a polite refusal and no answers', async () => {
    const page = await browser.newPage();
    await page.goto(`${otherURL}/`);
    await launcher(page).click();
    const frame = widgetFrame(page);
    const alert = frame.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('trang này chưa được trung tâm cho phép dùng trợ giảng');
    await expect(frame.locator('#q').count()).resolves.toBe(0);
    await screenshot(page, 'widget-origin-refused');

    // The learner API refuses this page too, even with the right key.
    const api = await page.evaluate(
      async ({ base, key }) => {
        const r = await fetch(`${base}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-site-key': key },
          body: JSON.stringify({ message: 'hoc phi' }),
        }).catch((e) => String(e));
        return typeof r === 'string' ? r : r.status;
      },
      { base: svc.baseURL, key },
    );
    expect(String(api)).toMatch(/TypeError|403/);
    const direct = await fetch(`${svc.baseURL}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-site-key': key, origin: otherURL },
      body: JSON.stringify({ message: 'hoc phi' }),
    });
    expect(direct.status).toBe(403);
    expect((await direct.json()).error.code).toBe('forbidden_origin');
    const logged = (await (await svc.admin('/questions')).json()).total;
    expect(logged).toBe(0);
    await page.close();
  });

  test('a plain iframe on that page is not rendered (frame-ancestors)', async () => {
    const page = await browser.newPage();
    await page.goto(`${otherURL}/iframe`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    const hasChat = await frame!.evaluate(() => !!document.getElementById('q')).catch(() => false);
    expect(hasChat).toBe(false);
    await page.close();
  });
});
