/**
 * The graph file check that runs before hnswlib reads a file (validate-index-files.ts): a file
 * hnswlib would read past its memory with (issue 15: a saved set crashed every later open) is
 * refused with a reason, and a file the owner wrote passes and loads.
 */
import hnswlib from 'hnswlib-node';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../evals/perf/corpus-gen.js';
import { HnswGraph } from '../../src/indexes/hnsw-owner.js';
import { checkDigest, digestFile, hnswHeaderBytes, InvalidIndexFile, validateHnswFile } from '../../src/indexes/validate-index-files.js';
import { defaultHnswSettings } from '../../src/indexes/vector-index.js';
import { randomUnitVector } from '../support/random-vectors.js';

const dims = 16;
const m = defaultHnswSettings.m;
let dir: string;
let good: Buffer;
let count: number;
const bytesPerElement = 2 * m * 4 + 4 + dims * 4 + 8;
const linksPerLevel = m * 4 + 4;

/** Offsets of each element's upper link lists in `good`, and its level. */
function upperLists(file: Buffer): Array<{ at: number; level: number }> {
  const out: Array<{ at: number; level: number }> = [];
  let at = hnswHeaderBytes + count * bytesPerElement;
  for (let i = 0; i < count; i++) {
    const size = file.readUInt32LE(at);
    out.push({ at: at + 4, level: size / linksPerLevel });
    at += 4 + size;
  }
  return out;
}

