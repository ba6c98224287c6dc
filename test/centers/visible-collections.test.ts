import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionCollections } from '../../src/routes/center-scope.js';
import { learnerCollections, noCollection, SqliteStore } from '../../src/store/index.js';

let dir: string;
let store: SqliteStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trogiang-visible-'));
  store = new SqliteStore(join(dir, 'store.sqlite'));
  for (const id of ['hoa-sen', 'trong']) store.db.prepare("INSERT INTO centers (id, name, created_at) VALUES (?, ?, 'x')").run(id, id);
  await store.collections.createCollection('hoa-sen.so-tay', 'Sổ tay');
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('which collections a center may retrieve from', () => {
  it("gives a center without collections a filter that matches nothing, even when the service holds a single collection (another center's)", async () => {
    expect(await learnerCollections(store.sharing, 'trong')).toEqual([noCollection]);
    expect(await questionCollections(store, 'trong', undefined)).toEqual([noCollection]);
  });

  it('searches unfiltered (null) when the center sees every collection of the service', async () => {
    expect(await questionCollections(store, 'hoa-sen', undefined)).toBeNull();
    expect(await questionCollections(store, 'hoa-sen', 'so-tay')).toEqual(['hoa-sen.so-tay']);
  });

  it('adds open subscribed collections, narrows to a site key list, and refuses another center closed collection (404)', async () => {
    await store.collections.createCollection('trong.bai-tap', 'Bài tập');
    expect(await learnerCollections(store.sharing, 'trong')).toEqual(['trong.bai-tap']);
    await store.collectionMetadata.update('hoa-sen.so-tay', { licence: 'CC-BY-4.0' });
    await store.sharing.publish('hoa-sen.so-tay');
    await store.sharing.subscribe('trong', 'hoa-sen.so-tay');
    expect((await learnerCollections(store.sharing, 'trong')).sort()).toEqual(['hoa-sen.so-tay', 'trong.bai-tap']);
    expect(await learnerCollections(store.sharing, 'trong', ['trong.bai-tap'])).toEqual(['trong.bai-tap']);
    // Back to center-only: closed at once, though still published and subscribed.
    await store.collectionMetadata.update('hoa-sen.so-tay', { licence: 'center-only' });
    expect(await learnerCollections(store.sharing, 'trong')).toEqual(['trong.bai-tap']);
    await expect(questionCollections(store, 'trong', 'hoa-sen.so-tay')).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
