/**
 * Damaged index files, each kind through the real CLI (a child process) and the real server
 * start (its own process on loopback). Issue 15: a saved set written by a crashing process made
 * the server, `check` and `check --repair` all die with SIGSEGV on every open, and the only way
 * back was deleting `indexes/` by hand. Now opening validates every file (checksums in the
 * manifest, the graph's structure) before native code reads it and rebuilds from the store;
 * `check --repair` never reads the saved set at all.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConsistency, Engine } from '../../src/engine/index.js';
import { bundleChild, runBundledCli } from '../support/bundle-child.js';
import { hnswHeaderBytes } from '../../src/indexes/validate-index-files.js';
import { startServiceProcess } from '../../evals/soak/service-process.js';
import { openSqliteStore } from '../../src/store/index.js';

const repo = join(import.meta.dirname, '../..');
let root: string;
let pristine: string;

let cliBundle: string;

const cli = (dataDir: string, args: string[]) => runBundledCli(cliBundle, dataDir, args);

/** The folder of the saved set `CURRENT` points at. */
const setFolder = (dataDir: string) => join(dataDir, 'indexes', readFileSync(join(dataDir, 'indexes', 'CURRENT'), 'utf8').trim());

/** Each kind of damage, applied to a copy of the pristine folder. */
const damages: Record<string, (dataDir: string) => void> = {
  'vector file truncated': (d) => {
    const path = join(setFolder(d), 'vectors.hnsw');
    writeFileSync(path, readFileSync(path).subarray(0, 500));
  },
  'vector file garbage': (d) => {
    const path = join(setFolder(d), 'vectors.hnsw');
    const size = readFileSync(path).length;
    writeFileSync(path, Buffer.from(Array.from({ length: size }, (_, i) => (i * 131 + 7) & 0xff)));
  },
  'vector header lying about counts (manifest checksum updated to match)': (d) => {
    const folder = setFolder(d);
    const bytes = readFileSync(join(folder, 'vectors.hnsw'));
    bytes.writeBigUInt64LE(bytes.readBigUInt64LE(16) + 40n, 16);
    rewriteWithDigest(folder, 'vectors.hnsw', bytes);
  },
  'vector links outside the graph (manifest checksum updated to match)': (d) => {
    // What a crashing writer leaves: sizes and checksum right, a graph hnswlib would read past its memory with.
    const folder = setFolder(d);
    const bytes = readFileSync(join(folder, 'vectors.hnsw'));
    bytes.writeUInt16LE(1, hnswHeaderBytes);
    bytes.writeUInt32LE(0x7ffffff0, hnswHeaderBytes + 4);
    rewriteWithDigest(folder, 'vectors.hnsw', bytes);
  },
  'checksum mismatch (one byte of a vector flipped)': (d) => {
    const path = join(setFolder(d), 'vectors.hnsw');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0x40;
    writeFileSync(path, bytes);
  },
  'BM25 file damaged': (d) => {
    const path = join(setFolder(d), 'bm25.bin');
    const bytes = readFileSync(path);
    bytes.fill(0xee, Math.floor(bytes.length / 3), Math.floor(bytes.length / 3) + 64);
    writeFileSync(path, bytes);
  },
  'BM25 file damaged (manifest checksum updated to match)': (d) => {
    const folder = setFolder(d);
    const bytes = readFileSync(join(folder, 'bm25.bin'));
    rewriteWithDigest(folder, 'bm25.bin', bytes.subarray(0, bytes.length - 100));
  },
  'manifest damaged': (d) => writeFileSync(join(setFolder(d), 'manifest.json'), '{"formatVersion": 2, "generat'),
  'manifest missing': (d) => rmSync(join(setFolder(d), 'manifest.json')),
  'CURRENT pointer damaged': (d) => writeFileSync(join(d, 'indexes', 'CURRENT'), '../../../etc'),
};

/** Replaces a file and records its new digest in the manifest, so only the deeper checks can catch it. */
function rewriteWithDigest(folder: string, file: string, bytes: Buffer): void {
  writeFileSync(join(folder, file), bytes);
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  manifest.files[file] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  writeFileSync(join(folder, 'manifest.json'), JSON.stringify(manifest));
}

