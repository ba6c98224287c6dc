import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { backupDataFolder, Engine, restoreDataFolder } from '../../src/engine/index.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { openSqliteStore } from '../../src/store/index.js';

let root: string;
let env: Record<string, string>;
const run = async (args: string[]) => {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) }, env);
  return { code, out, err };
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'trogiang-backup-'));
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'a.md'), '# Lịch thi\n\nKỳ thi cuối kỳ diễn ra ngày 04/01/2027.\n');
  writeFileSync(join(corpus, 'b.md'), '# Thư viện\n\nThư viện mở cửa đến 20h30.\n');
  env = { DATA_DIR: join(root, 'data'), CORPUS_DIR: corpus };
  expect((await run(['ingest', corpus])).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The restored folder opens with its store and indexes in agreement, and answers from them. */
async function expectRestoredAnswer(dataDir: string, question: string, expected: string): Promise<void> {
  const restored = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
  try {
    expect(await storeAndIndexesAgree(restored)).toEqual({ ok: true, problems: [] });
    expect((await restored.retrieve(question)).results[0]?.chunk.text).toContain(expected);
  } finally {
    await restored.close();
  }
}

describe('backup, restore and check', () => {
  it('backs up while an engine has the folder open, and restores the same documents and answers', async () => {
    const live = await Engine.open({ store: openSqliteStore(env.DATA_DIR!), dataDir: env.DATA_DIR! });
    const file = join(root, 'backups', 'sao-luu.db');
    const backup = await run(['backup', file]);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/index files/);
    await live.ingest([{ bytes: Buffer.from('# Mới\n\nTài liệu thêm sau khi sao lưu.'), fileName: 'c.md', collection: 'chung' }]);
    await live.close();
    expect((await run(['docs', 'list'])).out).toContain('c-md');

    expect((await run(['restore', file])).code).toBe(0);
    const list = (await run(['docs', 'list'])).out;
    expect(list).not.toContain('c-md');
    expect(list).toContain('a-md');
    expect(existsSync(`${env.DATA_DIR}.before-restore`)).toBe(true);
    await expectRestoredAnswer(env.DATA_DIR!, 'ky thi cuoi ky ngay nao', '04/01/2027');
  });

  it('reports a store and indexes that disagree, and repairs them by rebuilding from the store', async () => {
    expect((await run(['check'])).code).toBe(0);
    // Damage behind the engine's back: a chunk disappears from the store without a change log entry.
    const db = new Database(join(env.DATA_DIR!, 'trogiang.db'));
    db.prepare('DELETE FROM chunks WHERE seq = (SELECT max(seq) FROM chunks)').run();
    db.close();
    const broken = await run(['check']);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/BM25 has \d+ chunks, the store \d+/);
    const repaired = await run(['check', '--repair']);
    expect(repaired.out).toMatch(/indexes rebuilt from the store/);
    expect((await run(['check'])).out).toMatch(/ok: store and indexes agree/);
  });

  it('carries index files in parts (SQLite refuses a BLOB over 1 GB) and restores them byte for byte', async () => {
    const dataDir = env.DATA_DIR!;
    const indexFiles = () => {
      const root = join(dataDir, 'indexes');
      const set = readFileSync(join(root, 'CURRENT'), 'utf8').trim();
      return new Map(readdirSync(join(root, set)).map((name) => [name, readFileSync(join(root, set, name))]));
    };
    const digests = (files: Map<string, Buffer>) =>
      [...files].map(([name, bytes]) => [name, bytes.length, createHash('sha256').update(bytes).digest('hex')]);
    const before = indexFiles();
    const file = join(root, 'backups', 'nhieu-phan.db');
    const partBytes = 512;
    const { indexFiles: count } = await backupDataFolder(dataDir, file, { partBytes });
    expect(count).toBe(before.size + 1); // the set's files and CURRENT

    const db = new Database(file, { readonly: true });
    const parts = db
      .prepare('SELECT name, count(*) AS n, max(length(bytes)) AS largest FROM trogiang_backup_file_parts GROUP BY name')
      .all() as { name: string; n: number; largest: number }[];
    db.close();
    for (const [name, bytes] of before) {
      expect(parts.find((p) => p.name.endsWith(`/${name}`))!.n, name).toBe(Math.max(1, Math.ceil(bytes.length / partBytes)));
    }
    const bm25 = parts.find((p) => p.name.endsWith('/bm25.bin'))!;
    expect(bm25.n).toBeGreaterThan(1);
    expect(Math.max(...parts.map((p) => p.largest))).toBeLessThanOrEqual(partBytes);

    restoreDataFolder(file, dataDir);
    expect(digests(indexFiles())).toEqual(digests(before));
    const store = new Database(join(dataDir, 'trogiang.db'), { readonly: true });
    // The index files' pages did not stay behind in the restored store as free space.
    expect(store.pragma('freelist_count', { simple: true })).toBe(0);
    expect(store.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'trogiang_backup%'").pluck().get()).toBe(0);
    store.close();
    await expectRestoredAnswer(dataDir, 'ky thi cuoi ky ngay nao', '04/01/2027');
  });

  it('keeps the index set it started with when a save replaces and removes that set during the backup', async () => {
    const dataDir = env.DATA_DIR!;
    const live = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await live.ingest([
      { bytes: Buffer.from('# Học phí\n\nHọc phí học kỳ hai đóng trước ngày 15/02.'), fileName: 'hoc-phi.md', collection: 'chung' },
    ]);
    const setBefore = readFileSync(join(dataDir, 'indexes', 'CURRENT'), 'utf8').trim();
    const file = join(root, 'backups', 'trong-luc-luu.db');
    const pending = backupDataFolder(dataDir, file, { partBytes: 512 });
    await live.save(); // a new set, and the one the backup opened is deleted
    expect(existsSync(join(dataDir, 'indexes', setBefore))).toBe(false);
    await pending;
    await live.close();
    const backup = new Database(file, { readonly: true });
    expect(backup.prepare("SELECT bytes FROM trogiang_backup_file_parts WHERE name = 'indexes/CURRENT'").pluck().get()!.toString()).toBe(
      setBefore,
    );
    backup.close();
    restoreDataFolder(file, dataDir);
    await expectRestoredAnswer(dataDir, 'hoc phi hoc ky hai dong truoc ngay nao', '15/02');
  });

  it('still restores a backup made before index files were split into parts', async () => {
    const dataDir = env.DATA_DIR!;
    const file = join(root, 'backups', 'dang-cu.db');
    await backupDataFolder(dataDir, file);
    // Rewrite it into the earlier format: one BLOB per file, in trogiang_backup_files.
    const db = new Database(file);
    db.exec(`CREATE TABLE trogiang_backup_files (name TEXT PRIMARY KEY, bytes BLOB NOT NULL);
      INSERT INTO trogiang_backup_files SELECT name, bytes FROM trogiang_backup_file_parts;
      DROP TABLE trogiang_backup_file_parts;`);
    db.close();
    const { indexFiles } = restoreDataFolder(file, dataDir);
    expect(indexFiles).toBeGreaterThan(1);
    await expectRestoredAnswer(dataDir, 'ky thi cuoi ky ngay nao', '04/01/2027');
  });

  it('refuses a backup with a missing part, and leaves the data folder as it was', async () => {
    const dataDir = env.DATA_DIR!;
    const file = join(root, 'backups', 'thieu-phan.db');
    await backupDataFolder(dataDir, file, { partBytes: 256 });
    const db = new Database(file);
    db.prepare("DELETE FROM trogiang_backup_file_parts WHERE name LIKE '%/bm25.bin' AND part = 1").run();
    db.close();
    const storeBefore = statSync(join(dataDir, 'trogiang.db')).mtimeMs;
    expect(() => restoreDataFolder(file, dataDir)).toThrow(/damaged: .*bm25\.bin has \d+ parts numbered up to \d+/);
    expect(statSync(join(dataDir, 'trogiang.db')).mtimeMs).toBe(storeBefore);
    expect(readdirSync(root).filter((name) => name.includes('.restoring-'))).toEqual([]);
  });

  it('refuses to restore a file that is not a backup', async () => {
    const bogus = join(root, 'khong-phai.db');
    new Database(bogus).exec('CREATE TABLE x (y)');
    await expect(run(['restore', bogus])).rejects.toThrow(/not a trogiang backup/);
  });
});
