import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, launcher, screenshot, widgetFrame } from './browser.js';

/** Issue 14 reproductions in Debian's headless Chromium, against the real service. */

const shippedCorpus = fileURLToPath(new URL('../../corpus/', import.meta.url));

describe('on /demo over the shipped corpus', () => {
  let svc: RunningService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService({ CORPUS_DIR: shippedCorpus }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  const answers = (p: Page) => widgetFrame(p).locator('article.msg.bot:not(.pending) .body');

  // Needs the answering fix of issue 14 (branch of /work/wt/answers): on this branch alone the
  // later answers repeat the earlier questions' facts. Not skipped on purpose.
  test('each question of one conversation gets an answer about itself, not glued to the previous ones', async () => {
    await page.goto(`${svc.baseURL}/demo`);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('#q').waitFor();
    const asked = [
      'Học phí một tháng bao nhiêu?',
      'lop buoi sang hoc may gio',
      'How much does the English course cost?',
      'mat khau manh la gi',
    ];
    for (const q of asked) await ask(frame, q);
    await screenshot(page, 'issue14-four-questions');
    const texts = await answers(page).allTextContents();
    expect(texts).toHaveLength(4);
    const [fee, morning, english, password] = texts as [string, string, string, string];
    const report = asked.map((q, i) => `${q}\n  → ${texts[i]}`).join('\n');

    // 1. A monthly fee from the handbook (chapter 3.1: 350.000 / 450.000 / 550.000 / 500.000 đồng/tháng).
    expect(fee, report).toMatch(/(350|450|550|500)\.000 đồng/);
    // 2. The morning session's hours (handbook: 7h00-11h20 for the THPT program, 7h30-11h00 for short courses), and no money.
    expect(morning, report).toMatch(/7h00|7h30|7:00|7:30/);
    expect(morning, report).not.toMatch(/đồng|VND/);
    // 3. The English course fee (English guide, section 4: 500,000 VND a month, 2,000,000 VND a
    //    level; the handbook, 3.1: 500.000 đồng/tháng, 2.000.000 đồng/bậc).
    expect(english, report).toMatch(/500[.,]000 (VND|đồng)|2[.,]000[.,]000 (VND|đồng)/);
    expect(english, report).not.toMatch(/mật khẩu|7h00|7h30/);
    // 4. What a strong password is (lesson on email and safe internet, section 3): long, a passphrase.
    expect(password, report).toMatch(/\d+ ký tự|cụm mật khẩu/);
    expect(password, report).not.toMatch(/đồng|VND|7h00|7h30/);

    const conversations = new Set(
      (await (await svc.admin('/questions')).json()).items.map((m: { conversationId: string }) => m.conversationId),
    );
    expect(conversations.size).toBe(1);
  });
});

describe('the chat page keeps what the answer says', () => {
  let svc: RunningService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => {
      throw e;
    });
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  /** The number each `li` of the answers shows, computed as the browser numbers list items. */
  const shownNumbers = (p: Page) =>
    p
      .frames()
      .find((f) => f.url().includes('/embed?'))!
      .evaluate(() =>
        Array.from(document.querySelectorAll('#log article.msg.bot ol:not(.sources)')).map((ol) => {
          let n = (ol as HTMLOListElement).start - 1;
          return Array.from(ol.querySelectorAll(':scope > li')).map(
            (li) => (n = li.hasAttribute('value') ? (li as HTMLLIElement).value : n + 1),
          );
        }),
      );

  test('numbered items keep the answer’s numbers when the conversation is shown again after a reload', async () => {
    await page.goto(`${svc.baseURL}/demo`);
    const key = (await svc.deps.engine.store.siteKeys.list()).find((k) => k.title === 'Demo')!.key;
    // What the widget stored for an answer quoting items 3 and 4 of the holiday notice, and one
    // whose items are separated by blank lines.
    await page.evaluate((storeKey) => {
      localStorage.setItem(
        storeKey,
        JSON.stringify({
          messages: [
            { role: 'user', text: 'nghi tet khi nao' },
            {
              role: 'bot',
              text: 'Theo thông báo:\n\n3. Tết Dương lịch: nghỉ thứ Sáu 01/01/2027.\n4. Tết Nguyên đán: nghỉ từ thứ Hai 01/02/2027.',
              answerable: true,
              cites: [],
            },
            { role: 'user', text: 'cac buoc' },
            { role: 'bot', text: '1. Mở Gmail.\n\n2. Bấm Soạn thư.\n\n5. Bấm Gửi.', answerable: true, cites: [] },
          ],
        }),
      );
    }, `trogiang:v1:${key}`);
    await page.reload();
    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('article.msg.bot').nth(1).waitFor();
    await expect(shownNumbers(page)).resolves.toEqual([[3, 4], [1], [2], [5]]);
    await screenshot(page, 'issue14-numbered-items-after-reload');
  });

  test('the "not covered" card draws its icon as SVG, not a character fonts may lack', async () => {
    const frame = widgetFrame(page);
    await ask(frame, 'gia ve may bay di Paris la bao nhieu');
    const title = frame.locator('article.nocover .nocover-title').last();
    await expect(title.textContent()).resolves.toBe('Tài liệu chưa đề cập nội dung này');
    await expect(title.locator('svg[aria-hidden="true"] path').count()).resolves.toBe(1);
    const before = await title.evaluate((e) => getComputedStyle(e, '::before').content);
    expect(before).toBe('none');
    const box = await title.locator('svg').boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(16);
    await frame
      .locator('article.nocover')
      .last()
      .screenshot({ path: `${(await import('./browser.js')).screenshotDir}/issue14-not-covered-icon.png` });
  });
});

