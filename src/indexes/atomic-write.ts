import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Flushes a directory entry so a rename survives a power cut (no-op where unsupported). */
export function fsyncDirectory(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

/**
 * Writes a file through a temporary sibling, fsync and rename: readers see old or new, never half.
 * On failure the target is untouched and the temporary is removed.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    // A write that failed (typically ENOSPC) used to leave its partial temporary behind, holding
    // the very space that ran out; nothing ever removed a stray `CURRENT.tmp-<pid>`.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Report the write's own error, not the clean-up's.
    }
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/** fsyncs an already written file (one written by a native library, such as the HNSW graph). */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
