/**
 * Stored and reflected XSS, checked in Debian's headless Chromium against the real service.
 * Payloads go where a teacher, a center's IT or a learner can put text: document titles, bodies
 * and file names (TXT, HTML), markdown-style `javascript:` and `data:` links, site key titles,
 * welcome texts and starter questions, `/embed` query parameters, learner questions and feedback
 * comments. Each must show as literal text, add no element, run nothing (no dialog, no global
 * flag) and not even try to (no CSP violation reported). `test/web/*.e2e.test.ts` already cover
 * `<img onerror>`/`<script>` in a TXT body shown in chunks and answers; this file covers the rest.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser } from '../web/browser.js';
import { startService, type RunningService } from '../support/start-service.js';

// Every payload sets `window.__xss` and opens a dialog if it ever runs.
const run = (id: string) => `alert('${id}');window.__xss='${id}'`;
const titlePayload = `Máy in màu <img src=x onerror="${run('txt-title')}">`;
const scriptPayload = `<script>${run('txt-script')}</script>`;
const printer = {
  name: 'may-in.txt',
  text: [
    titlePayload,
    '',
    `Máy in màu số 3 đặt ở tầng hai, cạnh cầu thang ${scriptPayload}.`,
    '',
    `Muốn in màu, học viên xem [hướng dẫn in màu](javascript:${run('md-link')}) và [bản đồ tầng hai](data:text/html,<script>${run('data-link')}</script>) rồi đăng ký tại quầy <a href="javascript:${run('anchor')}">lễ tân</a>.`,
    '',
    `Giấy in màu khổ A4 do học viên tự mang <iframe src="javascript:${run('iframe')}"></iframe> <svg onload="${run('svg')}"></svg>.`,
  ].join('\n'),
};
const lab = {
  name: 'so-tay.html',
  text: `<!doctype html><html><head><title>Sổ tay phòng máy &lt;img src=x onerror=${run('html-title')}&gt;</title><script>${run('html-script')}</script></head>
<body onload="${run('html-onload')}"><h1>Sổ tay phòng máy <img src=x onerror="${run('html-img')}"></h1>
<p>Phòng máy số 7 mở cửa vào thứ Bảy từ 13h00 đến 17h00 <a href="javascript:${run('html-link')}">xem lịch</a>.</p>
<p>Ghi chú &lt;img src=x onerror=${run('html-entity')}&gt; là một chuỗi văn bản, không phải mã.</p>
<iframe src="javascript:${run('html-iframe')}"></iframe><style>body{display:none}</style></body></html>`,
};
const fileNamePayload = `bai-tap"><img src=x onerror="${run('filename')}">.txt`;
const fileNameDoc = {
  name: fileNamePayload,
  text: 'Bài tập về nhà\n\nBài tập tuần này là soạn một bức thư điện tử gửi giáo viên chủ nhiệm.\n',
};

const keyTitle = `Trợ giảng <img src=x onerror="${run('key-title')}">`;
const welcome = `Chào bạn </script><script>${run('welcome')}</script> [bấm](javascript:${run('welcome-link')})`;
const starter = `<img src=x onerror="${run('starter')}"> máy in màu số 3 đặt ở đâu?`;
const questions = [
  `"><svg/onload=${run('q1')}> phòng máy số 7 mở cửa khi nào?`,
  `[bấm vào đây](javascript:${run('q2')}) giấy in màu do ai mang?`,
  `<script>${run('q3')}</script> giá vé máy bay đi Paris bao nhiêu?`,
];
const comment = `<img src=x onerror="${run('comment')}"> chưa rõ`;

interface Watch {
  dialogs: string[];
  violations: string[];
  errors: string[];
}
const seen: Watch = { dialogs: [], violations: [], errors: [] };

/** Records dialogs (dismissed), CSP violations and page errors of a page and its frames. */
function watch(page: Page, into: Watch = seen): Page {
  page.on('dialog', (d) => {
    into.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load|frame)/i.test(m.text())) into.violations.push(m.text());
  });
  page.on('pageerror', (e) => into.errors.push(String(e)));
  // Every payload's <img src=x> would fetch `x` relative to the page: a request for it means an element got in.
  page.on('request', (r) => {
    if (/\/x$/.test(new URL(r.url()).pathname)) into.violations.push(`request for ${r.url()}`);
  });
  return page;
}

/**
 * Nothing ran, nothing was injected: no flag in any frame, no foreign element, no script URL;
 * and so far no dialog, no blocked attempt (the CSP would stop an inline handler that got into
 * the page: a violation means it got in) and no page error.
 */
