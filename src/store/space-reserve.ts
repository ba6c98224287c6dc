import { closeSync, fsyncSync, openSync, rmSync, statfsSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Bytes kept back in the data folder for deletions on a full disk. */
export const spaceReserveBytes = 8 * 1024 * 1024;

/**
 * A file of zeros kept in the data folder so that deleting can still work when the disk is full.
 * Deleting a document writes too (SQLite's WAL, the change log): on a full disk it failed with 507,
 * so the teacher could not free space through the API. The store gives this file up to let a
 * deletion through, then tries to take the room back. Best effort everywhere: a disk too full to
 * create it, or a filesystem without the room, leaves the service as it was without it.
 */
export class SpaceReserve {
  constructor(
    readonly path: string,
    readonly bytes: number = spaceReserveBytes,
  ) {}

  /** Whether the full reserve is on disk. */
  held(): boolean {
    try {
      return statSync(this.path).size >= this.bytes;
    } catch {
      return false;
    }
  }

  /**
   * Writes the reserve (real blocks, not a sparse file) unless it is there. Only when the disk has
   * room for it twice over: right after a deletion on a full disk, the room it made is for the
   * teacher's next upload, not for the reserve. False when it is not held afterwards.
   */
  restore(): boolean {
    if (this.held()) return true;
    try {
      const fs = statfsSync(dirname(this.path));
      if (fs.bavail * fs.bsize < 2 * this.bytes) return false;
    } catch {
      return false;
    }
    let fd: number | undefined;
    let ok = false;
    try {
      fd = openSync(this.path, 'w');
      const zeros = Buffer.alloc(Math.min(this.bytes, 1024 * 1024));
      for (let written = 0; written < this.bytes; ) written += writeSync(fd, zeros, 0, Math.min(zeros.length, this.bytes - written));
      fsyncSync(fd);
      ok = true;
    } catch {
      // no room (or no folder): no reserve for now
    } finally {
      if (fd !== undefined) closeSync(fd);
      // A partial reserve would only hide the room the next write needs.
      if (!ok) rmSync(this.path, { force: true });
    }
    return ok;
  }

  /** Gives the room back to the filesystem; false when there was no reserve to give. */
  release(): boolean {
    const had = this.held();
    rmSync(this.path, { force: true });
    return had;
  }
}
