/**
 * An LTI 1.3 launch the way Moodle does it, in Debian's headless Chromium: a course page on one
 * origin (the simulated platform at `localhost`) holds an iframe whose page auto-submits the login
 * initiation to trogiang (at `127.0.0.1`); trogiang redirects to the platform's auth.php, which
 * auto-submits the id_token back into the same iframe. The instructor chooses the course's
 * collection, a learner chats and cites it, and the learner's history shows up in another browser
 * context (another device) and never for another learner.
 */
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPlatform, type SimulatedPlatform } from '../support/lti-platform.js';
import { startService, type RunningService } from '../support/start-service.js';
import { ask, launchBrowser, screenshot } from './browser.js';

describe('LTI 1.3 launch from a Moodle course page (another origin)', () => {
  let svc: RunningService;
  let platform: SimulatedPlatform;
  let browser: Browser;
  const errors: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [svc, platform, browser] = await Promise.all([
      startService({ RATE_LIMIT_PER_MINUTE: '1000' }),
      startPlatform({ publicHost: 'localhost' }),
      launchBrowser(),
    ]);
    const made = await svc.admin('/lti/platforms', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(platform.registration),
    });
    expect(made.status).toBe(201);
    platform.pages.set(
      '/course/view.php',
      `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tin học cơ bản</title></head><body style="font-family:sans-serif;margin:0">
<header style="background:#f98012;color:#fff;padding:8px 16px">Moodle · Tin học cơ bản</header>
<main style="padding:8px 16px"><h2 style="margin:4px 0">Trợ giảng</h2><iframe name="contentframe" src="/mod/lti/launch.php?id=3" style="width:100%;height:560px;border:1px solid #ccc" allow="clipboard-write"></iframe></main></body></html>`,
    );
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await platform?.close();
    await svc?.close();
  });

  /** A new browser context (another device) on the course page, launched as `sub`. */
  const openCourse = async (sub: string, teacher: boolean): Promise<{ page: Page; frame: FrameLocator }> => {
    platform.user.sub = sub;
    platform.user.teacher = teacher;
    platform.pages.set('/mod/lti/launch.php', platform.launchPage(svc.baseURL));
    const context = await browser.newContext({ viewport: { width: 820, height: 680 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${platform.url}/course/view.php?id=3`);
    return { page, frame: page.frameLocator('iframe[name="contentframe"]') };
  };

  test("the instructor's first launch chooses the collection; the learner then chats in it", async () => {
    expect(new URL(platform.url).origin).not.toBe(new URL(svc.baseURL).origin);
    const teacher = await openCourse('teacher-7', true);
    await teacher.frame.locator('input[name="collections"]').first().waitFor();
    await screenshot(teacher.page, 'lti-instructor-first-launch');
    await teacher.frame.locator('input[name="collections"]').first().check();
    await teacher.frame.locator('button[type="submit"]').click();
    await teacher.frame.locator('#q').waitFor();
    await expect(teacher.frame.locator('#teacher button').count()).resolves.toBe(2);

    const learner = await openCourse('learner-7', false);
    await learner.frame.locator('#q').waitFor();
    await ask(learner.frame, 'Học phí lớp tin học cơ bản là bao nhiêu?');
    const answer = learner.frame.locator('article.msg.bot').last();
    await expect(answer.textContent()).resolves.toContain('450.000');
    await expect(answer.locator('a.cite').count()).resolves.toBeGreaterThan(0);
    await expect(learner.frame.locator('#teacher').isHidden()).resolves.toBe(true);
    await screenshot(learner.page, 'lti-learner-chat');
    expect(errors).toEqual([]);
  }, 120_000);

  test("the learner's history follows them to another browser, and is never shown to another learner", async () => {
    const again = await openCourse('learner-7', false);
    await again.frame.locator('#history').click();
    const item = again.frame.locator('#panel .conversation').first();
    await expect(item.textContent()).resolves.toContain('Học phí lớp tin học cơ bản');
    await screenshot(again.page, 'lti-learner-history');
    await item.click();
    await expect(again.frame.locator('article.msg.bot').last().textContent()).resolves.toContain('450.000');

    const other = await openCourse('learner-8', false);
    await other.frame.locator('#history').click();
    await other.frame.locator('#panel .empty').waitFor();
    await expect(other.frame.locator('#panel .conversation').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);

  test("the instructor sees the course's questions", async () => {
    const teacher = await openCourse('teacher-7', true);
    await teacher.frame.locator('#teacher button').first().click();
    await teacher.frame.locator('table').waitFor();
    await expect(teacher.frame.locator('table').textContent()).resolves.toContain('Học phí lớp tin học cơ bản');
    await screenshot(teacher.page, 'lti-instructor-course-questions');
    expect(errors).toEqual([]);
  }, 120_000);

  test('the admin page shows the values to paste into Moodle, and registers a site from its address', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${svc.baseURL}/admin`);
    await page.locator('#token').fill(svc.adminToken);
    await page.locator('#token').press('Enter');
    await page.locator('#tab-lti').click();
    await page.locator('#lti-values code').first().waitFor();
    const values = await page.locator('#lti-values code').allTextContents();
    expect(values).toEqual(expect.arrayContaining([`${svc.baseURL}/lti/launch`, `${svc.baseURL}/lti/login`, `${svc.baseURL}/lti/jwks`]));
    await page.locator('#l-moodle').fill('https://moodle.trungtam.edu.vn');
    await page.locator('#l-fill').click();
    await expect(page.locator('#l-jwks').inputValue()).resolves.toBe('https://moodle.trungtam.edu.vn/mod/lti/certs.php');
    await page.locator('#l-client').fill('Xk2p9QaZ');
    await page.locator('#l-deployments').fill('4');
    await page.locator('#l-form button[type="submit"]').click();
    await page.locator('#lti-platforms h3', { hasText: 'https://moodle.trungtam.edu.vn' }).waitFor();
    await page.evaluate(() => scrollTo(0, 0));
    await screenshot(page, 'lti-admin-tab');
    const listed = await (await svc.admin('/lti/platforms')).json();
    expect(listed.platforms.map((p: { clientId: string }) => p.clientId)).toContain('Xk2p9QaZ');
    expect(errors).toEqual([]);
  }, 120_000);
});
