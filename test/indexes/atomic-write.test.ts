import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWholeFile, writeFileAtomic } from '../../src/indexes/atomic-write.js';
import { Bm25Index, defaultBm25Params } from '../../src/indexes/bm25-index.js';

// Node refuses more than 2^31 - 1 bytes in one write or read call, and readFileSync a file over
// 2 GiB: the BM25 index of a 1M-chunk ingest failed to save at about 700k chunks. Writes and reads
// go in slices, tested here with slices of a few bytes (a 2 GiB file has no place in the suite).
const dir = mkdtempSync(join(tmpdir(), 'trogiang-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytesOf = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('writeFileAtomic and readWholeFile', () => {
  it('write parts in slices, one after another, and read them back in slices', () => {
    const parts = [bytesOf(10, 1), bytesOf(0, 2), bytesOf(7, 3), bytesOf(33, 4)];
    const path = join(dir, 'parts.bin');
    writeFileAtomic(path, parts, 4);
    const joined = Buffer.concat(parts);
    expect(readFileSync(path).equals(joined)).toBe(true);
    expect(readWholeFile(path, 3).equals(joined)).toBe(true);
    expect(readWholeFile(path).equals(joined)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('writes a string or one buffer as before', () => {
    writeFileAtomic(join(dir, 'text'), 'trợ giảng');
    expect(readFileSync(join(dir, 'text'), 'utf8')).toBe('trợ giảng');
    writeFileAtomic(join(dir, 'one.bin'), bytesOf(5, 9), 2);
    expect(readWholeFile(join(dir, 'one.bin'), 2).equals(bytesOf(5, 9))).toBe(true);
  });

  it('reads an empty file, and refuses a missing one', () => {
    writeFileSync(join(dir, 'empty'), '');
    expect(readWholeFile(join(dir, 'empty')).length).toBe(0);
    expect(() => readWholeFile(join(dir, 'missing'))).toThrow(/ENOENT/);
  });

  it('saves a BM25 index in its parts to the same bytes as serialize, and loads it back', () => {
    const index = new Bm25Index(defaultBm25Params);
    index.add(1, { title: 'Sổ tay', headings: 'Học phí', text: 'Học phí mỗi tháng là 350.000 đồng.' }, 'a');
    index.add(2, { title: 'Handbook', headings: 'Fees', text: 'The monthly fee is 350,000 dong.' }, 'b');
    const path = join(dir, 'bm25.bin');
    writeFileAtomic(path, index.serializeParts(), 16);
    expect(readWholeFile(path, 16).equals(index.serialize())).toBe(true);
    const loaded = Bm25Index.deserialize(readWholeFile(path, 16), defaultBm25Params);
    expect(loaded.search('hoc phi', 2)).toEqual(index.search('hoc phi', 2));
  });
});
