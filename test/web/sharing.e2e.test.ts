import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { operatorToken, startAccountsService, type AccountsService } from '../auth/accounts-service.js';
import { launchBrowser, screenshot } from './browser.js';

/**
 * Issue 16's "Done when", in headless Chromium against the real service: center A's admin signs
 * in, uploads, publishes the collection under CC BY 4.0; center B's admin finds it in the
 * catalogue and subscribes; B's widget answers from A's material and the citation shows center A
 * and the licence; A unpublishes; B's next answer no longer cites it.
 */
describe('open materials shared between two centers', () => {
  let svc: AccountsService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const password = 'mat-khau-giao-vien-1';
  const centers: Record<'a' | 'b', string> = { a: '', b: '' };
  const question = 'Hàm VLOOKUP dùng để làm gì?';
  const lessons: Array<[string, string]> = [
    [
      'vlookup.md',
      '# Bài 5: Hàm tra cứu\n\n## Hàm VLOOKUP\n\nHàm VLOOKUP dùng để tra cứu một giá trị trong cột đầu tiên của bảng và trả về giá trị cùng hàng ở cột khác.\n\n## Hàm HLOOKUP\n\nHàm HLOOKUP tra cứu theo hàng ngang, ở hàng đầu tiên của bảng.\n',
    ],
    [
      'sum.md',
      '# Bài 3: Hàm tính tổng\n\n## Hàm SUM\n\nHàm SUM cộng các số trong một vùng ô, ví dụ =SUM(A1:A10).\n\n## Hàm AVERAGE\n\nHàm AVERAGE tính trung bình cộng của các số trong vùng ô.\n',
    ],
    [
      'dinh-dang.md',
      '# Bài 2: Định dạng ô\n\n## Định dạng số\n\nChọn ô, nhấn chuột phải, chọn Format Cells để đổi kiểu số, ngày tháng hoặc tiền tệ.\n',
    ],
  ];

  const signIn = async (username: string) => {
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#username').waitFor();
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await page.locator('#password').press('Enter');
    await page.locator('#docs').waitFor();
  };
  const signOut = async () => {
    await page.locator('#logout').click();
    await page.locator('#username').waitFor();
  };

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startAccountsService({ scrypt: { N: 4096, r: 8, p: 1 } }), launchBrowser()]);
    for (const [key, name, username] of [
      ['a', 'Trung tâm Hoa Sen', 'lan.hoasen'],
      ['b', 'Trung tâm Bình Minh', 'minh.binhminh'],
    ] as const) {
      centers[key] = (await (await svc.operator('/api/admin/centers', 'POST', { name })).json()).id;
      expect(
        (await svc.operator(`/api/admin/centers/${centers[key]}/users`, 'POST', { username, password, role: 'center_admin' })).status,
      ).toBe(201);
    }
    context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test("A's admin signs in, uploads a lesson and publishes the collection under CC BY 4.0", async () => {
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#username').waitFor();
    await screenshot(page, 'centers-login');
    await signIn('lan.hoasen');
    await page.locator('#up-collection').fill('bang-tinh');
    await page
      .locator('#files')
      .setInputFiles(lessons.map(([name, text]) => ({ name, mimeType: 'text/markdown', buffer: Buffer.from(text) })));
    await expect.poll(() => page.locator('#uploads li.ok').count(), { timeout: 30_000 }).toBe(lessons.length);
    await page.locator('#tab-catalogue').click();
    await expect.poll(() => page.locator('#cat-collection option').allTextContents()).toContain('bang-tinh');
    await page.locator('#cat-collection').selectOption(`${centers.a}.bang-tinh`);
    await page.locator('#cat-licence').selectOption('CC-BY-4.0');
    await page.locator('#cat-attribution').fill('TTGDTX Hoa Sen — Tổ Tin học');
    await page.locator('#cat-publish').click();
    await page.locator(`#catalogue tr[data-collection="${centers.a}.bang-tinh"]`).waitFor();
    const row = await page.locator(`#catalogue tr[data-collection="${centers.a}.bang-tinh"]`).textContent();
    expect(row).toContain('Trung tâm Hoa Sen');
    expect(row).toContain('CC BY 4.0');
    await signOut();
  }, 120_000);

  test("B's admin finds it in the catalogue and subscribes", async () => {
    await signIn('minh.binhminh');
    await page.locator('#tab-catalogue').click();
    const row = page.locator(`#catalogue tr[data-collection="${centers.a}.bang-tinh"]`);
    await row.waitFor();
    await page.locator('#cat-q').fill('bảng tính');
    await page.locator('#cat-find').click();
    await expect.poll(() => page.locator('#catalogue tbody tr').count()).toBe(1);
    await row.getByRole('button', { name: 'Đăng ký dùng' }).click();
    await expect.poll(() => row.getByRole('button').textContent()).toBe('Huỷ đăng ký');
    await screenshot(page, 'centers-catalogue');
    await signOut();
  }, 120_000);

  test("B's widget answers from A's material, citing center A and the licence; after A unpublishes it no longer does", async () => {
    const keyRes = await fetch(`${svc.baseURL}/api/admin/site-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'x-center': centers.b, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Bình Minh', welcomeText: 'Chào bạn! Hỏi về bài học nhé.' }),
    });
    expect(keyRes.status).toBe(201);
    const key = (await keyRes.json()).siteKey.key as string;
    await page.goto(`${svc.baseURL}/embed?site=${key}`);
    await page.locator('#q').fill(question);
    await page.locator('#q').press('Enter');
    const answer = page.locator('article.msg.bot:not(.pending)').last();
    await answer.locator('.sources').waitFor({ timeout: 30_000 });
    const shared = await answer.locator('.sources .shared').allTextContents();
    expect(shared.length).toBeGreaterThan(0);
    expect(shared[0]).toContain('Trung tâm Hoa Sen');
    expect(shared[0]).toContain('CC BY 4.0');
    await screenshot(page, 'centers-shared-answer');

    const unpublish = await fetch(`${svc.baseURL}/api/admin/collections/bang-tinh/unpublish`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorToken}`, 'x-center': centers.a },
    });
    expect(unpublish.status).toBe(200);
    const before = await page.locator('article.msg.bot:not(.pending)').count();
    await page.locator('#q').fill(question);
    await page.locator('#q').press('Enter');
    await expect.poll(() => page.locator('article.msg.bot:not(.pending)').count(), { timeout: 30_000 }).toBe(before + 1);
    const after = page.locator('article.msg.bot:not(.pending)').last();
    await expect.poll(async () => (await after.textContent())?.length ?? 0).toBeGreaterThan(0);
    expect(await after.locator('.sources .shared').count()).toBe(0);
    expect(await after.textContent()).not.toContain('VLOOKUP dùng để tra cứu');
    await screenshot(page, 'centers-after-unpublish');
    expect(errors).toEqual([]);
  }, 120_000);
});
