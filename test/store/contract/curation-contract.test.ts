import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { OcrPageStore } from '../../../src/ocr/index.js';
import {
  blobPartBytes,
  defaultCenterId,
  DocumentValidityStore,
  VerifiedAnswerStore,
  type BlobStore,
  type FollowerStore,
  type Store,
} from '../../../src/store/index.js';
import type { SqlDb } from '../../../src/store/sql/index.js';
import { makeDocument } from '../store-helpers.js';
import { adapters, type Adapter } from './store-adapters.js';

const list = await adapters('cur');

/** What the curation repositories need of a store; both adapters have it. */
type CurationStore = Store & { readonly sql: SqlDb; readonly blobs: BlobStore; readonly followers: FollowerStore };

describe.each(list.map((a) => [a.name, a] as const))('the curation repositories on %s', (_name, adapter: Adapter) => {
  afterEach(async () => {
    await adapter.cleanup();
  });

  const open = async (): Promise<CurationStore> => {
    const store = (await adapter.open()) as CurationStore;
    // The thumbs of a verified answer are its messages' feedback. Until the conversations'
    // PostgreSQL migration lands beside this one, PostgreSQL gets a stand-in with the columns read.
    if (store.sql.dialect === 'postgres') await store.sql.run('CREATE TABLE IF NOT EXISTS feedback (message_id TEXT, rating TEXT)');
    return store;
  };

  it('creates, updates, retires and lists verified answers within one center', async () => {
    const store = await open();
    let clock = new Date('2025-03-01T08:00:00.000Z');
    const answers = new VerifiedAnswerStore(store.sql, () => clock);
    await store.sql.run("INSERT INTO centers (id, name, status, created_at) VALUES ('khac', 'Khác', 'active', '2025-01-01T00:00:00.000Z')");
    const d = makeDocument('quy-che', 'tin-hoc');
    await store.replaceDocument(d.doc, d.source, d.chunks);

    const created = await answers.create(
      defaultCenterId,
      {
        question: 'Học phí khóa tin học là bao nhiêu?',
        answer: '1.200.000 đồng.',
        phrasings: ['Khóa tin học giá bao nhiêu?'],
        collections: ['tin-hoc'],
        documentId: 'quy-che',
        page: 2,
        validUntil: '2025-12-31',
      },
      'co-lan',
    );
    expect(created).toMatchObject({
      centerId: defaultCenterId,
      phrasings: ['Khóa tin học giá bao nhiêu?'],
      collections: ['tin-hoc'],
      documentId: 'quy-che',
      page: 2,
      validFrom: null,
      validUntil: '2025-12-31',
      hitCount: 0,
      thumbsUp: 0,
      thumbsDown: 0,
      createdBy: 'co-lan',
      createdAt: '2025-03-01T08:00:00.000Z',
      updatedAt: '2025-03-01T08:00:00.000Z',
    });
    const other = await answers.create('khac', { question: 'Giờ mở cửa?', answer: '7 giờ.' }, 'thay-binh');
    const stampBefore = await answers.stamp(defaultCenterId);
    const otherStamp = await answers.stamp('khac');

    clock = new Date('2025-03-02T08:00:00.000Z');
    const updated = await answers.update(
      defaultCenterId,
      created.id,
      { answer: '1.300.000 đồng.', page: null, phrasings: [] },
      'thay-binh',
    );
    expect(updated).toMatchObject({
      answer: '1.300.000 đồng.',
      page: null,
      phrasings: [],
      validUntil: '2025-12-31',
      updatedBy: 'thay-binh',
    });
    expect(updated!.updatedAt).toBe('2025-03-02T08:00:00.000Z');
    // The stamp is read from the store: another process (a second connection) sees the change too.
    expect(await answers.stamp(defaultCenterId)).not.toBe(stampBefore);
    expect(await new VerifiedAnswerStore(store.sql).stamp(defaultCenterId)).toBe(await answers.stamp(defaultCenterId));
    expect(await answers.stamp('khac')).toBe(otherStamp);
    // Another center's answer is not there for this one: not read, not changed, not removed.
    expect(await answers.get(defaultCenterId, other.id)).toBeUndefined();
    expect(await answers.update(defaultCenterId, other.id, { answer: 'x' }, 'co-lan')).toBeUndefined();
    expect(await answers.remove(defaultCenterId, other.id)).toBe(false);
    expect((await answers.list(defaultCenterId)).map((a) => a.id)).toEqual([created.id]);
    expect((await answers.list('khac')).map((a) => a.answer)).toEqual(['7 giờ.']);

    // A deleted document's link reads as none; the answer stays.
    await store.removeDocument('quy-che');
    expect(await answers.get(defaultCenterId, created.id)).toMatchObject({ documentId: null, page: null });

    expect(await answers.remove(defaultCenterId, created.id)).toBe(true);
    expect(await answers.list(defaultCenterId)).toEqual([]);
    expect(await answers.remove(defaultCenterId, created.id)).toBe(false);
  });

  it('keeps validity dates of documents and leaves out the chunks of expired, future and replaced ones', async () => {
    const store = await open();
    const validity = new DocumentValidityStore(store.sql);
    const docs = {
      cu: makeDocument('cu', 'c', ['Cũ một.', 'Cũ hai.']),
      moi: makeDocument('moi', 'c', ['Mới.']),
      het: makeDocument('het', 'c', ['Hết hạn.']),
      sau: makeDocument('sau', 'c', ['Sắp có.']),
      thuong: makeDocument('thuong', 'c', ['Thường.']),
    };
    const seqs: Record<string, number[]> = {};
    for (const [id, d] of Object.entries(docs)) seqs[id] = (await store.replaceDocument(d.doc, d.source, d.chunks)).added;

    expect(await validity.update('het', { validUntil: '2025-01-31', lastChecked: '2025-01-02' })).toBe(true);
    expect(await validity.update('sau', { validFrom: '2025-09-01' })).toBe(true);
    expect(await validity.update('moi', { validFrom: '2025-06-01', replaces: 'cu' })).toBe(true);
    expect(await validity.update('khong-co', { validUntil: '2025-01-31' })).toBe(false);
    expect(await validity.update('thuong', {})).toBe(true);

    expect(await validity.get('het')).toEqual({
      documentId: 'het',
      validFrom: null,
      validUntil: '2025-01-31',
      lastChecked: '2025-01-02',
      replaces: null,
    });
    expect(await validity.get('khong-co')).toBeUndefined();
    expect([...(await validity.dated()).keys()].sort()).toEqual(['het', 'moi', 'sau']);

    const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
    // Before June: the old handbook answers, the new one is not valid yet.
    expect(sorted(await validity.excludedChunkSeqs('2025-03-01'))).toEqual(
      [...seqs.moi!, ...seqs.het!, ...seqs.sau!].sort((a, b) => a - b),
    );
    // From June the new one replaces it.
    expect(sorted(await validity.excludedChunkSeqs('2025-06-01'))).toEqual([...seqs.cu!, ...seqs.het!, ...seqs.sau!].sort((a, b) => a - b));

    // A re-upload keeps the dates; null clears one.
    await store.replaceDocument(docs.het.doc, docs.het.source, docs.het.chunks);
    expect((await validity.get('het'))?.validUntil).toBe('2025-01-31');
    await validity.update('het', { validUntil: null });
    expect((await validity.get('het'))?.validUntil).toBeNull();
  });

  it('records the OCR pages of each document with their confidence', async () => {
    const store = await open();
    const ocr = new OcrPageStore(store.sql);
    for (const id of ['scan', 'anh']) {
      const d = makeDocument(id, 'c');
      await store.replaceDocument(d.doc, d.source, d.chunks);
    }
    await ocr.replace('scan', {
      pages: [
        { page: 1, confidence: 91.25, lowConfidence: false },
        { page: 2, confidence: 48.5, lowConfidence: true },
        { page: 3, confidence: 88, lowConfidence: false },
      ],
    });
    await ocr.replace('anh', { pages: [{ page: 1, confidence: 77.7, lowConfidence: false }] });
    expect(await ocr.all()).toEqual(
      new Map([
        ['anh', { pages: 1, meanConfidence: 77.7, lowConfidencePages: [] }],
        ['scan', { pages: 3, meanConfidence: 75.9, lowConfidencePages: [2] }],
      ]),
    );
    // Re-read with a text layer: no OCR page left; a deleted document takes its pages with it.
    await ocr.replace('scan', undefined);
    await store.removeDocument('anh');
    expect(await ocr.all()).toEqual(new Map());
  });

  it('stores bytes in parts and reads them from any offset, whole, or a part at a time', async () => {
    const store = await open();
    const { doc, chunks } = makeDocument('pdf', 'c');
    const source = randomBytes(2 * blobPartBytes + 100);
    await store.replaceDocument(doc, source, chunks);
    const { blobs } = store;

    expect(await blobs.size(doc.contentHash, 'source')).toBe(source.length);
    expect(await blobs.size(doc.contentHash, 'page-v1-markdown')).toBeUndefined();
    // A read from an offset ends where its part ends: a Range reader asks again from there.
    expect((await blobs.readFrom(doc.contentHash, 'source', 10))!.equals(source.subarray(10, blobPartBytes))).toBe(true);
    expect(
      (await blobs.readFrom(doc.contentHash, 'source', blobPartBytes))!.equals(source.subarray(blobPartBytes, 2 * blobPartBytes)),
    ).toBe(true);
    expect((await blobs.readFrom(doc.contentHash, 'source', source.length - 1))!.equals(source.subarray(-1))).toBe(true);
    expect(await blobs.readFrom(doc.contentHash, 'source', source.length)).toBeUndefined();
    expect((await blobs.readAll(doc.contentHash, 'source'))!.equals(source)).toBe(true);
    let pauses = 0;
    const sliced = await blobs.readAllInSlices(doc.contentHash, 'source', async () => {
      pauses++;
    });
    expect(sliced!.equals(source)).toBe(true);
    expect(pauses).toBe(3);
    expect((await store.getDocumentSource('pdf'))!.equals(source)).toBe(true);

    // A rendered page is kept while a document holds the hash, and goes with it.
    expect(await blobs.putDerived(doc.contentHash, 'page-v1-markdown', Buffer.from('<p>trang</p>'))).toBe(true);
    expect((await blobs.readAll(doc.contentHash, 'page-v1-markdown'))!.toString()).toBe('<p>trang</p>');
    await store.removeDocument('pdf');
    expect(await blobs.size(doc.contentHash, 'source')).toBeUndefined();
    expect(await blobs.size(doc.contentHash, 'page-v1-markdown')).toBeUndefined();
    expect(await blobs.putDerived(doc.contentHash, 'page-v1-markdown', Buffer.from('<p>trang</p>'))).toBe(false);
    expect(await blobs.size(doc.contentHash, 'page-v1-markdown')).toBeUndefined();
  });

  it('keeps a registry of followers: heartbeats, stale ones ignored, and the change log kept for the oldest live one', async () => {
    const store = await open();
    const { followers } = store;
    expect(await followers.oldestNeeded()).toBeUndefined();
    expect(await followers.report('f1', 101, 0)).toBe(true);
    expect(await followers.report('f2', 102, 5)).toBe(true);
    expect(await followers.report('f1', 101, 3)).toBe(true);
    // One killed a while ago: its heartbeat is old, it holds nothing back.
    await store.sql.run('INSERT INTO index_followers (id, pid, generation, heartbeat_ms) VALUES (?, ?, ?, ?)', [
      'f0',
      100,
      1,
      Date.now() - 120_000,
    ]);
    expect(await followers.oldestNeeded()).toBe(3);
    expect(await followers.oldestNeeded(600_000)).toBe(1);
    expect((await followers.list()).map((f) => [f.id, f.pid, f.generation])).toEqual([
      ['f0', 100, 1],
      ['f1', 101, 3],
      ['f2', 102, 5],
    ]);
    expect((await followers.list())[1]!.heartbeatMs).toBeGreaterThan(Date.now() - 60_000);

    await followers.remove('f2');
    await followers.remove('f0');
    await followers.report('f1', 101, 1);
    for (const id of ['a', 'b', 'c']) {
      const d = makeDocument(id, 'c');
      await store.replaceDocument(d.doc, d.source, d.chunks);
    }
    // The writer trims after saving its indexes: never past what f1 still has to apply.
    await store.trimChanges(await store.generation());
    expect((await store.changesSince(1))?.map((c) => c.generation)).toEqual([2, 3]);
    await followers.remove('f1');
    await store.trimChanges(await store.generation());
    expect(await store.changesSince(1)).toBeUndefined();
  });
});
