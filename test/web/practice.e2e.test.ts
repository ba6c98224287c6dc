import { readFileSync } from 'node:fs';
import { parse as parseGift } from 'gift-pegjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerForm } from '../../src/practice/index.js';
import { startService, type RunningService } from '../support/start-service.js';
import { launchBrowser, launcher, screenshot, widgetFrame } from './browser.js';

const lesson = `# Bài học: Thư điện tử

## Khái niệm

Thư điện tử là thư được gửi qua Internet thay vì qua bưu điện.

Mật khẩu là chuỗi ký tự bí mật dùng để đăng nhập vào tài khoản.

## Lịch học

Lớp tin học văn phòng khai giảng ngày 14/9/2026 tại phòng máy B204.

Mỗi buổi học kéo dài 90 phút, bắt đầu lúc 18h00.

Học phí cả khóa là 1.200.000 đồng, nộp tại phòng Kế toán trước ngày 10/9/2026.
`;

/** End to end: a teacher approves five items and exports them; a learner practises them on /demo. */
describe('practice on /demo and in the admin page', () => {
  let svc: RunningService;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  let chosen: any[] = [];

  beforeAll(async () => {
    [svc, browser] = await Promise.all([startService({ RATE_LIMIT_PER_MINUTE: '1000' }), launchBrowser()]);
    const form = new FormData();
    form.append('collection', svc.deps.config.defaultCollection);
    form.append('files', new Blob([lesson]), 'thu-dien-tu.md');
    expect((await svc.admin('/documents', { method: 'POST', body: form })).status).toBe(200);
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
  });

  test('a teacher approves five items in the Practice tab and exports them as GIFT and Moodle XML', async () => {
    const { items } = await (await svc.admin(`/practice/items?collection=${svc.deps.config.defaultCollection}`)).json();
    const passing = items.filter((i: any) => i.passed);
    const typed = passing.find((i: any) => i.type === 'fill' && answerForm(i.answer) !== i.answer.toLowerCase());
    expect(typed).toBeDefined();
    chosen = [typed, ...passing.filter((i: any) => i !== typed && i.type === 'choice').slice(0, 4)];
    expect(chosen).toHaveLength(5);

    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#token').fill(svc.adminToken);
    await page.locator('#token').press('Enter');
    await page.locator('#tab-practice').click();
    await page.locator('#pr-summary').waitFor();
    for (const item of chosen) {
      await page.locator(`li[data-id="${item.id}"] .pr-approve`).click();
      await page.locator(`li.approved[data-id="${item.id}"]`).waitFor();
    }
    await expect(page.locator('#pr-summary').textContent()).resolves.toMatch(/Đã duyệt/);
    await page.locator(`li[data-id="${chosen[1].id}"]`).scrollIntoViewIfNeeded();
    await screenshot(page, 'practice-admin-review');

    const [gift] = await Promise.all([page.waitForEvent('download'), page.locator('#pr-gift').click()]);
    const giftText = readFileSync((await gift.path())!, 'utf8');
    const questions = parseGift(giftText).filter((q) => q.type !== 'Category');
    expect(questions.map((q) => q.title).sort()).toEqual(chosen.map((i) => i.id).sort());
    const [xml] = await Promise.all([page.waitForEvent('download'), page.locator('#pr-xml').click()]);
    const xmlText = readFileSync((await xml.path())!, 'utf8');
    expect(xmlText.match(/<question type="(?:multichoice|shortanswer)">/g)).toHaveLength(5);
  });

  test('a learner practises five items, one typed without diacritics, opens a source and sees the score', async () => {
    await page.goto(`${svc.baseURL}/demo`);
    await launcher(page).click();
    const frame = widgetFrame(page);
    await frame.locator('#practice').click();
    await frame.locator('.quiz').first().waitFor();
    await screenshot(page, 'practice-question');
    const byPrompt = new Map(chosen.map((i) => [i.prompt, i]));
    let right = 0;
    let openedSource = false;
    for (let n = 0; n < 5; n++) {
      const card = frame.locator('.quiz');
      const prompt = (await card.locator('.prompt').textContent())!;
      const item = byPrompt.get(prompt)!;
      expect(item, `an approved item: ${prompt}`).toBeDefined();
      if (item.type === 'fill') {
        const typed = answerForm(item.answer);
        expect(typed).not.toBe(item.answer);
        await card.locator('input').fill(typed);
        await card.locator('button[type=submit]').click();
        await card.locator('.feedback').waitFor();
        await expect(card.locator('.verdict').textContent()).resolves.toBe('Đúng rồi!');
        await expect(card.locator('blockquote').textContent()).resolves.toBe(item.sentence);
        await screenshot(page, 'practice-typed-without-diacritics');
        right++;
      } else {
        // Every item but one is answered right; the last choice item is answered wrong.
        const wrongOne = n === 4 || (n === 3 && chosen.indexOf(item) === 4);
        await card
          .locator('.choice', { hasText: wrongOne ? item.distractors[0] : item.answer })
          .first()
          .click();
        await card.locator('.feedback').waitFor();
        if (!wrongOne) right++;
        await expect(card.locator('.verdict').textContent()).resolves.toBe(wrongOne ? `Chưa đúng. Đáp án: ${item.answer}` : 'Đúng rồi!');
      }
      if (!openedSource) {
        const [source] = await Promise.all([context.waitForEvent('page'), card.locator('a.source').click()]);
        await source.waitForLoadState();
        expect(source.url()).toContain(`/docs/${item.documentId}`);
        await source.close();
        openedSource = true;
      }
      await card.locator('.feedback button').click();
    }
    await frame.locator('.score').waitFor();
    await expect(frame.locator('.score p').textContent()).resolves.toBe(`Bạn làm đúng ${right}/5 câu.`);
    await screenshot(page, 'practice-score');
    // The boxes are kept in this browser: the item answered wrong is back in box 1.
    const boxes = await frame.locator('body').evaluate(() => Object.entries(localStorage).find(([k]) => k.endsWith(':practice'))?.[1]);
    const kept = JSON.parse(boxes!);
    expect(Object.keys(kept.items).sort()).toEqual(chosen.map((i) => i.id).sort());
    expect(Object.values(kept.items).filter((b: any) => b.box === 1)).toHaveLength(5 - right);
    expect(errors).toEqual([]);
  });
}, 180_000);