function write(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function refusal(path: string): string {
  try {
    validateHnswFile(path, dims);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidIndexFile);
    return (error as Error).message;
  }
  throw new Error(`${path} was accepted`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trogiang-validate-'));
  const rand = mulberry32(7);
  const graph = HnswGraph.create(dims, defaultHnswSettings, 64);
  count = 600;
  for (let id = 0; id < count; id++) graph.add(1000 + id, randomUnitVector(rand, dims));
  graph.write(join(dir, 'good.hnsw'));
  good = readFileSync(join(dir, 'good.hnsw'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validateHnswFile', () => {
  it('accepts a graph the owner wrote, which then loads and answers', () => {
    expect(validateHnswFile(join(dir, 'good.hnsw'), dims)).toMatchObject({ count, m });
    const graph = HnswGraph.load(join(dir, 'good.hnsw'), dims, defaultHnswSettings);
    expect(graph.count).toBe(count);
    expect(graph.search(graph.point(1005), 1)[0]?.label).toBe(1005);
  });

  it('refuses a truncated file, anywhere it was cut', () => {
    expect(refusal(write('cut-header.hnsw', good.subarray(0, 50)))).toMatch(/shorter than its 96-byte header/);
    expect(refusal(write('cut-data.hnsw', good.subarray(0, hnswHeaderBytes + 10 * bytesPerElement)))).toMatch(/too short/);
    expect(refusal(write('cut-tail.hnsw', good.subarray(0, good.length - 3)))).toMatch(/ends early|too short/);
  });

  it('refuses random bytes and trailing bytes', () => {
    const rand = mulberry32(3);
    const garbage = Buffer.from(Array.from({ length: good.length }, () => Math.floor(rand() * 256)));
    expect(refusal(write('garbage.hnsw', garbage))).toMatch(/header/);
    expect(refusal(write('trailing.hnsw', Buffer.concat([good, Buffer.alloc(8)])))).toMatch(/after its last element/);
  });

  it('refuses a header that lies about counts, sizes or dimensions', () => {
    const lie = (at: number, value: bigint) => {
      const copy = Buffer.from(good);
      copy.writeBigUInt64LE(value, at);
      return copy;
    };
    expect(refusal(write('more.hnsw', lie(16, BigInt(count + 1000))))).toMatch(/elements in a graph of capacity|too short/);
    expect(refusal(write('fewer.hnsw', lie(16, BigInt(count - 1))))).toMatch(/./);
    expect(refusal(write('capacity.hnsw', lie(8, 10n)))).toMatch(/capacity 10/);
    expect(refusal(write('huge.hnsw', lie(8, 1n << 40n)))).toMatch(/out of proportion/);
    expect(refusal(write('size.hnsw', lie(24, BigInt(bytesPerElement + 4))))).toMatch(/bytes per element/);
    expect(refusal(write('m.hnsw', lie(72, 17n)))).toMatch(/M 17/);
    // The same file read with other dimensions: hnswlib would read vectors of the wrong length.
    expect(() => validateHnswFile(join(dir, 'good.hnsw'), 32)).toThrow(/does not fit 32 dimensions/);
  });

  it('refuses an entry point outside the graph or below its top level', () => {
    const copy = Buffer.from(good);
    copy.writeUInt32LE(count + 5, 52);
    expect(refusal(write('entry.hnsw', copy))).toMatch(/entry point/);
    const low = upperLists(good).findIndex((e) => e.level === 0);
    copy.writeUInt32LE(low, 52);
    expect(refusal(write('entry-level.hnsw', copy))).toMatch(/entry point .* level 0/);
  });

  it('refuses links to elements that do not exist, or lack the level linked on', () => {
    const level0 = Buffer.from(good);
    level0.writeUInt16LE(Math.max(1, level0.readUInt16LE(hnswHeaderBytes)), hnswHeaderBytes);
    level0.writeUInt32LE(count + 7, hnswHeaderBytes + 4);
    expect(refusal(write('link0.hnsw', level0))).toMatch(/element 0 links to element 607/);

    const lists = upperLists(good);
    const high = lists.findIndex((e) => e.level >= 1 && good.readUInt16LE(e.at) > 0);
    const flat = lists.findIndex((e) => e.level === 0);
    const upper = Buffer.from(good);
    upper.writeUInt32LE(flat, lists[high]!.at + 4);
    expect(refusal(write('link1.hnsw', upper))).toMatch(new RegExp(`links at level 1 to element ${flat}, which has no level 1`));

    const tooMany = Buffer.from(good);
    tooMany.writeUInt16LE(2 * m + 1, hnswHeaderBytes);
    expect(refusal(write('links.hnsw', tooMany))).toMatch(/33 links at level 0, at most 32/);
  });

  it('refuses a graph with delete marks (written before the fix): such a set is rebuilt', () => {
    const native = new hnswlib.HierarchicalNSW('ip', dims);
    native.initIndex({ maxElements: 100, m, efConstruction: 100, randomSeed: 1, allowReplaceDeleted: true });
    const rand = mulberry32(5);
    for (let id = 0; id < 50; id++) native.addPoint(Array.from(randomUnitVector(rand, dims)), id);
    native.markDelete(7);
    native.writeIndexSync(join(dir, 'deleted.hnsw'));
    expect(refusal(join(dir, 'deleted.hnsw'))).toMatch(/element 7 is marked deleted/);
    expect(() => HnswGraph.load(join(dir, 'deleted.hnsw'), dims, defaultHnswSettings)).toThrow(InvalidIndexFile);
  });

  it('guards a real crash: hnswlib reads a graph with an out-of-range link and dies, the owner refuses it first', () => {
    // What the check prevents, shown in a child process: hnswlib itself loads this file and
    // crashes (or reads garbage) when it searches it.
    const damaged = Buffer.from(good);
    for (let i = 0; i < count; i++) {
      const at = hnswHeaderBytes + i * bytesPerElement;
      for (let j = 0; j < damaged.readUInt16LE(at); j++) damaged.writeUInt32LE(0x7fffffff - i, at + 4 + 4 * j);
    }
    const path = write('wild-links.hnsw', damaged);
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `const h=require('hnswlib-node');const g=new h.HierarchicalNSW('ip',${dims});g.readIndexSync(${JSON.stringify(path)});for(let i=0;i<50;i++)g.addPoint(Array.from({length:${dims}},(_, d)=>Math.sin(i*7+d)),100000+i);console.log('survived')`,
      ],
      { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stdout, child.stderr).not.toContain('survived');
    expect(child.signal ?? child.status).toBe('SIGSEGV');
    expect(refusal(path)).toMatch(/links to element/);
  });
});

describe('file digests', () => {
  it('accepts the recorded size and SHA-256, and names a changed or missing file', () => {
    const path = join(dir, 'good.hnsw');
    const digest = digestFile(path);
    expect(digest.bytes).toBe(good.length);
    expect(() => checkDigest(path, digest)).not.toThrow();
    const flipped = Buffer.from(good);
    flipped[good.length - 1]! ^= 1;
    expect(() => checkDigest(write('flipped.hnsw', flipped), digest)).toThrow(/checksum mismatch/);
    expect(() => checkDigest(write('short.hnsw', good.subarray(1)), digest)).toThrow(/bytes, the manifest says/);
    expect(() => checkDigest(join(dir, 'missing.hnsw'), digest)).toThrow(/cannot be read \(ENOENT\)/);
    expect(() => checkDigest(path, undefined)).toThrow(/no checksum/);
  });
});
