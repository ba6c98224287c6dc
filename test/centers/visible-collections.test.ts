import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionCollections } from '../../src/routes/center-scope.js';
import { learnerCollections, noCollection, SqliteStore } from '../../src/store/index.js';

let dir: string;
let store: SqliteStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trogiang-visible-'));
  store = new SqliteStore(join(dir, 'store.sqlite'));
  for (const id of ['hoa-sen', 'trong']) store.db.prepare("INSERT INTO centers (id, name, created_at) VALUES (?, ?, 'x')").run(id, id);
  store.collections.createCollection('hoa-sen.so-tay', 'Sổ tay');
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('which collections a center may retrieve from', () => {
  it("gives a center without collections a filter that matches nothing, even when the service holds a single collection (another center's)", () => {
    expect(learnerCollections(store.sharing, 'trong')).toEqual([noCollection]);
    expect(questionCollections(store, 'trong', undefined)).toEqual([noCollection]);
  });

  it('searches unfiltered (null) when the center sees every collection of the service', () => {
    expect(questionCollections(store, 'hoa-sen', undefined)).toBeNull();
    expect(questionCollections(store, 'hoa-sen', 'so-tay')).toEqual(['hoa-sen.so-tay']);
  });

  it('adds open subscribed collections, narrows to a site key list, and refuses another center closed collection (404)', () => {
    store.collections.createCollection('trong.bai-tap', 'Bài tập');
    expect(learnerCollections(store.sharing, 'trong')).toEqual(['trong.bai-tap']);
    store.collectionMetadata.update('hoa-sen.so-tay', { licence: 'CC-BY-4.0' });
    store.sharing.publish('hoa-sen.so-tay');
    store.sharing.subscribe('trong', 'hoa-sen.so-tay');
    expect(learnerCollections(store.sharing, 'trong').sort()).toEqual(['hoa-sen.so-tay', 'trong.bai-tap']);
    expect(learnerCollections(store.sharing, 'trong', ['trong.bai-tap'])).toEqual(['trong.bai-tap']);
    // Back to center-only: closed at once, though still published and subscribed.
    store.collectionMetadata.update('hoa-sen.so-tay', { licence: 'center-only' });
    expect(learnerCollections(store.sharing, 'trong')).toEqual(['trong.bai-tap']);
    expect(() => questionCollections(store, 'trong', 'hoa-sen.so-tay')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });
});