let copies = 0;
function damagedCopy(kind: string): string {
  const dir = join(root, `copy-${copies++}`);
  cpSync(pristine, dir, { recursive: true });
  damages[kind]!(dir);
  return dir;
}

beforeAll(async () => {
  cliBundle = await bundleChild(join(repo, 'src/cli/main.ts'));
  root = mkdtempSync(join(tmpdir(), 'trogiang-corrupt-'));
  pristine = join(root, 'pristine');
  mkdirSync(pristine);
  const engine = await Engine.open({ store: openSqliteStore(pristine), dataDir: pristine });
  const notices = Array.from({ length: 40 }, (_, i) => ({
    bytes: Buffer.from(
      `# Thông báo ${i}\n\n## Lịch học\n\nLớp số ${i} học phòng ${100 + i} vào thứ ${2 + (i % 5)}.\n\n## Học phí\n\nHọc phí lớp số ${i} là ${300 + i}.000 đồng.\n`,
    ),
    fileName: `thong-bao-${i}.md`,
    collection: 'chung',
  }));
  notices.push({
    bytes: Buffer.from('# Thư viện\n\nThư viện trung tâm mở cửa từ 7h00 đến 20h30, thứ Hai đến thứ Sáu.\n'),
    fileName: 'thu-vien.md',
    collection: 'chung',
  });
  await engine.ingest(notices);
  await engine.close();
}, 60_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (cliBundle) rmSync(cliBundle, { force: true });
});

describe('damaged index files', () => {
  it('the pristine folder passes check without rebuilding', async () => {
    const dir = join(root, 'pristine-check');
    cpSync(pristine, dir, { recursive: true });
    const result = await cli(dir, ['check']);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^ok: store and indexes agree on \d+ chunks/m);
    expect(result.err).not.toMatch(/rebuilding/);
  });

  for (const kind of Object.keys(damages)) {
    describe(kind, () => {
      it('`check` exits 0 after rebuilding from the store, with a warning naming the damage', async () => {
        const result = await cli(damagedCopy(kind), ['check']);
        expect(result.code, result.err).toBe(0);
        expect(result.err).toMatch(/warning: rebuilding indexes from the store: /);
        expect(result.out).toMatch(/^ok: store and indexes agree/m);
      });

      it('`check --repair` rebuilds without reading the saved set, and a later `check` agrees', async () => {
        const dir = damagedCopy(kind);
        const repair = await cli(dir, ['check', '--repair']);
        expect(repair.code, repair.err).toBe(0);
        expect(repair.out).toMatch(/indexes rebuilt from the store/);
        const logs: string[] = [];
        const engine = await Engine.open({ store: openSqliteStore(dir), dataDir: dir, log: (m) => logs.push(m) });
        try {
          expect(await checkConsistency(engine)).toMatchObject({ ok: true, problems: [] });
        } finally {
          await engine.close();
        }
        expect(logs.join('\n')).not.toMatch(/rebuilding/);
        expect(readdirSync(join(dir, 'indexes')).filter((e) => e !== 'CURRENT')).toHaveLength(1);
      });

      it('the server starts, warns, and answers from the rebuilt indexes', async () => {
        const dir = damagedCopy(kind);
        const service = await startServiceProcess({ env: { DATA_DIR: dir, LOG_LEVEL: 'warn' } });
        try {
          const res = await fetch(`${service.base}/api/search?q=${encodeURIComponent('thu vien mo cua may gio')}`);
          expect(res.status).toBe(200);
          const body = (await res.json()) as { results: Array<{ text: string }> };
          expect(body.results[0]?.text).toContain('7h00 đến 20h30');
          const vector = await fetch(`${service.base}/api/search?q=${encodeURIComponent('hoc phi lop so 7')}&mode=vector`);
          expect(vector.status).toBe(200);
          expect(service.exited()).toBeNull();
        } finally {
          await service.stop();
        }
        expect(service.exited()).toBe(0);
      });
    });
  }
});