describe('a phone on a page the site key does not allow', () => {
  let svc: RunningService;
  let browser: Browser;
  let other: ServerType;
  let otherURL: string;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    await fetch(`${svc.baseURL}/demo`); // creates the Demo key, allowing only the service's origin
    const key = (await svc.deps.engine.store.siteKeys.list()).find((k) => k.title === 'Demo')!.key;
    other = await new Promise((resolve) => {
      const s = serve(
        {
          port: 0,
          hostname: '127.0.0.1',
          fetch: (req) => {
            const lang = new URL(req.url).pathname === '/en' ? 'en' : 'vi';
            const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>LMS</title></head><body><h1>Khóa học Tin học</h1><script src="${svc.baseURL}/widget.js" data-site-key="${key}" data-lang="${lang}" async></script></body></html>`;
            return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
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

  const phone = () => browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

  test('the full-screen refusal can be closed with a button and with Escape', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${otherURL}/`);
    await launcher(page).click();
    await widgetFrame(page).getByRole('alert').waitFor();
    const iframe = await page.locator('iframe[src*="/embed?"]').boundingBox();
    expect(iframe).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await expect(launcher(page).isVisible()).resolves.toBe(false); // under the full-screen frame

    const close = page.getByRole('button', { name: 'Đóng trợ giảng' });
    await expect(close.isVisible()).resolves.toBe(true);
    const box = (await close.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44); // a finger-sized target
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    // It is on top: the page's hit test at its centre finds the button (or its icon), not the iframe.
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('button')?.getAttribute('aria-label'), {
      x: box.x + box.width / 2,
      y: box.y + box.height / 2,
    });
    expect(hit).toBe('Đóng trợ giảng');
    // And it hides none of the refusal's text.
    const text = (await widgetFrame(page).getByRole('alert').boundingBox())!;
    expect(text.y).toBeGreaterThanOrEqual(box.y + box.height);
    await screenshot(page, 'issue14-phone-refusal-closable');
    await close.tap();
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false');
    await expect(page.locator('iframe[src*="/embed?"]').isVisible()).resolves.toBe(false);
    await expect(launcher(page).isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).resolves.toBe('false');

    // Opened again: the keyboard stays on the page, so Escape closes it.
    await launcher(page).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Đóng trợ giảng');
    await page.keyboard.press('Escape');
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false');
    await context.close();
  });

  test('in English on an English page', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${otherURL}/en`);
    await launcher(page).click();
    await widgetFrame(page).getByRole('alert').waitFor();
    await expect(widgetFrame(page).getByRole('alert').textContent()).resolves.toContain('the center has not allowed this page');
    await page.getByRole('button', { name: 'Close the study assistant' }).tap();
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false');
    await context.close();
  });

  test('on an allowed page the chat’s own close button is the only one once it is ready', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${svc.baseURL}/demo`);
    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('#q').waitFor();
    await expect.poll(() => page.locator('body > button[aria-label="Đóng trợ giảng"]').isVisible()).toBe(false);
    await frame.getByRole('button', { name: 'Đóng trợ giảng' }).tap();
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false');
    await context.close();
  });
});

describe('the admin page’s site-key form', () => {
  let svc: RunningService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => {
      throw e;
    });
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#token').fill(svc.adminToken);
    await page.locator('#token').press('Enter');
    await page.getByRole('tab', { name: 'Mã nhúng' }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  const keys = () => svc.deps.engine.store.siteKeys.list();
  const statusText = () => page.locator('#status').textContent();

  test('a pasted course page address is saved as its origin, and the teacher is told', async () => {
    await page.locator('#k-title').fill('Moodle lớp 12');
    await page
      .locator('#k-origins')
      .fill('https://lms.example.edu.vn/course/view.php?id=3\nhttps://lms.example.edu.vn/mod/page/view.php?id=9');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('article.key', { hasText: 'Moodle lớp 12' }).waitFor();
    expect((await keys()).find((k) => k.title === 'Moodle lớp 12')!.allowedOrigins).toEqual(['https://lms.example.edu.vn']);
    await expect(statusText()).resolves.toBe('Đã lưu. Chỉ cần phần đầu của địa chỉ trang: đã lưu https://lms.example.edu.vn.');
    await expect(page.locator('article.key', { hasText: 'Moodle lớp 12' }).textContent()).resolves.toContain('https://lms.example.edu.vn');
  });

  test('invalid lines get a clear message in the page’s language, naming the line, and save nothing', async () => {
    const before = (await keys()).length;
    await page.locator('#k-title').fill('Sai địa chỉ');
    await page.locator('#k-origins').fill('https://lms.example.edu.vn\nlms.example.edu.vn/course/view.php?id=3');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(statusText)
      .toBe(
        'Dòng 2 ("lms.example.edu.vn/course/view.php?id=3"): địa chỉ phải bắt đầu bằng https:// hoặc http://, ví dụ https://lms.example.edu.vn/course/view.php?id=3',
      );
    await expect(page.locator('#status').getAttribute('class')).resolves.toContain('error');
    await expect(page.locator('#k-origins').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('k-origins');
    await screenshot(page, 'issue14-site-key-invalid-address');

    await page.locator('#k-origins').fill('https://*.edu.vn');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(statusText)
      .toBe('Dòng 1 ("https://*.edu.vn"): không dùng dấu *; hãy ghi từng địa chỉ trang, ví dụ https://lms.example.edu.vn');

    await page.locator('#lang').click();
    await page.locator('#k-origins').fill('https://admin:mat-khau@lms.example.edu.vn/');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(statusText)
      .toBe('Line 1 ("https://admin:mat-khau@lms.example.edu.vn/"): the address must not contain a user name or password.');
    expect(await keys()).toHaveLength(before);
    await page.locator('#lang').click();
  });
});
