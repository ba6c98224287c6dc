/**
 * `npm test` leaves a clean clone clean (issue 21): with no `SCREENSHOT_DIR`, the browser tests'
 * screenshot helper writes under the system's temp folder, never into the repository (it used to
 * rewrite the committed `web/screenshots/`). Runs the real helper with headless Chromium in a
 * child process whose environment has no `SCREENSHOT_DIR`, and compares `git status` before and after.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'trogiang-screenshot-dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const gitStatus = () => spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' }).stdout;

describe('screenshots of the browser tests', () => {
  it.skipIf(!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'))(
    'go to a temp folder by default, and the repository is left as it was',
    () => {
      const script = join(scratch, 'shoot.mts'); // an ES module outside the repository's package.json
      writeFileSync(
        script,
        `
import { launchBrowser, screenshot, screenshotDir } from ${JSON.stringify(join(root, 'test/web/browser.ts'))};
const browser = await launchBrowser();
const page = await browser.newPage();
await page.setContent('<h1>Trợ giảng</h1>');
await screenshot(page, 'default-dir-check');
await browser.close();
console.log(screenshotDir);
`,
      );
      const before = gitStatus();
      const env = { ...process.env };
      delete env.SCREENSHOT_DIR;
      const result = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: root, encoding: 'utf8', env, timeout: 120_000 });
      expect(result.status, result.stderr).toBe(0);
      const dir = result.stdout.trim();
      expect(dir.startsWith(tmpdir())).toBe(true);
      expect(dir.startsWith(root)).toBe(false);
      expect(existsSync(join(dir, 'default-dir-check.png'))).toBe(true);
      rmSync(join(dir, 'default-dir-check.png'));
      expect(gitStatus()).toBe(before);
    },
    150_000,
  );
});
