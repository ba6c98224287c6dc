/**
 * A follower process of PROCESSES shares the data folder with the service's writer, never with a
 * CLI command that changes it: the lock's follower (reader) mode. Real processes hold the locks,
 * since a lock is about other processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataFolderLock, acquireFollowerLock, DataFolderInUse, liveFollowers } from '../../src/engine/data-folder-lock.js';

const repo = join(import.meta.dirname, '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'trogiang-follower-lock-'));
  dirs.push(d);
  return d;
}

/** A child process that takes a lock (`cli`, `service` or `follower`) and holds it until killed. */
function holder(dataDir: string, kind: 'cli' | 'service' | 'follower'): Promise<ChildProcess> {
  const take =
    kind === 'follower' ? `m.acquireFollowerLock(process.env.D, 'follower')` : `m.acquireDataFolderLock(process.env.D, '${kind}', 'x')`;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import('./src/engine/data-folder-lock.ts').then((m) => { ${take}; console.log('held'); setInterval(() => {}, 1000); })`,
    ],
    {
      cwd: repo,
      env: { ...process.env, D: dataDir },
    },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => String(d).includes('held') && resolve(child));
    child.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
}

describe('the data folder lock in follower mode', () => {
  it('lets a follower in beside the service writer, and several followers beside each other', async () => {
    const dataDir = folder();
    await holder(dataDir, 'service');
    await holder(dataDir, 'follower');
    const lock = acquireFollowerLock(dataDir, 'follower here');
    expect(liveFollowers(dataDir).length).toBe(2);
    lock.release();
    expect(liveFollowers(dataDir).length).toBe(1);
  }, 60_000);

  it('refuses a CLI command while a follower lives, and lets it in once the follower was killed', async () => {
    const dataDir = folder();
    const follower = await holder(dataDir, 'follower');
    expect(() => acquireDataFolderLock(dataDir, 'cli', 'ingest')).toThrow(DataFolderInUse);
    follower.kill('SIGKILL');
    await new Promise((r) => follower.once('exit', r));
    const lock = acquireDataFolderLock(dataDir, 'cli', 'ingest');
    lock.release();
  }, 60_000);

  it('refuses a follower while a CLI command holds the folder', async () => {
    const dataDir = folder();
    await holder(dataDir, 'cli');
    expect(() => acquireFollowerLock(dataDir, 'follower')).toThrow(DataFolderInUse);
    expect(liveFollowers(dataDir)).toEqual([]);
  }, 60_000);
});
