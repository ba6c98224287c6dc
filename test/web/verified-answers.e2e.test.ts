import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, launcher, screenshot, widgetFrame } from './browser.js';

const asked = 'Gửi xe đạp ở trường mất phí bao nhiêu một tháng?';
const answer = 'Học viên gửi xe đạp ở bãi xe sau nhà B, phí 20.000 đồng một tháng, đóng tại phòng Giáo vụ.';
/** The learner asks again later, in other words and without diacritics. */
const paraphrase = 'phi gui xe dap mot thang bao nhieu';

/**
 * End to end (issue 18): a teacher answers an unanswered question from the questions log in the
 * admin page; the widget then gives that answer, marked as verified, to a paraphrase typed
 * without diacritics.
 */
describe('verified answers, from the questions log to the widget', () => {
  let svc: RunningService;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService({ RATE_LIMIT_PER_MINUTE: '1000' }), launchBrowser()]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('a teacher writes the answer to an unanswered question, and a learner gets it marked verified', { timeout: 120_000 }, async () => {
    // A learner's question the materials do not answer.
    const first = await (
      await fetch(`${svc.baseURL}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ message: asked }),
      })
    ).json();
    expect(first.mode).not.toBe('verified');
    expect(first.answerable).toBe(false);

    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#token').fill(svc.adminToken);
    await page.locator('#token').press('Enter');
    await page.locator('#docs tbody tr[data-id]').first().waitFor();
    await page.locator('#tab-questions').click();
    const row = page.locator('#questions tbody tr', { hasText: asked });
    await row.waitFor();
    await row.getByRole('button', { name: 'Viết câu trả lời' }).click();
    await expect.poll(() => page.locator('#v-question').inputValue()).toBe(asked);
    expect(await page.locator('#p-verified').isVisible()).toBe(true);
    await page.locator('#v-answer').fill(answer);
    await page.locator('#v-phrasings').fill('How much is bicycle parking a month?');
    await screenshot(page, 'verified-write-answer');
    await page.locator('#v-submit').click();
    const saved = page.locator('#verified tbody tr[data-id]', { hasText: answer });
    await saved.waitFor();
    await screenshot(page, 'verified-answers-tab');

    const demo = await page.context().newPage();
    demo.on('pageerror', (e) => errors.push(String(e)));
    await demo.goto(`${svc.baseURL}/demo`);
    await launcher(demo).click();
    const frame = widgetFrame(demo);
    await ask(frame, paraphrase);
    const reply = frame.locator('article.msg.bot:not(.pending)').last();
    await expect(reply.locator('.verified-mark').textContent()).resolves.toBe('Câu trả lời đã được giáo viên của trung tâm xác nhận');
    await expect(reply.locator('.body').textContent()).resolves.toContain(answer);
    await screenshot(demo, 'widget-verified-answer');

    // The hit is counted where the teacher sees it.
    await page.locator('#tab-docs').click();
    await page.locator('#tab-verified').click();
    await expect.poll(() => page.locator('#verified tbody tr[data-id] td.num').first().textContent()).toBe('1');
    expect(errors).toEqual([]);
  });
});
