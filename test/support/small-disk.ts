/**
 * A size-limited folder for disk-full tests: a tmpfs mount. Mounting needs root (or CAP_SYS_ADMIN);
 * `smallDiskAvailable()` says whether this machine allows it, so the tests that need a real full
 * disk can be skipped elsewhere (the injected failures in the same files still run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
}

let available: boolean | undefined;

/** True when a tmpfs can be mounted here (tried once). */
export function smallDiskAvailable(): boolean {
  if (available !== undefined) return available;
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return (available = false);
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-probe-disk-'));
  try {
    mount(['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    execFileSync('umount', [dir], { stdio: 'pipe' });
    available = true;
  } catch {
    available = false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return available;
}

export interface SmallDisk {
  path: string;
  /** Bytes in use and free, as the filesystem reports them. */
  usage(): { used: number; free: number };
  /** Changes the size (at least what is in use); `usedPlus` sets it to the bytes in use plus that much. */
  resize(bytes: number): void;
  usedPlus(headroom: number): void;
  unmount(): void;
}

const mounted = new Set<SmallDisk>();

/** Unmounts every disk still mounted (for an `afterAll`). */
export function unmountAllSmallDisks(): void {
  for (const disk of [...mounted]) disk.unmount();
}

/** Mounts a tmpfs of `bytes` on `at` (an existing empty folder; default a new temporary one). */
export function mountSmallDisk(bytes: number, at?: string): SmallDisk {
  const path = at ?? mkdtempSync(join(tmpdir(), 'trogiang-small-disk-'));
  mount(['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', path]);
  const disk: SmallDisk = {
    path,
    usage() {
      const s = statfsSync(path);
      return { used: (s.blocks - s.bfree) * s.bsize, free: s.bavail * s.bsize };
    },
    resize(size) {
      mount(['-o', `remount,size=${size}`, path]);
    },
    usedPlus(headroom) {
      disk.resize(disk.usage().used + headroom);
    },
    unmount() {
      if (!mounted.delete(disk)) return;
      try {
        execFileSync('umount', [path], { stdio: 'pipe' });
      } finally {
        if (!at) rmSync(path, { recursive: true, force: true });
      }
    },
  };
  mounted.add(disk);
  return disk;
}
