import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
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
 * At most this many bytes per `write` and `read` call: Node refuses a length above 2^31 - 1 in
 * one call, and the BM25 index passes 2 GiB at about 700k chunks (its save failed there).
 */
const ioSliceBytes = 1 << 30;

/**
 * Writes a file through a temporary sibling, fsync and rename: readers see old or new, never half.
 * `data` may come in parts (written one after another, never joined into one buffer; a generator
 * keeps only one part in memory). On failure the target is untouched and the temporary is removed.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string | Iterable<Uint8Array>, sliceBytes = ioSliceBytes): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      const parts = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;
      for (const bytes of parts) {
        let offset = 0;
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset, Math.min(bytes.length - offset, sliceBytes));
      }
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

/** Reads a whole file, also one over the 2 GiB that `readFileSync` refuses (up to Buffer's limit). */
export function readWholeFile(path: string, sliceBytes = ioSliceBytes): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(fd, bytes, offset, Math.min(size - offset, sliceBytes), offset);
      if (read === 0) throw new Error(`${path} ended after ${offset} of ${size} bytes`);
      offset += read;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
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
