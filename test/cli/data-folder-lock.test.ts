/**
 * One writer per data folder (issue 14). With the service running, `trogiang ingest` and
 * `trogiang docs remove` used to change the store behind the service's back: the service never
 * saw the change (a removed document kept being cited), and after a restart `check` found the
 * store and BM25 disagreeing. Now the service holds the folder's lock and every CLI command
 * that opens the folder refuses, changes nothing and exits 3 with a message saying what to do.
 * Tested with real processes: the service on loopback and the CLI as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceProcess } from '../../evals/soak/service-process.js';
import { acquireDataFolderLock, DataFolderInUse, dataFolderInUseExitCode, lockPath } from '../../src/engine/data-folder-lock.js';
import { bundleChild, runBundledCli } from '../support/bundle-child.js';

const repo = join(import.meta.dirname, '../..');
let root: string;
let cliBundle: string;

const cli = (dataDir: string, args: string[]) => runBundledCli(cliBundle, dataDir, args);

async function search(base: string, q: string): Promise<Array<{ documentId: string; text: string }>> {
  const res = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Array<{ documentId: string; text: string }> }).results;
}

/** A process that takes the lock as a CLI command would, and holds it until killed. */
function holder(dataDir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/engine/data-folder-lock.ts').then((m) => { m.acquireDataFolderLock(process.env.D, 'cli', 'ingest'); console.log('held'); setInterval(() => {}, 1000); })`,
    ],
    { cwd: repo, env: { ...process.env, D: dataDir } },
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => String(d).includes('held') && resolve(child));
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
}

beforeAll(async () => {
  cliBundle = await bundleChild(join(repo, 'src/cli/main.ts'));
  root = mkdtempSync(join(tmpdir(), 'trogiang-lock-'));
  mkdirSync(join(root, 'corpus'));
  writeFileSync(join(root, 'corpus', 'thu-vien.md'), '# Thư viện\n\nThư viện trung tâm mở cửa từ 7h00 đến 20h30.\n');
  writeFileSync(join(root, 'lich-thi.md'), '# Lịch thi\n\nKỳ thi chứng chỉ tin học diễn ra ngày 15/01/2027 tại phòng máy số 3.\n');
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (cliBundle) rmSync(cliBundle, { force: true });
});

describe('the data folder lock between the service and the CLI', () => {
  it('while the service runs, CLI writers refuse with exit 3 and change nothing; after it stops they work and the service sees the change', async () => {
    const dataDir = join(root, 'data');
    let service = await startServiceProcess({ env: { DATA_DIR: dataDir, CORPUS_DIR: join(root, 'corpus') } });
    try {
      const holderInfo = JSON.parse(readFileSync(lockPath(dataDir), 'utf8'));
      expect(holderInfo).toMatchObject({ pid: service.child.pid, role: 'service' });
      const before = readFileSync(join(dataDir, 'trogiang.db'));

      const ingest = await cli(dataDir, ['ingest', join(root, 'lich-thi.md')]);
      expect(ingest.code).toBe(dataFolderInUseExitCode);
      expect(ingest.err).toContain(`the trogiang service (pid ${service.child.pid}`);
      expect(ingest.err).toMatch(/nothing was changed.*admin page.*POST \/api\/admin\/documents/s);
      expect(ingest.err).toMatch(/đang dùng thư mục dữ liệu/);
      for (const args of [
        ['docs', 'remove', 'chung/thu-vien-md'],
        ['reindex'],
        ['check', '--repair'],
        ['check'],
        ['restore', join(root, 'none.db')],
      ]) {
        const refused = await cli(dataDir, args);
        expect(refused.code, `${args.join(' ')}: ${refused.err}`).toBe(dataFolderInUseExitCode);
      }
      // Nothing reached the store, and the service still answers from its own document.
      expect(readFileSync(join(dataDir, 'trogiang.db')).equals(before)).toBe(true);
      expect((await search(service.base, 'ky thi chung chi tin hoc ngay nao'))[0]?.text ?? '').not.toContain('15/01/2027');
      expect(service.exited()).toBeNull();
    } finally {
      await service.stop();
    }
    expect(existsSync(lockPath(dataDir))).toBe(false);

    // Stopped: the CLI ingests and removes; the restarted service answers from both changes.
    const ingest = await cli(dataDir, ['ingest', join(root, 'lich-thi.md')]);
    expect(ingest.code, ingest.err).toBe(0);
    const list = await cli(dataDir, ['docs', 'list']);
    const removedId = /^(\S*thu-vien\S*)/m.exec(list.out)?.[1];
    expect(removedId).toBeDefined();
    expect((await cli(dataDir, ['docs', 'remove', removedId!])).code).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);

    service = await startServiceProcess({ env: { DATA_DIR: dataDir, CORPUS_DIR: join(root, 'corpus') } });
    try {
      expect((await search(service.base, 'ky thi chung chi tin hoc ngay nao'))[0]?.text).toContain('15/01/2027');
      for (const hit of await search(service.base, 'thu vien mo cua may gio')) expect(hit.documentId).not.toBe(removedId);
    } finally {
      await service.stop();
    }
    const check = await cli(dataDir, ['check']);
    expect(check.code, check.err).toBe(0);
    expect(check.out).toMatch(/^ok: store and indexes agree/m);
  }, 180_000);

  it('the service refuses to start while a CLI command holds the folder, and names it', async () => {
    const dataDir = join(root, 'held');
    const cliHolder = await holder(dataDir);
    try {
      const server = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src/server/main.ts')], {
        cwd: repo,
        env: { ...process.env, DATA_DIR: dataDir, CORPUS_DIR: join(root, 'corpus'), PORT: '0', HOST: '127.0.0.1' },
      });
      let err = '';
      server.stderr.on('data', (d: Buffer) => (err += d));
      const code = await new Promise((resolve) => server.on('exit', (c) => resolve(c)));
      expect(code).toBe(1);
      expect(err).toContain(`another trogiang command, \`ingest\` (pid ${cliHolder.pid})`);
      expect(existsSync(join(dataDir, 'trogiang.db'))).toBe(false);
    } finally {
      cliHolder.kill('SIGKILL');
      await new Promise((resolve) => cliHolder.once('exit', resolve));
    }
  }, 60_000);

  it('a lock left by a killed process is taken over', async () => {
    const dataDir = join(root, 'stale');
    const killed = await holder(dataDir);
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    expect(existsSync(lockPath(dataDir))).toBe(true);
    const ingest = await cli(dataDir, ['ingest', join(root, 'lich-thi.md')]);
    expect(ingest.code, ingest.err).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);
  }, 60_000);

  it('a second holder in the same process is refused too, and release frees the folder', () => {
    const dataDir = join(root, 'same');
    const lock = acquireDataFolderLock(dataDir, 'service', 'trogiang service');
    expect(() => acquireDataFolderLock(dataDir, 'cli', 'ingest')).toThrow(DataFolderInUse);
    lock.release();
    acquireDataFolderLock(dataDir, 'cli', 'ingest').release();
    expect(existsSync(lockPath(dataDir))).toBe(false);
  });
});