async function expectInert(page: Page, root = 'body'): Promise<void> {
  for (const frame of page.frames()) {
    const found = await frame.evaluate((sel) => {
      const scope = document.querySelector(sel) ?? document.body;
      const injected = Array.from(
        scope.querySelectorAll(
          'img, script, iframe, object, embed, svg:not([aria-hidden="true"]):not(.chart), [onerror], [onload], [onclick], [onmouseover]',
        ),
      ).map((e) => e.outerHTML.slice(0, 80));
      const links = Array.from(document.querySelectorAll('a[href]'))
        .map((a) => a.getAttribute('href')!)
        .filter((h) => !/^(https?:|\/|#|blob:)/i.test(h));
      return { flag: (window as unknown as { __xss?: string }).__xss ?? null, injected, links };
    }, root);
    expect(found, frame.url()).toEqual({ flag: null, injected: [], links: [] });
  }
  expect(seen).toEqual({ dialogs: [], violations: [], errors: [] });
}

describe('XSS payloads stay text in the widget, the admin page and the source pages', () => {
  let svc: RunningService;
  let browser: Browser;
  let context: BrowserContext;
  let key: string;

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService({ RATE_LIMIT_PER_MINUTE: '10000' }), launchBrowser()]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const form = new FormData();
    for (const f of [printer, lab, fileNameDoc]) form.append('files', new Blob([f.text], { type: 'application/octet-stream' }), f.name);
    const uploaded = await (await svc.admin('/documents', { method: 'POST', body: form })).json();
    expect(uploaded.results.map((r: { status: string }) => r.status)).toEqual(['added', 'added', 'added']);
    const created = await svc.admin('/site-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: keyTitle, welcomeText: welcome, starterQuestions: [starter], allowedOrigins: [svc.baseURL] }),
    });
    key = (await created.json()).siteKey.key;
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('the chat page: key title, welcome and starters, questions, answers quoting hostile documents, and comments', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${svc.baseURL}/embed?site=${key}`);
    await page.locator('#q').waitFor();
    await expect(page.locator('#title').textContent()).resolves.toBe(keyTitle);
    await expect(page.title()).resolves.toBe(keyTitle);
    await expect(page.locator('.welcome p').first().textContent()).resolves.toBe(welcome);
    await expect(page.locator('.starter').textContent()).resolves.toBe(starter);

    // The starter question carries a payload; its answer quotes a sentence holding <script>.
    const answers = page.locator('article.msg.bot:not(.welcome):not(.pending)');
    await page.locator('.starter').click();
    await answers.nth(0).waitFor();
    await expect(answers.nth(0).locator('.body').textContent()).resolves.toContain(scriptPayload);
    for (const [i, q] of questions.entries()) {
      await page.locator('#q').fill(q);
      await page.locator('#q').press('Enter');
      await answers.nth(i + 1).waitFor();
    }
    await expect(page.locator('.msg.user').allTextContents()).resolves.toEqual([starter, ...questions].map((q) => `Bạn: ${q}`));
    // Markdown-style links to javascript: and data: URLs in a document stay text.
    await expect(answers.nth(2).locator('.body').textContent()).resolves.toMatch(/hướng dẫn in màu|Giấy in màu/);
    const all = await page.locator('#log').textContent();
    expect(all).toContain('Phòng máy số 7 mở cửa vào thứ Bảy');
    // The citations go to this server's source pages and nowhere else.
    const hrefs = await page.locator('#log a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(new RegExp(`^${svc.baseURL}/docs/[\\w-]+(#[\\w=-]+)?$`));

    // A feedback comment with a payload.
    await answers.nth(1).getByRole('button', { name: 'Câu trả lời chưa tốt' }).click();
    await answers.nth(1).getByLabel('Góp ý thêm (không bắt buộc)').fill(comment);
    await answers.nth(1).getByRole('button', { name: 'Gửi góp ý' }).click();
    await answers.nth(1).locator('.thanks').waitFor();
    await expectInert(page, '#log');
    // Rendered again from localStorage.
    await page.reload();
    await page.locator('.msg.user').nth(3).waitFor();
    await expect(page.locator('.msg.user').nth(0).textContent()).resolves.toBe(`Bạn: ${starter}`);
    await expectInert(page, '#log');
    await page.close();
  });

  test('the chat page with hostile /embed query parameters', async () => {
    const page = watch(await context.newPage());
    const title = `<img src=x onerror="${run('param-title')}">`;
    const welcomeParam = `</script><script>${run('param-welcome')}</script>`;
    const query = new URLSearchParams({
      site: key,
      title,
      welcome: welcomeParam,
      color: `red;background:url(javascript:${run('color')})`,
      lang: `"><script>${run('lang')}</script>`,
      theme: `<svg onload=${run('theme')}>`,
    });
    await page.goto(`${svc.baseURL}/embed?${query}`);
    await page.locator('#q').waitFor();
    await expect(page.locator('#title').textContent()).resolves.toBe(title);
    await expect(page.locator('.welcome p').first().textContent()).resolves.toBe(welcomeParam);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('vi');
    await expectInert(page);
    // A `parent` that is no origin at all gets the polite refusal page, inert as well.
    query.set('parent', `javascript:${run('parent')}`);
    const refused = await page.goto(`${svc.baseURL}/embed?${query}`);
    expect(refused!.status()).toBe(403);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('chưa được trung tâm cho phép');
    await expectInert(page);
    await page.close();
  });

  test('the source pages of a hostile HTML document, a hostile title and a hostile file name', async () => {
    const docs = await svc.deps.engine.store.listDocuments();
    const byName = (name: string) => docs.find((d) => d.fileName === name)!;
    const page = watch(await context.newPage());

    await page.goto(`${svc.baseURL}/docs/${byName('so-tay.html').id}`);
    await expect(page.locator('body').textContent()).resolves.toContain(
      `Ghi chú <img src=x onerror=${run('html-entity')}> là một chuỗi văn bản, không phải mã.`,
    );
    await expect(page.locator('body').textContent()).resolves.toContain('Phòng máy số 7 mở cửa vào thứ Bảy từ 13h00 đến 17h00 xem lịch.');
    await expect(page.title()).resolves.toBe(byName('so-tay.html').title);
    await expectInert(page);

    await page.goto(`${svc.baseURL}/docs/${byName('may-in.txt').id}`);
    await expect(page.title()).resolves.toBe(titlePayload);
    await expect(page.locator('body').textContent()).resolves.toContain(`cạnh cầu thang ${scriptPayload}.`);
    await expectInert(page);

    const named = docs.find((d) => d.title === 'Bài tập về nhà')!;
    expect(named.fileName).toBe(fileNamePayload);
    await page.goto(`${svc.baseURL}/docs/${named.id}`);
    await expect(page.locator('small').textContent()).resolves.toBe(fileNamePayload);
    await expectInert(page);
    await page.close();
  });

  test('the admin page: documents, chunks, questions log, comments, stats, site keys and "try a question"', async () => {
    const page = watch(await context.newPage());
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#token').fill(svc.adminToken);
    await page.locator('#token').press('Enter');
    await page.locator('#docs tbody tr[data-id]').first().waitFor();
    const docsText = await page.locator('#docs').textContent();
    expect(docsText).toContain(titlePayload);
    expect(docsText).toContain(fileNamePayload);
    await expectInert(page, 'main');

    await page.locator('#docs button.link', { hasText: 'Máy in màu' }).click();
    await page.locator('#chunks li').first().waitFor();
    await expect(page.locator('#chunks-title').textContent()).resolves.toContain(titlePayload);
    const chunks = await page.locator('#chunks').textContent();
    expect(chunks).toContain(`[hướng dẫn in màu](javascript:${run('md-link')})`);
    expect(chunks).toContain(`<iframe src="javascript:${run('iframe')}"></iframe>`);
    await expectInert(page, 'main');

    await page.getByRole('tab', { name: 'Câu hỏi của học viên' }).click();
    await page.locator('#questions tbody tr').nth(3).waitFor();
    const log = await page.locator('#questions').textContent();
    for (const q of [starter, ...questions]) expect(log).toContain(q);
    expect(log).toContain(comment);
    await expectInert(page, 'main');

    await page.getByRole('tab', { name: 'Thống kê' }).click();
    await page.locator('#stats svg.chart').waitFor();
    // The question about plane tickets was not answerable: it leads the unanswered list.
    await expect(page.locator('#stats ol').textContent()).resolves.toContain(questions[2]);
    await expectInert(page, '#stats ol');

    await page.getByRole('tab', { name: 'Mã nhúng' }).click();
    const card = page.locator('article.key').first();
    await card.waitFor();
    await expect(card.locator('h2').textContent()).resolves.toBe(keyTitle);
    const cardText = await card.textContent();
    expect(cardText).toContain(welcome);
    expect(cardText).toContain(starter);
    // The snippet escapes the title for the attribute it goes into.
    await expect(card.locator('pre').first().textContent()).resolves.toContain(
      "data-title=\"Trợ giảng &lt;img src=x onerror=&quot;alert('key-title')",
    );
    await expectInert(page, 'main');

    await page.getByRole('tab', { name: 'Thử câu hỏi' }).click();
    await page.locator('#try-q').fill(`<img src=x onerror="${run('try')}"> phòng máy số 7 mở cửa khi nào`);
    await page.locator('#try-q').press('Enter');
    await page.locator('#try-results tbody tr').first().waitFor();
    await expect(page.locator('#try-out').textContent()).resolves.toContain('Phòng máy số 7');
    await expectInert(page, 'main');
    await page.close();
  });
});
