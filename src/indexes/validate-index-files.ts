import { open } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Why an index file cannot be used. Opening falls back to a rebuild from the store. */
export class InvalidIndexFile extends Error {
  readonly code = 'invalid_index_file';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'InvalidIndexFile';
  }
}

/** Size and SHA-256 of a saved file, kept in the manifest. */
export interface FileDigest {
  bytes: number;
  sha256: string;
}

/** Reads a file once (in 8 MB slices) and returns its size and SHA-256. */
export function digestFile(path: string): FileDigest {
  const fd = openSync(path, 'r');
  try {
    const hash = createHash('sha256');
    // 1 MB per read: each `update` hashes on the event loop (8 MB took 20-30 ms, more under load).
    const buffer = Buffer.allocUnsafe(1 << 20);
    let bytes = 0;
    for (let read: number; (read = readSync(fd, buffer, 0, buffer.length, bytes)) > 0; bytes += read) hash.update(buffer.subarray(0, read));
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** `digestFile` reading on the thread pool, hashing 8 MB at a time between reads (for a running service's saves). */
export async function digestFileAsync(path: string): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    // 1 MB per read: each `update` hashes on the event loop (8 MB took 20-30 ms, more under load).
    const buffer = Buffer.allocUnsafe(1 << 20);
    let bytes = 0;
    for (let read: number; (read = (await handle.read(buffer, 0, buffer.length, bytes)).bytesRead) > 0; bytes += read)
      hash.update(buffer.subarray(0, read));
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

/** Throws `InvalidIndexFile` unless the file has exactly the size and digest the manifest recorded. */
export function checkDigest(path: string, expected: FileDigest | undefined): void {
  if (!expected || typeof expected.bytes !== 'number' || typeof expected.sha256 !== 'string') {
    throw new InvalidIndexFile(path, 'the manifest records no checksum for this file');
  }
  let actual: FileDigest;
  try {
    actual = digestFile(path);
  } catch (error) {
    throw new InvalidIndexFile(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (actual.bytes !== expected.bytes) throw new InvalidIndexFile(path, `${actual.bytes} bytes, the manifest says ${expected.bytes}`);
  if (actual.sha256 !== expected.sha256) throw new InvalidIndexFile(path, 'checksum mismatch (the file changed after it was saved)');
}

/** hnswlib's saveIndex header: 13 fields, 96 bytes. */
export const hnswHeaderBytes = 96;

/** What a valid graph file holds. */
export interface HnswFileSummary {
  count: number;
  maxElements: number;
  m: number;
  maxLevel: number;
}

/** Sequential little-endian reads over a file descriptor, through a 4 MB buffer. */
class FileReader {
  private buffer = Buffer.allocUnsafe(4 << 20);
  private start = 0;
  private end = 0;
  constructor(
    private readonly fd: number,
    readonly size: number,
    public position: number,
  ) {}

  /** Makes `n` bytes from `position` available; returns their offset in `buffer`. */
  private need(n: number): number {
    if (this.position + n > this.size) throw new Error('ends early');
    if (this.position < this.start || this.position + n > this.end) {
      if (n > this.buffer.length) this.buffer = Buffer.allocUnsafe(n);
      const read = readSync(this.fd, this.buffer, 0, Math.min(this.buffer.length, this.size - this.position), this.position);
      this.start = this.position;
      this.end = this.position + read;
      if (this.position + n > this.end) throw new Error('ends early');
    }
    return this.position - this.start;
  }

  bytes(n: number): Buffer {
    const at = this.need(n);
    this.position += n;
    return this.buffer.subarray(at, at + n);
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }
}

/**
 * Checks a graph file written by hnswlib's `saveIndex` before hnswlib reads it: hnswlib trusts
 * every field, so a truncated file, a header lying about its counts or a link to an element
 * that does not exist (or lacks that level) makes it read or write outside its memory
 * (issue 15: a set saved by a crashing process crashed every later open, `check --repair`
 * included). Checked: each header field against the dimensions and the others, the file size
 * against the counts, every link list (length, targets in range and on an existing level),
 * levels against the entry point, and that no element carries a delete mark (the graph owner
 * never deletes in hnswlib; such a file predates the fix and is rebuilt).
 */
export function validateHnswFile(path: string, dimensions: number): HnswFileSummary {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InvalidIndexFile(path, `cannot be opened (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return checkGraph(new FileReader(fd, fstatSync(fd).size, 0), dimensions, path);
  } catch (error) {
    if (error instanceof InvalidIndexFile) throw error;
    throw new InvalidIndexFile(path, `the graph file ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

function checkGraph(reader: FileReader, dimensions: number, path: string): HnswFileSummary {
  const bad = (reason: string) => new InvalidIndexFile(path, reason);
  if (reader.size < hnswHeaderBytes) throw bad(`is ${reader.size} bytes, shorter than its ${hnswHeaderBytes}-byte header`);
  const h = Buffer.from(reader.bytes(hnswHeaderBytes));
  const u64 = (at: number) => {
    const v = h.readBigUInt64LE(at);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  };
  const offsetLevel0 = u64(0);
  const maxElements = u64(8);
  const count = u64(16);
  const bytesPerElement = u64(24);
  const labelOffset = u64(32);
  const dataOffset = u64(40);
  const maxLevel = h.readInt32LE(48);
  const entryPoint = h.readUInt32LE(52);
  const maxM = u64(56);
  const maxM0 = u64(64);
  const m = u64(72);
  const mult = h.readDoubleLE(80);

  if (offsetLevel0 !== 0) throw bad(`header: offsetLevel0 ${offsetLevel0}, expected 0`);
  if (m < 2 || m > 4096 || maxM !== m || maxM0 !== 2 * m)
    throw bad(`header: M ${m}, maxM ${maxM}, maxM0 ${maxM0} are not a graph hnswlib writes`);
  if (!(mult > 0 && Number.isFinite(mult))) throw bad(`header: level multiplier ${mult}`);
  const linksLevel0 = maxM0 * 4 + 4;
  if (dataOffset !== linksLevel0) throw bad(`header: data offset ${dataOffset}, expected ${linksLevel0}`);
  if (labelOffset !== dataOffset + dimensions * 4) throw bad(`header: label offset ${labelOffset} does not fit ${dimensions} dimensions`);
  if (bytesPerElement !== labelOffset + 8) throw bad(`header: ${bytesPerElement} bytes per element, expected ${labelOffset + 8}`);
  if (count > maxElements) throw bad(`header: ${count} elements in a graph of capacity ${maxElements}`);
  if (maxElements > 4 * count + (1 << 21)) throw bad(`header: capacity ${maxElements} is out of proportion to its ${count} elements`);
  const smallest = hnswHeaderBytes + count * (bytesPerElement + 4);
  if (reader.size < smallest)
    throw bad(`is ${reader.size} bytes, too short for the ${count} elements its header counts (at least ${smallest})`);
  if (count === 0) {
    if (reader.size !== hnswHeaderBytes) throw bad(`has ${reader.size - hnswHeaderBytes} bytes after the header of an empty graph`);
    return { count, maxElements, m, maxLevel };
  }
  if (maxLevel < 0 || maxLevel > 30) throw bad(`header: top level ${maxLevel}`);
  if (entryPoint >= count) throw bad(`header: entry point ${entryPoint} outside the ${count} elements`);

  // Level 0: each element's link list (count, delete mark, targets), vector and label.
  for (let i = 0; i < count; i++) {
    const element = reader.bytes(bytesPerElement);
    const links = element.readUInt16LE(0);
    if (element[2]! & 1) throw bad(`element ${i} is marked deleted (a graph written before the fix of issue 15)`);
    if (links > maxM0) throw bad(`element ${i} has ${links} links at level 0, at most ${maxM0}`);
    for (let j = 0; j < links; j++) {
      const target = element.readUInt32LE(4 + 4 * j);
      if (target >= count) throw bad(`element ${i} links to element ${target} of ${count}`);
    }
    if (element.readBigUInt64LE(labelOffset) > 0xffffffffn) throw bad(`element ${i} has label ${element.readBigUInt64LE(labelOffset)}`);
  }

  // Upper levels: each element's level (from its list size) and its links on each level.
  const linksPerLevel = maxM * 4 + 4;
  const levels = new Uint8Array(count);
  const upper: Array<{ element: number; level: number; targets: Uint32Array }> = [];
  for (let i = 0; i < count; i++) {
    const bytes = reader.u32();
    if (bytes % linksPerLevel !== 0) throw bad(`element ${i}: upper link lists of ${bytes} bytes, not a multiple of ${linksPerLevel}`);
    const level = bytes / linksPerLevel;
    if (level > maxLevel) throw bad(`element ${i} is on level ${level}, above the graph's top level ${maxLevel}`);
    levels[i] = level;
    if (level === 0) continue;
    const lists = reader.bytes(bytes);
    for (let l = 1; l <= level; l++) {
      const at = (l - 1) * linksPerLevel;
      const links = lists.readUInt16LE(at);
      if (links > maxM) throw bad(`element ${i} has ${links} links at level ${l}, at most ${maxM}`);
      const targets = new Uint32Array(links);
      for (let j = 0; j < links; j++) {
        targets[j] = lists.readUInt32LE(at + 4 + 4 * j);
        if (targets[j]! >= count) throw bad(`element ${i} links to element ${targets[j]} of ${count} at level ${l}`);
      }
      if (links > 0) upper.push({ element: i, level: l, targets });
    }
  }
  if (reader.position !== reader.size) throw bad(`has ${reader.size - reader.position} bytes after its last element`);
  if (levels[entryPoint] !== maxLevel)
    throw bad(`entry point ${entryPoint} is on level ${levels[entryPoint]}, the graph's top level is ${maxLevel}`);
  for (const { element, level, targets } of upper) {
    for (const t of targets)
      if (levels[t]! < level) throw bad(`element ${element} links at level ${level} to element ${t}, which has no level ${level}`);
  }
  return { count, maxElements, m, maxLevel };
}
