/**
 * What reaches the disk, and in what order, observed with `strace` on a real child process (the
 * test is skipped where strace is missing or ptrace is not allowed):
 *
 * - a document upload and a deletion are synced to SQLite's WAL before they return (`synchronous
 *   = FULL` for document writes), so a power cut cannot roll back what the teacher was told;
 * - every index file is written to a temporary, fsynced, then renamed, and its folder fsynced
 *   after; `CURRENT` switches last, after every file of the new set is on disk;
 * - a backup file is fsynced before it takes its final name, and a restore's swap of folders is
 *   synced.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild } from '../support/bundle-child.js';

function straceWorks(): boolean {
  try {
    execFileSync('strace', ['-qq', '-e', 'trace=getpid', 'true'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const available = straceWorks();

interface Call {
  name: string;
  /** The paths in the call: `fsync(5</a/b>)` → ['/a/b'], `rename("/a", "/b")` → ['/a', '/b']. */
  paths: string[];
  ok: boolean;
}

let root: string;
let calls: Call[] = [];

beforeAll(async () => {
  if (!available) return;
  root = mkdtempSync(join(tmpdir(), 'trogiang-durability-'));
  const child = await bundleChild(join(import.meta.dirname, '../support/durability-child.ts'));
  const log = join(root, 'strace.log');
  const run = spawnSync(
    'strace',
    [
      '-f',
      '-qq',
      '-y',
      '-s',
      '512',
      '-e',
      'trace=fsync,fdatasync,rename,renameat,renameat2,access,faccessat,faccessat2',
      '-o',
      log,
      process.execPath,
      child,
      join(root, 'data'),
      join(root, 'backups', 'sao-luu.db'),
      join(root, 'restored'),
    ],
    { encoding: 'utf8' },
  );
  rmSync(child, { force: true });
  if (run.status !== 0) throw new Error(`durability child failed (${run.status}): ${run.stderr}`);
  calls = readFileSync(log, 'utf8')
    .split('\n')
    .flatMap((line) => {
      const m = /^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line);
      if (!m) return [];
      const paths = [...m[2]!.matchAll(/<([^<>]+)>|"([^"]*)"/g)].map((p) => p[1] ?? p[2]!);
      return [{ name: m[1]!, paths, ok: m[3] === '0' }];
    });
}, 60_000);
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const isSync = (c: Call) => c.name === 'fsync' || c.name === 'fdatasync';
const isRename = (c: Call) => c.name.startsWith('rename');

/** The calls between `access("/trogiang-mark-<name>-start")` and `…-end`. */
function section(name: string): Call[] {
  const start = calls.findIndex((c) => c.paths[0] === `/trogiang-mark-${name}-start`);
  const end = calls.findIndex((c) => c.paths[0] === `/trogiang-mark-${name}-end`);
  expect(start, `marker ${name}`).toBeGreaterThanOrEqual(0);
  return calls.slice(start + 1, end);
}

const walSyncs = (part: Call[]) => part.filter((c) => isSync(c) && c.paths[0]!.endsWith('trogiang.db-wal'));

describe.skipIf(!available)('durability, as seen by strace', () => {
  it('syncs the WAL before an upload or a deletion returns', () => {
    expect(walSyncs(section('ingest')).length).toBeGreaterThan(0);
    expect(walSyncs(section('remove')).length).toBeGreaterThan(0);
    // Recorded answers stay cheap (synchronous = NORMAL): reported, not required.
    console.log(
      `WAL syncs: upload ${walSyncs(section('ingest')).length}, deletion ${walSyncs(section('remove')).length}, recorded answer ${walSyncs(section('message')).length}`,
    );
  });

  it('writes every index file to a temporary, fsyncs it, renames it, then fsyncs its folder; CURRENT switches last', () => {
    const save = section('close');
    const renames = save.filter((c) => isRename(c) && c.ok);
    expect(renames.map((r) => basename(r.paths[1]!)).sort()).toEqual([
      'CURRENT',
      'bm25.bin',
      'features.bin',
      'manifest.json',
      'vectors.ids.json',
    ]);
    for (const rename of renames) {
      const [from, to] = rename.paths as [string, string];
      expect(from).toMatch(/\.tmp-\d+$/);
      const at = save.indexOf(rename);
      expect(
        save.slice(0, at).some((c) => isSync(c) && c.paths[0] === from),
        `fsync of ${from} before its rename`,
      ).toBe(true);
      expect(
        save.slice(at + 1).some((c) => isSync(c) && c.paths[0] === dirname(to)),
        `fsync of ${dirname(to)} after renaming ${basename(to)}`,
      ).toBe(true);
    }
    const current = save.indexOf(renames.find((r) => r.paths[1]!.endsWith('/CURRENT'))!);
    expect(renames.at(-1)!.paths[1]).toMatch(/\/CURRENT$/);
    const before = save.slice(0, current);
    const folder = dirname(renames.find((r) => r.paths[1]!.endsWith('manifest.json'))!.paths[1]!);
    expect(
      before.some((c) => isSync(c) && c.paths[0] === join(folder, 'vectors.hnsw')),
      'the HNSW graph fsynced before CURRENT',
    ).toBe(true);
    expect(
      before.some((c) => isSync(c) && c.paths[0] === folder),
      'the new index folder fsynced before CURRENT',
    ).toBe(true);
  });

  it('fsyncs a backup before giving it its final name', () => {
    const backup = section('backup');
    const rename = backup.find((c) => isRename(c) && c.paths[1]!.endsWith('sao-luu.db'))!;
    expect(rename).toBeDefined();
    const at = backup.indexOf(rename);
    expect(backup.slice(0, at).some((c) => isSync(c) && c.paths[0] === rename.paths[0])).toBe(true);
    expect(backup.slice(at + 1).some((c) => isSync(c) && c.paths[0] === dirname(rename.paths[1]!))).toBe(true);
  });

  it('syncs the staging folder before a restore swaps it in, and the swap after', () => {
    const restore = section('restore');
    const swap = restore.find((c) => isRename(c) && c.paths[1] === join(root, 'restored'))!;
    expect(swap).toBeDefined();
    const at = restore.indexOf(swap);
    expect(restore.slice(0, at).some((c) => isSync(c) && c.paths[0] === swap.paths[0])).toBe(true);
    expect(restore.slice(at + 1).some((c) => isSync(c) && c.paths[0] === root)).toBe(true);
  });
});
