import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'trogiang-center-migration-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migration: per-center data', () => {
  it('upgrades a data folder from before scoping: collections, site keys and conversations belong to the default center', async () => {
    const path = join(dir, 'old.sqlite');
    const old = new Database(path);
    const mine = migrations.findIndex((m) => m.includes('collection_subscriptions'));
    expect(mine).toBeGreaterThan(0);
    for (const m of migrations.slice(0, mine)) old.exec(m);
    old.pragma(`user_version = ${mine}`);
    old.prepare("INSERT INTO collections (id, name, created_at) VALUES ('tin-hoc', 'Tin học', '2026-01-01T00:00:00.000Z')").run();
    old
      .prepare(
        "INSERT INTO site_keys (key, title, rate_limit_per_minute, lang, created_at, updated_at) VALUES ('tg_pub_cu', 'Cũ', 30, 'vi', 'x', 'x')",
      )
      .run();
    old.prepare("INSERT INTO conversations (id, site_key, created_at, updated_at) VALUES ('c1', 'tg_pub_cu', 'x', 'x')").run();
    old.close();

    const store = new SqliteStore(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(await store.collections.getCollection('tin-hoc')).toMatchObject({ centerId: 'default', publishedAt: null });
      expect((await store.siteKeys.get('tg_pub_cu'))?.centerId).toBe('default');
      expect((await store.conversations.getConversation('c1'))?.centerId).toBe('default');
      // A center's collection id names it; the column is derived and cannot disagree.
      store.db.prepare("INSERT INTO centers (id, name, created_at) VALUES ('quan-3', 'Quận 3', 'x')").run();
      await store.collections.createCollection('quan-3.tin-hoc', 'Tin học Q3');
      expect((await store.collections.listCollections('quan-3')).map((c) => c.id)).toEqual(['quan-3.tin-hoc']);
      expect((await store.collections.listCollections('default')).map((c) => c.id)).toEqual(['tin-hoc']);
      expect(() => store.db.prepare("UPDATE collections SET center_id = 'default' WHERE id = 'quan-3.tin-hoc'").run()).toThrow();
    } finally {
      await store.close();
    }
  });
});
