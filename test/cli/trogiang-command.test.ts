/**
 * The command the CLI's help tells a newcomer to type must run after the README's steps
 * (`npm ci`): `npx trogiang …` in the project folder runs the project's own `bin` (npm 7+), with
 * no global install. Both through a real `npx` child process on a temporary data folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'trogiang-command-'));
// --offline: were the project's own bin not found, npx must fail here rather than fetch a package of that name.
const npx = (args: string[]) =>
  spawnSync('npx', ['--offline', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, DATA_DIR: join(scratch, 'data'), OPENAI_BASE_URL: '', OPENAI_API_KEY: '' },
  });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the trogiang command named in the help', () => {
  it('is what the help prints, and runs as printed', () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], { cwd: root, encoding: 'utf8' });
    const lines = help.split('\n').filter((l) => /^\s+\S+ trogiang /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(10);
    // Every command line starts with the same words, and they are what a user types.
    const prefixes = new Set(lines.map((l) => l.trim().split(' ').slice(0, 2).join(' ')));
    expect([...prefixes]).toEqual(['npx trogiang']);
    const result = npx(['trogiang', '--help']);
    expect(result.stderr).not.toMatch(/ENOTCACHED|not found|ERR!/);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(help);
  }, 120_000);

  it('`npx trogiang check` works on a new data folder', () => {
    const result = npx(['trogiang', 'check']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok: store and indexes agree on 0 chunks/);
  }, 120_000);
});
