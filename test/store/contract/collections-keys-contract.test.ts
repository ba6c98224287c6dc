import { afterEach, describe, expect, it } from 'vitest';
import {
  isOriginAllowed,
  isStoreError,
  learnerCollections,
  noCollection,
  SqlCollectionMetadataStore,
  SqlCollectionStore,
  SqlSharingStore,
  SqlSiteKeyStore,
  type Store,
  type TrogiangStore,
} from '../../../src/store/index.js';
import { makeDocument } from '../store-helpers.js';
import { adapters, type Adapter } from './store-adapters.js';

const list = await adapters('keys');

/** What both adapters' stores carry for these repositories. */
type KeysStore = Store & Pick<TrogiangStore, 'sql' | 'siteKeys' | 'collections' | 'collectionMetadata' | 'sharing'>;

/** The repositories over the store's own `SqlDb`, with a clock the test moves (ordering by time is part of the contract). */
async function open(adapter: Adapter) {
  const store = (await adapter.open()) as KeysStore;
  const clock = { now: new Date('2026-03-01T08:00:00.000Z') };
  const now = () => clock.now;
  const tick = (ms = 1000) => {
    clock.now = new Date(clock.now.getTime() + ms);
  };
  const at = () => clock.now.toISOString();
  const addCenter = (id: string, name: string, status: 'active' | 'suspended' = 'active') =>
    store.sql.run('INSERT INTO centers (id, name, status, created_at) VALUES (?, ?, ?, ?)', [id, name, status, at()]);
  return {
    store,
    tick,
    addCenter,
    siteKeys: new SqlSiteKeyStore(store.sql, now),
    collections: new SqlCollectionStore(store.sql, now),
    metadata: new SqlCollectionMetadataStore(store.sql),
    sharing: new SqlSharingStore(store.sql, now),
  };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; details?: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (isStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a StoreError');
}

describe.each(list.map((a) => [a.name, a] as const))('collections, site keys and sharing on %s', (_name, adapter: Adapter) => {
  afterEach(async () => {
    await adapter.cleanup();
  });

  it('the store carries the repositories over its own connection', async () => {
    const { store, collections } = await open(adapter);
    await store.collections.createCollection('tin-hoc', 'Tin học');
    expect((await collections.getCollection('tin-hoc'))?.name).toBe('Tin học');
    const key = await store.siteKeys.create({ title: 'Moodle', collections: ['tin-hoc'] });
    expect(await store.siteKeys.get(key.key)).toEqual(key);
    expect((await store.collectionMetadata.get('tin-hoc'))?.licence).toBe('center-only');
    expect(await store.sharing.ownIds('default')).toEqual(['tin-hoc']);
  });

  it('creates keys with normalised origins, lists them oldest first per center, and finds a key by any of its origins', async () => {
    const { siteKeys, tick } = await open(adapter);
    const a = await siteKeys.create({
      title: 'Moodle',
      allowedOrigins: ['HTTPS://LMS.Example.edu.vn/course/view.php?id=3', 'http://localhost:8080'],
    });
    tick();
    const b = await siteKeys.create({ title: 'Quận 3', allowedOrigins: ['https://q3.edu.vn'] }, 'quan-3');
    expect(a.key).toMatch(/^tg_pub_[A-Za-z0-9_-]{24}$/);
    expect(a.allowedOrigins).toEqual(['https://lms.example.edu.vn', 'http://localhost:8080']);
    expect(await siteKeys.get(a.key)).toEqual(a);
    expect((await siteKeys.list()).map((k) => k.key)).toEqual([a.key, b.key]);
    expect((await siteKeys.list('quan-3')).map((k) => k.key)).toEqual([b.key]);
    expect(await siteKeys.list('khong-co')).toEqual([]);

    expect(await siteKeys.anyAllowsOrigin('https://LMS.example.edu.vn:443')).toBe(true);
    expect(await siteKeys.anyAllowsOrigin('http://localhost:8080')).toBe(true);
    expect(await siteKeys.anyAllowsOrigin('https://q3.edu.vn')).toBe(true);
    expect(await siteKeys.anyAllowsOrigin('http://lms.example.edu.vn')).toBe(false);
    expect(await siteKeys.anyAllowsOrigin('https://evil.lms.example.edu.vn')).toBe(false);
    expect(await siteKeys.anyAllowsOrigin('null')).toBe(false);
    // An origin that is a substring of a stored one, or a JSON fragment, matches nothing.
    expect(await siteKeys.anyAllowsOrigin('https://lms.example.edu')).toBe(false);
    expect(await siteKeys.anyAllowsOrigin('"https://lms.example.edu.vn"')).toBe(false);
  });

  it('changes origins with a patch, keeping the other fields, and refuses bad input without changing anything', async () => {
    const { siteKeys, tick, collections } = await open(adapter);
    await collections.createCollection('tin-hoc', 'Tin học');
    const k = await siteKeys.create({
      title: 'Moodle',
      allowedOrigins: ['https://a.vn'],
      collections: ['tin-hoc'],
      rateLimitPerMinute: 60,
    });
    tick();
    const moved = await siteKeys.update(k.key, { allowedOrigins: ['https://b.vn', 'https://b.vn/'] });
    expect(moved).toEqual({ ...k, allowedOrigins: ['https://b.vn'], updatedAt: '2026-03-01T08:00:01.000Z' });
    expect(await siteKeys.get(k.key)).toEqual(moved);
    expect(isOriginAllowed(moved, 'https://a.vn')).toBe(false);
    expect(await siteKeys.anyAllowsOrigin('https://a.vn')).toBe(false);
    expect(await siteKeys.anyAllowsOrigin('https://b.vn')).toBe(true);

    expect((await rejection(siteKeys.update(k.key, { allowedOrigins: ['https://*.vn'] }))).code).toBe('invalid_input');
    expect((await rejection(siteKeys.update(k.key, { collections: ['ma'] }))).code).toBe('collection_not_found');
    expect((await rejection(siteKeys.update('tg_pub_khong', { title: 'x' }))).code).toBe('site_key_not_found');
    expect((await rejection(siteKeys.create({ title: 'x', collections: ['ma', 'tin-hoc'] }))).details).toEqual({ ids: ['ma'] });
    expect(await siteKeys.get(k.key)).toEqual(moved);
    expect(await siteKeys.list()).toHaveLength(1);
  });

  it('rotates a key: a new key with the same settings, the old one revoked and no longer allowing its origins', async () => {
    const { siteKeys, tick } = await open(adapter);
    const old = await siteKeys.create(
      { title: 'Moodle', allowedOrigins: ['https://lms.vn'], welcomeText: 'Xin chào', color: '#0A7' },
      'quan-3',
    );
    tick();
    const { key: _key, createdAt: _c, updatedAt: _u, centerId, ...settings } = old;
    const fresh = await siteKeys.create(settings, centerId);
    expect(fresh.key).not.toBe(old.key);
    expect(await siteKeys.delete(old.key)).toBe(true);
    expect(await siteKeys.delete(old.key)).toBe(false);
    expect(await siteKeys.get(old.key)).toBeUndefined();
    expect(await siteKeys.get(fresh.key)).toMatchObject({ ...settings, centerId: 'quan-3', color: '#0a7' });
    expect(await siteKeys.anyAllowsOrigin('https://lms.vn')).toBe(true);
    expect(await siteKeys.delete(fresh.key)).toBe(true);
    expect(await siteKeys.anyAllowsOrigin('https://lms.vn')).toBe(false);
  });

  it('creates, renames and lists collections per center in Vietnamese order, with their counts', async () => {
    const { store, collections, addCenter } = await open(adapter);
    await addCenter('quan-3', 'TTGDTX Quận 3');
    await collections.createCollection('tin-hoc', 'Tin học');
    await collections.createCollection('anh-van', 'Anh văn');
    await collections.createCollection('dia-ly', 'Địa lý');
    await collections.createCollection('quan-3.toan', 'Toán');
    const doc = makeDocument('tin-hoc/a.md', 'tin-hoc', ['Một.', 'Hai.']);
    await store.replaceDocument(doc.doc, doc.source, doc.chunks);

    // Đ sorts after D in Vietnamese (byte order would put it after every Latin letter).
    expect((await collections.listCollections('default')).map((c) => c.name)).toEqual(['Anh văn', 'Địa lý', 'Tin học']);
    expect(await collections.listCollections('quan-3')).toEqual([
      {
        id: 'quan-3.toan',
        name: 'Toán',
        documents: 0,
        chunks: 0,
        createdAt: '2026-03-01T08:00:00.000Z',
        centerId: 'quan-3',
        publishedAt: null,
      },
    ]);
    expect(await collections.getCollection('tin-hoc')).toMatchObject({ documents: 1, chunks: 2, centerId: 'default' });
    expect((await collections.listCollections()).map((c) => c.id)).toEqual(['anh-van', 'dia-ly', 'tin-hoc', 'quan-3.toan']);

    expect(await collections.renameCollection('tin-hoc', '  Tin học văn phòng ')).toMatchObject({
      id: 'tin-hoc',
      name: 'Tin học văn phòng',
    });
    expect((await rejection(collections.renameCollection('khong-co', 'X'))).code).toBe('collection_not_found');
    expect((await rejection(collections.renameCollection('tin-hoc', ' '))).code).toBe('invalid_input');
    expect((await rejection(collections.createCollection('tin-hoc', 'Lại'))).code).toBe('collection_exists');
    expect((await rejection(collections.createCollection('Tin Hoc', 'Sai'))).code).toBe('invalid_input');
    expect((await collections.getCollection('tin-hoc'))?.name).toBe('Tin học văn phòng');
  });

  it('deletes only an unused collection: not one with documents, nor one a site key is limited to', async () => {
    const { store, collections, siteKeys } = await open(adapter);
    await collections.createCollection('tin-hoc', 'Tin học');
    await collections.createCollection('trong', 'Trống');
    await collections.createCollection('khoa', 'Có khoá');
    const doc = makeDocument('tin-hoc/a.md', 'tin-hoc', ['Một.']);
    await store.replaceDocument(doc.doc, doc.source, doc.chunks);
    const k1 = await siteKeys.create({ title: 'B', collections: ['khoa'] });
    const k2 = await siteKeys.create({ title: 'A', collections: ['trong', 'khoa'] });

    expect(await rejection(collections.deleteCollection('tin-hoc'))).toMatchObject({ code: 'collection_not_empty' });
    const inUse = await rejection(collections.deleteCollection('khoa'));
    expect(inUse.code).toBe('collection_in_use');
    expect(inUse.details).toEqual({ id: 'khoa', siteKeys: [k1.key, k2.key].sort((a, b) => (a < b ? -1 : 1)) });
    expect((await rejection(collections.deleteCollection('khong-co'))).code).toBe('collection_not_found');

    await siteKeys.update(k2.key, { collections: ['khoa'] });
    await collections.deleteCollection('trong');
    expect(await collections.getCollection('trong')).toBeUndefined();
    expect((await collections.listCollections()).map((c) => c.id).sort()).toEqual(['khoa', 'tin-hoc']);
  });

  it('patches metadata field by field and refuses bad input without changing anything', async () => {
    const { collections, metadata } = await open(adapter);
    await collections.createCollection('tin-hoc', 'Tin học');
    expect(await metadata.get('tin-hoc')).toEqual({
      licence: 'center-only',
      attribution: '',
      description: '',
      about: [],
      educationalLevel: '',
      learningResourceType: '',
      inLanguage: '',
    });
    await metadata.update('tin-hoc', { licence: 'CC-BY-4.0', about: ['Tin học', 'Bảng tính'] });
    const patched = await metadata.update('tin-hoc', { attribution: 'TTGDTX Quận 3', inLanguage: 'vi' });
    expect(patched).toMatchObject({
      licence: 'CC-BY-4.0',
      about: ['Tin học', 'Bảng tính'],
      attribution: 'TTGDTX Quận 3',
      inLanguage: 'vi',
    });
    expect(await metadata.get('tin-hoc')).toEqual(patched);
    expect(await metadata.update('tin-hoc', {})).toEqual(patched);

    expect((await rejection(metadata.update('tin-hoc', { licence: 'GPL' } as never))).code).toBe('invalid_input');
    expect((await rejection(metadata.update('tin-hoc', { extra: 1 } as never))).code).toBe('invalid_input');
    expect((await rejection(metadata.update('khong-co', { description: 'x' }))).code).toBe('collection_not_found');
    expect(await metadata.get('tin-hoc')).toEqual(patched);
    expect(await metadata.get('khong-co')).toBeUndefined();
  });

  it('publishes and unpublishes: the catalogue lists open collections newest first, and unpublishing ends subscriptions', async () => {
    const { collections, metadata, sharing, tick, addCenter } = await open(adapter);
    await addCenter('quan-3', 'TTGDTX Quận 3');
    await addCenter('quan-5', 'TTGDTX Quận 5');
    await collections.createCollection('quan-3.tin-hoc', 'Tin học văn phòng');
    await collections.createCollection('quan-3.toan', 'Toán lớp 10');
    await collections.createCollection('quan-3.rieng', 'Riêng');
    await metadata.update('quan-3.tin-hoc', { licence: 'CC-BY-4.0', description: 'Bảng tính và soạn thảo', about: ['Excel'] });
    await metadata.update('quan-3.toan', { licence: 'CC-BY-SA-4.0' });

    await sharing.publish('quan-3.tin-hoc');
    tick();
    await sharing.publish('quan-3.toan');
    // Published but center-only: not open.
    await sharing.publish('quan-3.rieng');
    expect((await rejection(sharing.publish('khong-co'))).code).toBe('collection_not_found');
    const first = (await collections.getCollection('quan-3.tin-hoc'))?.publishedAt;
    tick();
    await sharing.publish('quan-3.tin-hoc');
    // Publishing again keeps the first publication time.
    expect((await collections.getCollection('quan-3.tin-hoc'))?.publishedAt).toBe(first);

    const catalogue = await sharing.catalogue();
    expect(catalogue.map((e) => e.id)).toEqual(['quan-3.toan', 'quan-3.tin-hoc']);
    expect(catalogue[1]).toMatchObject({
      centerName: 'TTGDTX Quận 3',
      licence: 'CC-BY-4.0',
      about: ['Excel'],
      subscribers: 0,
      documents: 0,
    });
    expect(await sharing.openCollection('quan-3.rieng')).toBeUndefined();
    expect((await sharing.openCollection('quan-3.toan'))?.name).toBe('Toán lớp 10');

    expect(await sharing.subscribe('quan-5', 'quan-3.tin-hoc')).toBe(true);
    expect(await sharing.subscribe('quan-5', 'quan-3.tin-hoc')).toBe(false);
    expect(await sharing.subscribe('default', 'quan-3.tin-hoc')).toBe(true);
    expect((await sharing.openCollection('quan-3.tin-hoc'))?.subscribers).toBe(2);
    expect(await sharing.unpublish('quan-3.tin-hoc')).toBe(2);
    expect(await sharing.subscriptions('quan-5')).toEqual([]);
    expect((await sharing.catalogue()).map((e) => e.id)).toEqual(['quan-3.toan']);
    expect((await rejection(sharing.unpublish('khong-co'))).code).toBe('collection_not_found');
  });

  it('searches the catalogue ignoring case and diacritics, in names, descriptions, subjects and owners', async () => {
    const { collections, metadata, sharing, addCenter } = await open(adapter);
    await addCenter('quan-3', 'Trung tâm Quận Ba');
    await collections.createCollection('quan-3.tin-hoc', 'Tin học văn phòng');
    await collections.createCollection('quan-3.dia', 'Địa lý');
    await metadata.update('quan-3.tin-hoc', { licence: 'CC-BY-4.0', about: ['Bảng tính'] });
    await metadata.update('quan-3.dia', { licence: 'CC-BY-NC-4.0', description: 'Bản đồ Việt Nam' });
    await sharing.publish('quan-3.tin-hoc');
    await sharing.publish('quan-3.dia');

    const ids = async (q: string) => (await sharing.catalogue(q)).map((e) => e.id).sort();
    expect(await ids('tin hoc')).toEqual(['quan-3.tin-hoc']);
    expect(await ids('VAN PHONG')).toEqual(['quan-3.tin-hoc']);
    expect(await ids('bang tinh')).toEqual(['quan-3.tin-hoc']);
    expect(await ids('dia ly')).toEqual(['quan-3.dia']);
    expect(await ids('ban do viet nam')).toEqual(['quan-3.dia']);
    expect(await ids('quan ba')).toEqual(['quan-3.dia', 'quan-3.tin-hoc']);
    expect(await ids('cc-by-nc')).toEqual(['quan-3.dia']);
    expect(await ids('toán')).toEqual([]);
    expect(await ids('  ')).toEqual(['quan-3.dia', 'quan-3.tin-hoc']);
  });

  it('subscribes and unsubscribes; learners see their own collections and open subscriptions of active centers only', async () => {
    const { store, collections, metadata, sharing, tick, addCenter } = await open(adapter);
    await addCenter('quan-3', 'TTGDTX Quận 3');
    await addCenter('quan-5', 'TTGDTX Quận 5');
    await collections.createCollection('quan-3.tin-hoc', 'Tin học');
    await collections.createCollection('quan-3.toan', 'Toán');
    await collections.createCollection('quan-5.van', 'Văn');
    for (const id of ['quan-3.tin-hoc', 'quan-3.toan']) {
      await metadata.update(id, { licence: 'CC-BY-4.0' });
      await sharing.publish(id);
    }
    expect(await learnerCollections(sharing, 'quan-5')).toEqual(['quan-5.van']);
    expect(await learnerCollections(sharing, 'khong-co')).toEqual([noCollection]);

    await sharing.subscribe('quan-5', 'quan-3.toan');
    tick();
    await sharing.subscribe('quan-5', 'quan-3.tin-hoc');
    expect(await sharing.subscriptions('quan-5')).toEqual([
      { collection: 'quan-3.toan', createdAt: '2026-03-01T08:00:00.000Z' },
      { collection: 'quan-3.tin-hoc', createdAt: '2026-03-01T08:00:01.000Z' },
    ]);
    expect(await sharing.subscribedOpenIds('quan-5')).toEqual(['quan-3.tin-hoc', 'quan-3.toan']);
    expect(await learnerCollections(sharing, 'quan-5')).toEqual(['quan-5.van', 'quan-3.tin-hoc', 'quan-3.toan']);
    expect(await learnerCollections(sharing, 'quan-5', ['quan-3.toan'])).toEqual(['quan-3.toan']);

    // A licence back to center-only closes it at once; a suspended owner hides everything it shares.
    await metadata.update('quan-3.toan', { licence: 'center-only' });
    expect(await sharing.subscribedOpenIds('quan-5')).toEqual(['quan-3.tin-hoc']);
    await store.sql.run("UPDATE centers SET status = 'suspended' WHERE id = ?", ['quan-3']);
    expect(await sharing.centerStatus('quan-3')).toBe('suspended');
    expect(await sharing.subscribedOpenIds('quan-5')).toEqual([]);
    expect(await sharing.catalogue()).toEqual([]);
    await store.sql.run("UPDATE centers SET status = 'active' WHERE id = ?", ['quan-3']);

    expect(await sharing.unsubscribe('quan-5', 'quan-3.tin-hoc')).toBe(true);
    expect(await sharing.unsubscribe('quan-5', 'quan-3.tin-hoc')).toBe(false);
    expect((await sharing.subscriptions('quan-5')).map((s) => s.collection)).toEqual(['quan-3.toan']);

    expect(await sharing.collectionCount()).toBe(3);
    expect(await sharing.ownIds('quan-3')).toEqual(['quan-3.tin-hoc', 'quan-3.toan']);
    expect(await sharing.centerName('quan-5')).toBe('TTGDTX Quận 5');
    expect(await sharing.centerName('khong-co')).toBe('khong-co');
    expect(await sharing.centerStatus('khong-co')).toBeUndefined();
    const origins = await sharing.origins(['quan-3.tin-hoc', 'khong-co', 'quan-3.tin-hoc']);
    expect([...origins.entries()]).toEqual([
      [
        'quan-3.tin-hoc',
        { collection: 'quan-3.tin-hoc', centerId: 'quan-3', centerName: 'TTGDTX Quận 3', licence: 'CC-BY-4.0', attribution: '' },
      ],
    ]);
    expect((await sharing.origins([])).size).toBe(0);

    // Deleting a subscribed collection ends its subscriptions with it.
    await collections.deleteCollection('quan-3.toan');
    expect(await sharing.subscriptions('quan-5')).toEqual([]);
  });
});
