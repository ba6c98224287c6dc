import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSse, writeSmallCorpus } from '../support/start-service.js';

const entry = join(import.meta.dirname, '../../src/server/main.ts');

function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const started = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in time: ${out} ${err}`)), 30_000);
    child.stdout.on('data', () => {
      const m = /running on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, started, exited, output: () => out, errors: () => err };
}

describe('the server entry', () => {
  it('ingests the corpus on first start, prints the admin token once, answers, and stops cleanly on SIGTERM', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trogiang-entry-'));
    try {
      await writeSmallCorpus(join(root, 'corpus'));
      const env = { DATA_DIR: join(root, 'data'), CORPUS_DIR: join(root, 'corpus'), PORT: '0', LOG_LEVEL: 'warn' };
      const first = startProcess(env);
      const base = await first.started;
      const token = readFileSync(join(root, 'data', 'admin-token'), 'utf8').trim();
      expect(first.output()).toContain(token);
      const res = await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'hoc phi lop tin hoc bao nhieu' }),
      });
      const events = await readSse(res);
      expect(events.at(-1)!.data.answer).toContain('450.000');
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = startProcess(env);
      await second.started;
      expect(second.output()).not.toContain(token); // printed once only
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(existsSync(join(root, 'data', 'indexes', 'CURRENT'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses to start with a bad setting and names the variable', async () => {
    const bad = startProcess({ PORT: 'eighty', DATA_DIR: join(tmpdir(), 'trogiang-unused') });
    await expect(bad.started).rejects.toThrow(/PORT/);
    expect(await bad.exited).toBe(1);
  });
});
