/**
 * examples/langchain-retriever.ts runs as the docs say (`npx tsx examples/langchain-retriever.ts`),
 * offline, and its chain hands the model the handbook's fee page; it leaves no temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'trogiang-example-'));
const runExample = (...args: string[]) =>
  spawnSync('npx', ['tsx', 'examples/langchain-retriever.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    // No endpoint: the example must not need one. Its temporary data folder goes under TMPDIR.
    env: { ...process.env, TMPDIR: scratch, OPENAI_BASE_URL: '', OPENAI_API_KEY: '' },
  });

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('examples/langchain-retriever.ts', () => {
  it('ingests the corpus and runs its chain over the fee page, offline', () => {
    const result = runExample();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ingested 8 files from /);
    const first = result.stdout.split('\n').find((l) => l.startsWith('  [1] '))!;
    expect(first).toMatch(
      /^ {2}\[1\] Sổ tay học viên — .* \| page [67] \| Chương 3\. Học phí.*học phí .*\| http:\/\/127\.0\.0\.1:8787\/docs\/so-tay-hoc-vien-pdf-[0-9a-f]+#page=[67]$/,
    );
    const chainOutput = result.stdout.split('chain output (FakeChatModel repeats its prompt):')[1]!;
    expect(chainOutput).toMatch(/\[1\] Sổ tay học viên/);
    expect(chainOutput).toContain('350.000 đồng');
    expect(chainOutput.trim().split('\n').at(-1)).toBe('hoc phi mot thang bao nhieu');
    expect(readdirSync(scratch).filter((f) => f.startsWith('trogiang-langchain-'))).toEqual([]);
  }, 150_000);
});
