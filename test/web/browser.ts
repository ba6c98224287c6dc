import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Page } from 'playwright-core';

/** Debian's headless Chromium, as CI has it. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * `SCREENSHOT_DIR`, else a folder under the system's temp dir: `npm test` must not rewrite the
 * committed `web/screenshots` (every run changed their bytes). To refresh those on purpose:
 * `SCREENSHOT_DIR=web/screenshots npm run test:web`.
 */
export const screenshotDir = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'trogiang-screenshots');

/** Saves a screenshot as `<screenshotDir>/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** The widget's iframe on a page that loaded `/widget.js`. */
export const widgetFrame = (page: Page): FrameLocator => page.frameLocator('iframe[src*="/embed?"]');

/** The launcher button the loader adds. */
export const launcher = (page: Page) => page.locator('button[aria-expanded]');

/** Asks a question in the widget (already open) and waits for the finished answer. */
export async function ask(frame: FrameLocator, question: string): Promise<void> {
  const before = await frame.locator('article.msg.bot:not(.pending)').count();
  await frame.locator('#q').fill(question);
  await frame.locator('#q').press('Enter');
  await frame.locator('article.msg.bot:not(.pending)').nth(before).waitFor();
}
