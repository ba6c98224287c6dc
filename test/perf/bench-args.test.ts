/**
 * The benchmark's command line: `--help` prints the usage and does nothing else, a mistake is
 * one clear line and exit 2 (both used to end in parseArgs' stack trace).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'trogiang-bench-args-'));
// A cache folder that must not be created: --help and a bad option measure nothing.
const cache = join(scratch, 'cache');
const env = { ...process.env, TROGIANG_BENCH_CACHE: cache };
const bench = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'evals/perf/run-bench.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm run bench, command line', () => {
  it('prints the usage for `npm run bench -- --help` and exits 0', () => {
    const result = spawnSync('npm', ['run', '--silent', 'bench', '--', '--help'], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
    expect(result.stderr).not.toMatch(/at |Error/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^trogiang's performance benchmark/);
    expect(result.stdout).toContain('npm run bench -- --quick');
    expect(result.stdout).toContain('--skip-peers');
    expect(existsSync(cache)).toBe(false);
  });

  it('-h is the same', () => {
    const result = bench('-h');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--render-only');
  });

  it('names an unknown option in one line and exits 2', () => {
    const result = bench('--quik');
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe('bench: unknown option --quik; `npm run bench -- --help` lists the options');
    expect(result.stdout).toBe('');
    expect(existsSync(cache)).toBe(false);
  });

  it('says which option lacks its value, and exits 2', () => {
    const result = bench('--sizes');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^bench: Option '--sizes <value>' argument missing/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
