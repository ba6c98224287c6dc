/**
 * Takes a full-page screenshot of the HTML evaluation report with a headless Chromium, to look
 * at the charts without a browser: `npx tsx evals/screenshot-report.ts [report.html] [out.png]`.
 * Uses `playwright-core` (no browser download) with the system Chromium; another binary can be
 * passed with `--chromium <path>`. The worst-question lists are folded unless `--full` is given,
 * which keeps the image small enough to commit.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { chromium: { type: 'string' }, width: { type: 'string' }, full: { type: 'boolean' } },
});
const root = resolve(import.meta.dirname, '..');
const input = resolve(positionals[0] ?? `${root}/evals/reports/latest.html`);
const output = resolve(positionals[1] ?? `${root}/evals/reports/report.png`);
const executablePath =
  values.chromium ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
if (!existsSync(input)) throw new Error(`no report at ${input}: run npm run eval first`);
if (!executablePath) throw new Error('no Chromium found: pass --chromium <path>');

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: Number(values.width ?? 1200), height: 900 } });
  await page.goto(pathToFileURL(input).href);
  if (!values.full) await page.evaluate(() => document.querySelectorAll('details[open]').forEach((d) => d.removeAttribute('open')));
  await page.screenshot({ path: output, fullPage: true });
  process.stderr.write(`screenshot: ${output}\n`);
} finally {
  await browser.close();
}
