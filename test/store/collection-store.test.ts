import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/index.js';
import { makeDocument, openTempStore } from './store-helpers.js';

let t: ReturnType<typeof openTempStore>;
beforeEach(() => {
  t = openTempStore('trogiang-collections-');
});
afterEach(() => t.cleanup());

async function storeError(fn: () => Promise<unknown>): Promise<StoreError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

describe('collections', () => {
  it('creates, lists with counts and display names in Vietnamese order', async () => {
    const created = await t.store.collections.createCollection('tin-hoc', '  Tin học cơ bản ');
    expect(created).toEqual({
      id: 'tin-hoc',
      name: 'Tin học cơ bản',
      documents: 0,
      chunks: 0,
      createdAt: '2024-05-02T09:00:00.000Z',
      centerId: 'default',
      publishedAt: null,
    });
    await t.store.collections.createCollection('anh-van', 'Anh văn');
    await t.store.collections.createCollection('dia-ly', 'Địa lý');
    await t.store.collections.createCollection('ke_toan_2', 'Kế toán');
    const d1 = makeDocument('d1', 'tin-hoc', ['a', 'b', 'c']);
    const d2 = makeDocument('d2', 'tin-hoc', ['a']);
    await t.store.replaceDocument(d1.doc, d1.source, d1.chunks);
    await t.store.replaceDocument(d2.doc, d2.source, d2.chunks);
    // replaceDocument still creates a missing collection, named after its id.
    const d3 = makeDocument('d3', 'moi', ['x', 'y']);
    await t.store.replaceDocument(d3.doc, d3.source, d3.chunks);

    expect(
      (await t.store.collections.listCollections()).map(({ id, name, documents, chunks }) => ({ id, name, documents, chunks })),
    ).toEqual([
      { id: 'anh-van', name: 'Anh văn', documents: 0, chunks: 0 },
      { id: 'dia-ly', name: 'Địa lý', documents: 0, chunks: 0 },
      { id: 'ke_toan_2', name: 'Kế toán', documents: 0, chunks: 0 },
      { id: 'moi', name: 'moi', documents: 1, chunks: 2 },
      { id: 'tin-hoc', name: 'Tin học cơ bản', documents: 2, chunks: 4 },
    ]);
    expect((await t.store.collections.getCollection('tin-hoc'))?.chunks).toBe(4);
    expect(await t.store.collections.getCollection('nope')).toBeUndefined();
  });

  it('validates ids and names', async () => {
    for (const id of ['', 'Tin-hoc', '-x', '_x', 'a b', 'tin/hoc', 'x'.repeat(65), 'học']) {
      const e = await storeError(() => t.store.collections.createCollection(id, 'Name'));
      expect(e.code, id).toBe('invalid_input');
      expect(e.issues.map((i) => i.path.join('.'))).toEqual(['id']);
    }
    expect((await t.store.collections.createCollection('x'.repeat(64), 'ok')).id).toHaveLength(64);
    expect((await t.store.collections.createCollection('0', 'ok')).id).toBe('0');
    expect((await storeError(() => t.store.collections.createCollection('ok', '  '))).issues.map((i) => i.path.join('.'))).toEqual([
      'name',
    ]);
  });

  it('refuses a duplicate id with collection_exists', async () => {
    await t.store.collections.createCollection('tin-hoc', 'Tin học');
    const e = await storeError(() => t.store.collections.createCollection('tin-hoc', 'Khác'));
    expect(e.code).toBe('collection_exists');
    expect(e.details).toEqual({ id: 'tin-hoc' });
    expect((await t.store.collections.getCollection('tin-hoc'))?.name).toBe('Tin học');
  });

  it('renames: the name changes, the id and documents stay', async () => {
    const d = makeDocument('d1', 'tin-hoc');
    await t.store.replaceDocument(d.doc, d.source, d.chunks);
    const renamed = await t.store.collections.renameCollection('tin-hoc', 'Tin học văn phòng');
    expect(renamed).toMatchObject({ id: 'tin-hoc', name: 'Tin học văn phòng', documents: 1 });
    expect((await t.store.getDocument('d1'))?.collection).toBe('tin-hoc');
    expect((await storeError(() => t.store.collections.renameCollection('nope', 'X'))).code).toBe('collection_not_found');
    expect((await storeError(() => t.store.collections.renameCollection('tin-hoc', ''))).code).toBe('invalid_input');
  });

  it('deletes only unused collections', async () => {
    await t.store.collections.createCollection('trong', 'Trống');
    const d = makeDocument('d1', 'tin-hoc');
    await t.store.replaceDocument(d.doc, d.source, d.chunks);

    const notEmpty = await storeError(() => t.store.collections.deleteCollection('tin-hoc'));
    expect(notEmpty.code).toBe('collection_not_empty');
    expect(notEmpty.details).toEqual({ id: 'tin-hoc', documents: 1 });
    expect(await t.store.getDocument('d1')).toBeDefined();

    // The caller removes the documents (and updates its indexes), then the collection goes.
    await t.store.removeDocument('d1');
    await t.store.collections.deleteCollection('tin-hoc');
    expect(await t.store.collections.getCollection('tin-hoc')).toBeUndefined();

    await t.store.collections.deleteCollection('trong');
    expect(await t.store.collections.listCollections()).toEqual([]);
    expect((await storeError(() => t.store.collections.deleteCollection('trong'))).code).toBe('collection_not_found');
  });

  it('refuses to delete a collection a site key is limited to', async () => {
    await t.store.collections.createCollection('tin-hoc', 'Tin học');
    const key = await t.store.siteKeys.create({ title: 'LMS', collections: ['tin-hoc'] });
    const e = await storeError(() => t.store.collections.deleteCollection('tin-hoc'));
    expect(e.code).toBe('collection_in_use');
    expect(e.details).toEqual({ id: 'tin-hoc', siteKeys: [key.key] });
    await t.store.siteKeys.update(key.key, { collections: [] });
    await t.store.collections.deleteCollection('tin-hoc');
    expect(await t.store.collections.getCollection('tin-hoc')).toBeUndefined();
  });
});
