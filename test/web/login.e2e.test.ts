import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sqliteOf, startAccountsService, type AccountsService } from '../auth/accounts-service.js';
import { launchBrowser, screenshot } from './browser.js';

/** The admin page's sign-in with teacher accounts, in headless Chromium against the real service. */
describe('admin page sign-in with accounts', () => {
  let svc: AccountsService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const password = 'mat-khau-giao-vien-1';

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startAccountsService({ scrypt: { N: 4096, r: 8, p: 1 } }), launchBrowser()]);
    for (const [username, role] of [
      ['lan.admin', 'center_admin'],
      ['minh.gv', 'teacher'],
    ] as const) {
      expect((await svc.operator('/api/admin/centers/default/users', 'POST', { username, password, role })).status).toBe(201);
    }
    context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('shows the account form in Vietnamese, refuses a wrong password, and reads in English', async () => {
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#username').waitFor();
    await expect(page.locator('#login-form').isHidden()).resolves.toBe(true);
    await expect(page.locator('label[for=username]').textContent()).resolves.toBe('Tên đăng nhập');
    await expect(page.locator('label[for=password]').textContent()).resolves.toBe('Mật khẩu');
    await screenshot(page, 'accounts-login-vi');
    await page.locator('#username').fill('lan.admin');
    await page.locator('#password').fill('khong-phai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await expect.poll(() => page.locator('#account-error').textContent()).toBe('Sai tên đăng nhập hoặc mật khẩu.');
    await screenshot(page, 'accounts-login-error-vi');
    await page.locator('#lang').click();
    await expect(page.locator('label[for=username]').textContent()).resolves.toBe('Username');
    await expect(page.getByRole('button', { name: 'Sign in', exact: true }).count()).resolves.toBe(1);
    await expect(page.locator('#account-error').textContent()).resolves.toBe('Wrong username or password.');
    await screenshot(page, 'accounts-login-en');
    await page.locator('#lang').click();
  });

  test('signs in with an HttpOnly cookie the page cannot read, shows who is signed in and the audit tab', async () => {
    await page.locator('#username').fill('Lan.Admin');
    await page.locator('#password').fill(password);
    await page.locator('#password').press('Enter');
    await page.locator('#docs').waitFor();
    await expect.poll(() => page.locator('#whoami').textContent()).toBe('lan.admin · Trung tâm');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'trogiang_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => sessionStorage.getItem('trogiang:admin-token'))).toBeNull();
    // A change through the page passes the CSRF check (own Origin, X-Requested-With).
    await page.locator('#files').setInputFiles({
      name: 'lich-thi.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Lịch thi\n\nKỳ thi cuối khoá vào ngày 20 tháng 12.'),
    });
    await expect.poll(() => page.locator('#uploads li.ok').count(), { timeout: 15_000 }).toBe(1);
    await page.locator('#tab-audit').click();
    await page.locator('#audit tbody tr').first().waitFor();
    const rows = await page.locator('#audit tbody tr').allTextContents();
    expect(rows[0]).toMatch(/lan\.admin.*Thêm tài liệu.*fileName: lich-thi\.md/);
    expect(rows.some((r) => /lan\.admin.*Đăng nhập sai/.test(r))).toBe(true);
    await screenshot(page, 'accounts-audit-tab');
    // The session survives a reload (the cookie), with nothing in storage.
    await page.reload();
    await page.locator('#docs tbody tr[data-id]').first().waitFor();
  });

  test('changes the password, then signs out: the session is gone after a reload', async () => {
    await page.locator('#change-password').click();
    await page.locator('#pw-current').fill(password);
    await page.locator('#pw-new').fill('mat-khau-moi-cua-lan');
    await page.locator('#pw-confirm').fill('mat-khau-moi-cua-lan');
    await page.locator('#password-form button[type=submit]').click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.');
    await page.locator('#logout').click();
    await page.locator('#username').waitFor();
    await page.reload();
    await page.locator('#username').waitFor();
    await expect(page.locator('#app').isHidden()).resolves.toBe(true);
    expect(((await sqliteOf(svc).prepare('SELECT count(*) AS n FROM sessions').get()) as { n: number }).n).toBe(0);
  });

  test('an invitation link makes a teacher account, which signs in without the audit and accounts tabs', async () => {
    const invite = await (
      await svc.operator('/api/admin/centers/default/invitations', 'POST', { role: 'teacher', collections: ['tin-hoc'] })
    ).json();
    const fresh = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    const p = await fresh.newPage();
    await p.goto(invite.link);
    await p.locator('#invite-username').fill('hoa.moi');
    await p.locator('#invite-password').fill('mat-khau-cua-hoa-1');
    await p.locator('#invite-confirm').fill('mat-khau-cua-hoa-1');
    await screenshot(p, 'accounts-invitation');
    await p.locator('#invite-form button[type=submit]').click();
    await expect.poll(() => p.locator('#whoami').textContent()).toBe('hoa.moi · Trung tâm');
    expect(p.url()).toBe(`${svc.baseURL}/admin`); // the token left the address bar
    await expect(p.locator('#tab-audit').isHidden()).resolves.toBe(true);
    await expect(p.locator('#tab-users').isHidden()).resolves.toBe(true);
    await expect(p.locator('#tab-lti').isHidden()).resolves.toBe(true);
    // Arrow keys along the tabs skip the hidden ones: from the last one shown, right wraps to Documents.
    await p.locator('#tab-catalogue').click();
    await p.locator('#tab-catalogue').press('ArrowRight');
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('tab-docs');
    await fresh.close();
  });

  test('keeps the ADMIN_TOKEN sign-in for the operator, with the accounts tab', async () => {
    await page.locator('#use-token').click();
    await page.locator('#token').fill('operator-token-0123456789');
    await page.locator('#token').press('Enter');
    await page.locator('#docs').waitFor();
    await expect.poll(() => page.locator('#whoami').textContent()).toBe('người vận hành');
    await page.locator('#tab-users').click();
    await expect.poll(() => page.locator('#users tbody tr').count()).toBe(3);
    // The operator's centers: create one, then suspend it (after a confirmation).
    await page.locator('#c-name').fill('Trung tâm GDTX Quận 5');
    await page.locator('#c-form button[type=submit]').click();
    await expect.poll(() => page.locator('#centers li').count()).toBe(2);
    await expect.poll(() => page.locator('#u-center').inputValue()).toBe('trung-tam-gdtx-quan-5');
    await expect.poll(() => page.locator('#users tbody tr').count()).toBe(0);
    page.once('dialog', (d) => void d.accept());
    await page.locator('#centers li', { hasText: 'Quận 5' }).getByRole('button', { name: 'Tạm ngừng' }).click();
    await expect.poll(() => page.locator('#centers li', { hasText: 'Quận 5' }).textContent()).toContain('Đang tạm ngừng');
    expect((await svc.deps.auth!.stores.centers.get('trung-tam-gdtx-quan-5'))?.status).toBe('suspended');
    await page.locator('#u-center').selectOption('default');
    await expect.poll(() => page.locator('#users tbody tr').count()).toBe(3);
    await screenshot(page, 'accounts-users-tab');
    expect(errors).toEqual([]);
  });
});
