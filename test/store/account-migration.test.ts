import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { accountStores, defaultCenterId, SqliteStore } from '../../src/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-migration-'));
  dirs.push(dir);
  return join(dir, 'trogiang.db');
};

describe('migration 6: centers and accounts', () => {
  it('upgrades a data folder written before accounts: one default center, everything kept, no account yet', async () => {
    const path = tempDb();
    const old = new Database(path);
    const before = migrations.findIndex((m) => m.includes('CREATE TABLE centers'));
    expect(before).toBeGreaterThan(0);
    for (const m of migrations.slice(0, before)) old.exec(m);
    old.pragma(`user_version = ${before}`);
    old.prepare("INSERT INTO collections (id, name, created_at) VALUES ('tin-hoc', 'Tin học', '2026-01-01T00:00:00.000Z')").run();
    old
      .prepare(
        "INSERT INTO site_keys (key, title, rate_limit_per_minute, lang, created_at, updated_at) VALUES ('tg_pk_cu', 'Cũ', 30, 'vi', 'x', 'x')",
      )
      .run();
    old.close();

    const store = new SqliteStore(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
      const accounts = accountStores(store.sql);
      expect(await accounts.centers.list()).toEqual([expect.objectContaining({ id: defaultCenterId, status: 'active' })]);
      expect((await store.collections.listCollections()).map((c) => c.id)).toEqual(['tin-hoc']);
      expect((await store.siteKeys.get('tg_pk_cu'))?.title).toBe('Cũ');
      expect(await accounts.users.listOfCenter(defaultCenterId)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('gives a new data folder its default center too, and the schema refuses an operator with a center or a teacher without one', async () => {
    const store = new SqliteStore(tempDb());
    try {
      const accounts = accountStores(store.sql);
      expect((await accounts.centers.get(defaultCenterId))?.name).toBe('Trung tâm');
      const insert = store.db.prepare(
        "INSERT INTO users (id, center_id, username, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, 'h', ?, 'x', 'x')",
      );
      expect(() => insert.run('1', defaultCenterId, 'op', 'operator')).toThrow(/CHECK/);
      expect(() => insert.run('2', null, 'gv', 'teacher')).toThrow(/CHECK/);
      expect(() => insert.run('3', 'khong-co', 'gv2', 'teacher')).toThrow(/FOREIGN KEY/);
      insert.run('4', null, 'van.hanh', 'operator');
      expect((await accounts.users.listOfCenter(null)).map((u) => u.username)).toEqual(['van.hanh']);
    } finally {
      store.close();
    }
  });

  it('names new centers after their name, without accents, numbered when taken', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const { centers } = accountStores(store.sql);
      expect((await centers.create('Trung tâm GDTX Đống Đa')).id).toBe('trung-tam-gdtx-dong-da');
      expect((await centers.create('Trung tâm GDTX Đống Đa')).id).toBe('trung-tam-gdtx-dong-da-2');
      expect((await centers.create('!!!')).id).toBe('trung-tam');
    } finally {
      store.close();
    }
  });
});
