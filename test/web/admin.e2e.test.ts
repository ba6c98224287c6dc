import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, launcher, screenshot, widgetFrame } from './browser.js';

const newLesson = {
  name: 'phong-may.md',
  text: '# Phòng máy tính\n\n## Giờ mở cửa\n\nPhòng máy tính số 5 mở cửa vào Chủ nhật từ 8h00 đến 11h00 để học viên tự ôn luyện.\n\n## Nội quy\n\nHọc viên mang thẻ học viên khi vào phòng máy.\n',
};
const hostile = {
  name: 'thi-nghiem.txt',
  text: 'Quy định phòng thí nghiệm hoá học\n\nKhi làm thí nghiệm hoá học phải đeo kính bảo hộ <img src=x onerror="window.__xss=1"> và găng tay cao su. <script>window.__xss=2</script>\n\nKhông ăn uống trong phòng thí nghiệm.\n',
};

/** End to end: the teachers' page against the real service, then the widget on what they uploaded. */
describe('admin page', () => {
  let svc: RunningService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService(), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('token login: a wrong token is refused, the right one opens the documents table', async () => {
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#token').fill('wrong-token');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toBe('Mã quản trị không đúng.');
    await page.locator('#token').fill(svc.adminToken);
    await page.locator('#token').press('Enter');
    await page.locator('#docs tbody tr[data-id]').first().waitFor();
    await expect(page.locator('#docs tbody tr[data-id]').count()).resolves.toBe(2);
    // The token is kept for this tab only, and is not in the URL.
    expect(await page.evaluate(() => sessionStorage.getItem('trogiang:admin-token'))).toBe(svc.adminToken);
    expect(page.url()).toBe(`${svc.baseURL}/admin`);
  });

  test('upload by drag and drop, with progress and a result per file', async () => {
    const files = [newLesson, hostile];
    const dataTransfer = await page.evaluateHandle((list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.name.endsWith('.md') ? 'text/markdown' : 'text/plain' }));
      return dt;
    }, files);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer });
    await expect.poll(() => page.locator('#uploads li.ok').count(), { timeout: 15_000 }).toBe(2);
    const results = await page.locator('#uploads li').allTextContents();
    expect(results[0]).toMatch(/phong-may\.md.*✓ Đã thêm: 1 trang, \d+ đoạn/);
    expect(results[1]).toMatch(/thi-nghiem\.txt.*✓ Đã thêm/);
    await expect(
      page
        .locator('#uploads progress')
        .first()
        .evaluate((p) => (p as HTMLProgressElement).value),
    ).resolves.toBe(100);
    await expect.poll(() => page.locator('#docs tbody tr[data-id]').count()).toBe(4);
    // A failing file gets its own reason.
    await page
      .locator('#files')
      .setInputFiles({ name: 'anh.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ\0\0binary') });
    await expect.poll(() => page.locator('#uploads li.bad').count()).toBe(1);
    await expect(page.locator('#uploads li.bad').textContent()).resolves.toContain('✗ Lỗi');
    await page.locator('#uploads').evaluate((u) => (u.textContent = ''));
    await screenshot(page, 'admin-documents');
  });

  test('a document holding <img onerror> and <script> is shown as text in its chunks', async () => {
    await page
      .getByRole('button', { name: 'Xem các đoạn của "thi-nghiem"' })
      .or(page.locator('#docs button.link', { hasText: 'Quy định phòng thí nghiệm' }))
      .first()
      .click();
    await page.locator('#chunks li').first().waitFor();
    const text = await page.locator('#chunks').textContent();
    expect(text).toContain('<img src=x onerror="window.__xss=1">');
    expect(text).toContain('<script>window.__xss=2</script>');
    await expect(page.locator('#chunks img, #chunks script').count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('chunks-title');
  });

  test('try a question: ranked chunks with scores, matched terms highlighted, and the answer learners get', async () => {
    await page.getByRole('tab', { name: 'Thử câu hỏi' }).click();
    await page.locator('#try-q').fill('khi lam thi nghiem hoa hoc phai deo gi');
    await page.locator('#try-q').press('Enter');
    await page.locator('#try-results tbody tr').first().waitFor();
    const first = page.locator('#try-results tbody tr').first();
    await expect(first.textContent()).resolves.toContain('kính bảo hộ');
    const marks = await first.locator('mark').allTextContents();
    expect(marks.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['thí', 'nghiệm', 'hoá', 'học']));
    await expect(first.locator('td').nth(1).textContent()).resolves.toMatch(/\d\.\d{4}BM25 \d/);
    const answer = page.locator('.card.answer');
    await expect(answer.textContent()).resolves.toContain('kính bảo hộ <img src=x onerror="window.__xss=1">');
    await expect(answer.locator('ol.cites a').first().textContent()).resolves.toContain('Quy định phòng thí nghiệm');
    await expect(page.locator('#try-out img, #try-out script').count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    await screenshot(page, 'admin-try-question');
  });

  test('the widget cites the new document, and shows the hostile one as text', async () => {
    const demo = await context.newPage();
    await demo.goto(`${svc.baseURL}/demo`);
    await launcher(demo).click();
    const frame = widgetFrame(demo);
    await frame.locator('#q').waitFor();
    await ask(frame, 'phong may so 5 mo cua khi nao');
    const lessonId = (await svc.deps.engine.store.listDocuments()).find((d) => d.fileName === 'phong-may.md')!.id;
    const answer = frame.locator('article.msg.bot').last();
    await expect(answer.textContent()).resolves.toContain('Chủ nhật từ 8h00 đến 11h00');
    await expect(answer.locator('a.cite').first().getAttribute('href')).resolves.toBe(`${svc.baseURL}/docs/${lessonId}#gio-mo-cua`);

    await ask(frame, 'khi lam thi nghiem hoa hoc phai deo gi');
    const hostileAnswer = frame.locator('article.msg.bot').last();
    await expect(hostileAnswer.locator('.body').textContent()).resolves.toContain('<img src=x onerror="window.__xss=1">');
    await expect(frame.locator('#log img, #log script').count()).resolves.toBe(0);
    const embed = demo.frames().find((f) => f.url().includes('/embed?'))!;
    expect(await embed.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await demo.evaluate(() => (window as any).__xss)).toBeUndefined();
    // Reloaded from localStorage, still text.
    await demo.reload();
    await launcher(demo).click();
    await frame.locator('article.msg.bot').nth(1).waitFor();
    await expect(frame.locator('#log').textContent()).resolves.toContain('<script>window.__xss=2</script>');
    await expect(frame.locator('#log img, #log script').count()).resolves.toBe(0);
    await demo.close();
  });

  test('re-index, and delete only after confirming', async () => {
    await page.getByRole('tab', { name: 'Tài liệu' }).click();
    const row = page.locator('#docs tbody tr', { hasText: 'phong-may.md' });
    await row.getByRole('button', { name: 'Lập chỉ mục lại' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toBe('Đã lập chỉ mục lại "Phòng máy tính".');
    page.once('dialog', (d) => void d.dismiss());
    await row.getByRole('button', { name: 'Xoá' }).click();
    await expect(page.locator('#docs tbody tr', { hasText: 'phong-may.md' }).count()).resolves.toBe(1);
    page.once('dialog', (d) => {
      expect(d.message()).toContain('Phòng máy tính');
      void d.accept();
    });
    await row.getByRole('button', { name: 'Xoá' }).click();
    await expect.poll(() => page.locator('#docs tbody tr', { hasText: 'phong-may.md' }).count()).toBe(0);
    expect((await svc.deps.engine.store.listDocuments()).some((d) => d.fileName === 'phong-may.md')).toBe(false);
  });

  test('site keys: create one with origins, starters and colour, and copy its snippet', async () => {
    await page.getByRole('tab', { name: 'Mã nhúng' }).click();
    await page.locator('#k-title').fill('Moodle trung tâm');
    await page.locator('#k-origins').fill('https://lms.hoa-an.edu.vn\nhttp://localhost:8080');
    await page.locator('#k-starters').fill('Học phí bao nhiêu?\nLịch thi khi nào?');
    await page.locator('#k-welcome').fill('Xin chào <b>học viên</b>');
    await page.locator('#k-color-on').check();
    await page.getByRole('button', { name: 'Lưu' }).click();
    const card = page.locator('article.key', { hasText: 'Moodle trung tâm' });
    await card.waitFor();
    const key = (await svc.deps.engine.store.siteKeys.list()).find((k) => k.title === 'Moodle trung tâm')!;
    expect(key).toMatchObject({
      allowedOrigins: ['https://lms.hoa-an.edu.vn', 'http://localhost:8080'],
      starterQuestions: ['Học phí bao nhiêu?', 'Lịch thi khi nào?'],
      color: '#0b6bcb',
      welcomeText: 'Xin chào <b>học viên</b>',
    });
    const snippet = await card.locator('pre').first().textContent();
    expect(snippet).toBe(
      `<script src="${svc.baseURL}/widget.js" data-site-key="${key.key}" data-lang="vi" data-title="Moodle trung tâm" data-color="#0b6bcb" data-position="right" async></script>`,
    );
    await expect(card.locator('pre').nth(1).textContent()).resolves.toContain(`<iframe src="${svc.baseURL}/embed?site=${key.key}"`);
    await expect(card.locator('b').count()).resolves.toBe(0);
    await card.getByRole('button', { name: 'Sửa' }).click();
    await page.locator('#k-title').fill('Moodle trung tâm (mới)');
    await page.getByRole('button', { name: 'Lưu' }).click();
    const edited = page.locator('article.key', { hasText: 'Moodle trung tâm (mới)' });
    await edited.waitFor();
    await edited.scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-site-keys');
  });

  test('stats: questions per day drawn as a chart, and the share answered', async () => {
    await page.getByRole('tab', { name: 'Thống kê' }).click();
    await page.locator('#stats svg.chart').waitFor();
    await expect(page.locator('#stats .tile').first().textContent()).resolves.toContain('2');
    await expect(page.locator('#stats svg.chart rect.q').count()).resolves.toBe(30);
    await expect(page.locator('#stats .tile').nth(1).textContent()).resolves.toContain('100%');
    // Keyboard: arrow keys move between tabs.
    await page.getByRole('tab', { name: 'Thống kê' }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByRole('tab', { name: 'Mã nhúng' }).getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByRole('tab', { name: 'Thống kê' }).click();
    await screenshot(page, 'admin-stats');
    expect(errors).toEqual([]);
  });
});
