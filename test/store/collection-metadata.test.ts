import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCollectionMetadata, SqliteStore, StoreError } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function storeAtSchema4(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-metadata-'));
  dirs.push(dir);
  const path = join(dir, 'trogiang.db');
  const db = new Database(path);
  for (const m of migrations.slice(0, 4)) db.exec(m);
  db.pragma('user_version = 4');
  db.prepare("INSERT INTO collections (id, name, created_at) VALUES ('tin-hoc', 'Tin học', '2024-01-01T00:00:00.000Z')").run();
  db.close();
  return path;
}

describe('collection metadata (schema 5)', () => {
  it('upgrades existing collections to center-only with empty descriptions: an upgrade opens nothing up', async () => {
    const store = new SqliteStore(storeAtSchema4());
    try {
      expect(await store.collectionMetadata.get('tin-hoc')).toEqual(defaultCollectionMetadata);
      expect((await store.collections.getCollection('tin-hoc'))?.name).toBe('Tin học');
      expect(await store.collectionMetadata.get('khong-co')).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('changes only the fields given, keeps them across a reopen, and refuses bad input without changing anything', async () => {
    const path = storeAtSchema4();
    let store = new SqliteStore(path);
    await store.collectionMetadata.update('tin-hoc', { licence: 'CC-BY-NC-4.0', about: ['Tin học', 'Word'], inLanguage: 'vi-VN' });
    await store.collectionMetadata.update('tin-hoc', { attribution: '  TTGDTX Quận 3  ' });
    store.close();
    store = new SqliteStore(path);
    try {
      expect(await store.collectionMetadata.get('tin-hoc')).toEqual({
        ...defaultCollectionMetadata,
        licence: 'CC-BY-NC-4.0',
        about: ['Tin học', 'Word'],
        inLanguage: 'vi-VN',
        attribution: 'TTGDTX Quận 3',
      });
      const before = await store.collectionMetadata.get('tin-hoc');
      for (const bad of [
        { licence: 'CC0' },
        { inLanguage: 'Vietnamese!' },
        { about: [''] },
        { attribution: 'x'.repeat(301) },
        { licence: 'CC-BY-4.0', extra: 1 },
      ]) {
        await expect(store.collectionMetadata.update('tin-hoc', bad as never), JSON.stringify(bad)).rejects.toThrow(StoreError);
      }
      await expect(store.collectionMetadata.update('khong-co', { licence: 'CC-BY-4.0' })).rejects.toThrow(/no collection/);
      expect(await store.collectionMetadata.get('tin-hoc')).toEqual(before);
      // The table refuses an unknown licence even from SQL written by hand.
      expect(() => store.db.prepare("UPDATE collections SET licence = 'GPL' WHERE id = 'tin-hoc'").run()).toThrow(/CHECK constraint/);
    } finally {
      store.close();
    }
  });
});
