/**
 * The README stays the front door: short, and every command in it true. The test command is the
 * one CI runs (`.ci/run`), and each `npx trogiang` line is an example of docs/command-line.md,
 * which test/cli/command-line-guide.test.ts runs as written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const shellLines = (markdown: string) =>
  [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .split('\n')
      .map((l) => l.replace(/\s+#.*$/, '').trim())
      .filter((l) => l && !l.startsWith('#')),
  );

describe('README.md', () => {
  it('is at most 200 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  });

  it('starts with the two commands, and the test command is what .ci/run runs', () => {
    const [first, second] = shellLines(readme);
    expect(first).toBe('npm ci && npm start');
    expect(second).toBe('npm ci && npm test');
    const ci = readFileSync(join(root, '.ci/run'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    const install = ci.findIndex((l) => /^npm ci( |$)/.test(l));
    const test = ci.indexOf('npm test');
    expect(install, '.ci/run installs with npm ci').toBeGreaterThanOrEqual(0);
    expect(test, '.ci/run runs npm test after npm ci').toBeGreaterThan(install);
  });

  it('shows only `npx trogiang` lines that docs/command-line.md runs as written', () => {
    const guide = new Set(shellLines(readFileSync(join(root, 'docs/command-line.md'), 'utf8')));
    const lines = shellLines(readme).filter((l) => l.startsWith('npx trogiang'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(guide.has(line), `${line} is not an example of docs/command-line.md`).toBe(true);
  });
});
