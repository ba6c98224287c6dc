import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { allChunks, type ChunkRecord, type Store, type StoredChunk } from '../../../src/store/index.js';
import { makeDocument } from '../store-helpers.js';
import { adapters, postgresUnavailable, type Adapter } from './store-adapters.js';

const list = await adapters('store');
const skippedPostgres = list.length === 1 ? await postgresUnavailable() : null;

/** A chunk without its vector, as `getChunks` returns it. */
const record = (c: StoredChunk): ChunkRecord => {
  const { vector: _vector, ...rest } = c;
  return rest;
};

async function all(store: Store): Promise<StoredChunk[]> {
  const out: StoredChunk[] = [];
  for await (const c of allChunks(store, 2)) out.push(c);
  return out;
}

describe.each(list.map((a) => [a.name, a] as const))('the store contract on %s', (_name, adapter: Adapter) => {
  afterEach(async () => {
    await adapter.cleanup();
  });

  it('replaces a document: the old chunks are removed, the new ones added, each change logged in order', async () => {
    const store = await adapter.open();
    expect(await store.generation()).toBe(0);
    const v1 = makeDocument('d1', 'tin-hoc', ['Một.', 'Hai.', 'Ba.']);
    const first = await store.replaceDocument(v1.doc, v1.source, v1.chunks);
    expect(first.removed).toEqual([]);
    expect(first.added).toHaveLength(3);
    expect(await store.generation()).toBe(3);
    expect(await store.getDocument('d1')).toEqual({ ...v1.doc, chunkCount: 3 });

    const v2 = makeDocument('d1', 'tin-hoc', ['Bốn.', 'Năm.']);
    v2.doc.contentHash = 'hash-d1-v2';
    const second = await store.replaceDocument(v2.doc, v2.source, v2.chunks);
    expect(second.removed.map((c) => c.seq)).toEqual(first.added);
    expect(second.removed.map((c) => c.text)).toEqual(['Một.', 'Hai.', 'Ba.']);
    // Sequence numbers are never reused: a new chunk is a new number.
    expect(Math.min(...second.added)).toBeGreaterThan(Math.max(...first.added));
    expect((await store.chunksOfDocument('d1')).map((c) => c.text)).toEqual(['Bốn.', 'Năm.']);

    const changes = await store.changesSince(0);
    expect(changes?.map((c) => [c.generation, c.op, c.seq])).toEqual([
      ...first.added.map((seq, i) => [i + 1, 'add', seq]),
      ...first.added.map((seq, i) => [i + 4, 'remove', seq]),
      ...second.added.map((seq, i) => [i + 7, 'add', seq]),
    ]);
    expect(changes?.[3]?.removed).toEqual({
      title: v1.chunks[0]!.title,
      headingPath: v1.chunks[0]!.headingPath,
      text: 'Một.',
      collection: 'tin-hoc',
    });
    expect(await store.changesSince(6)).toHaveLength(2);
    expect(await store.changesSince(8)).toEqual([]);
  });

  it('removes a document with its chunks and bytes; removing it again is undefined', async () => {
    const store = await adapter.open();
    const a = makeDocument('a', 'chung', ['x', 'y']);
    const b = makeDocument('b', 'chung', ['z']);
    const added = (await store.replaceDocument(a.doc, a.source, a.chunks)).added;
    await store.replaceDocument(b.doc, b.source, b.chunks);
    const delta = await store.removeDocument('a');
    expect(delta?.added).toEqual([]);
    expect(delta?.removed.map((c) => c.seq)).toEqual(added);
    expect(delta?.removed[0]?.vector).toEqual(a.chunks[0]!.vector);
    expect(await store.getDocument('a')).toBeUndefined();
    expect(await store.getDocumentSource('a')).toBeUndefined();
    expect(await store.getChunks(added)).toEqual([]);
    expect(await store.removeDocument('a')).toBeUndefined();
    expect((await store.listDocuments()).map((d) => d.id)).toEqual(['b']);
    expect(await store.countChunks()).toBe(1);
    expect(await store.listCollections()).toEqual([{ id: 'chung', documents: 1 }]);
  });

  it('lists documents and collections in the same (byte) order on both adapters', async () => {
    const store = await adapter.open();
    for (const [id, collection, title] of [
      ['d1', 'toan', 'Đại số'],
      ['d2', 'anh-van', 'b title'],
      ['d3', 'toan', 'An toàn'],
      ['d4', 'trung-tam-2.ly', 'Z'],
    ] as const) {
      const d = makeDocument(id, collection);
      d.doc.title = title;
      await store.replaceDocument(d.doc, d.source, d.chunks);
    }
    expect((await store.listDocuments()).map((d) => d.id)).toEqual(['d2', 'd3', 'd1', 'd4']);
    expect((await store.listDocuments('toan')).map((d) => d.title)).toEqual(['An toàn', 'Đại số']);
    expect(await store.listCollections()).toEqual([
      { id: 'anh-van', documents: 1 },
      { id: 'toan', documents: 2 },
      { id: 'trung-tam-2.ly', documents: 1 },
    ]);
  });

  it('returns chunks in the order asked, skips missing ones, and round-trips vectors and folded terms exactly', async () => {
    const store = await adapter.open();
    const d = makeDocument('d', 'chung', ['Học phí là 1.200.000 đồng.', 'Lịch học buổi tối.', 'Phòng máy tầng hai.']);
    d.chunks.forEach((c, i) => {
      c.vector = Float32Array.from({ length: 512 }, (_, j) => Math.fround(Math.sin(i * 1000 + j) / 3) * (j % 7 === 0 ? 1e-30 : 1));
      c.foldedTerms = i === 1 ? undefined : `hoc phi ${i}`;
      c.pageStart = i === 2 ? null : i + 1;
      c.headingPath = ['Chương 1', `Mục ${i}`];
    });
    const { added } = await store.replaceDocument(d.doc, d.source, d.chunks);
    const got = await store.getChunks([added[2]!, 999_999, added[0]!]);
    expect(got.map((c) => c.seq)).toEqual([added[2], added[0]]);
    expect(got[0]).toEqual({ ...record({ ...d.chunks[2]!, seq: added[2]! } as StoredChunk), foldedTerms: 'hoc phi 2' });
    const stored = (await store.getChunk(added[0]!))!;
    expect(stored.vector).toBeInstanceOf(Float32Array);
    expect(
      Buffer.from(stored.vector.buffer, stored.vector.byteOffset, stored.vector.byteLength).equals(Buffer.from(d.chunks[0]!.vector.buffer)),
    ).toBe(true);
    expect((await store.getChunk(added[1]!))!.foldedTerms).toBeUndefined();
    expect((await store.chunksWithoutFoldedTerms(10)).map((c) => c.seq)).toEqual([added[1]]);
    await store.setFoldedTerms([[added[1]!, 'lich hoc']]);
    expect(await store.chunksWithoutFoldedTerms(10)).toEqual([]);
    expect((await store.getChunks([added[1]!]))[0]!.foldedTerms).toBe('lich hoc');
  });

  it('pages through every chunk in sequence order (chunksAfter)', async () => {
    const store = await adapter.open();
    for (const id of ['a', 'b', 'c']) {
      const d = makeDocument(id, 'chung', ['1', '2', '3']);
      await store.replaceDocument(d.doc, d.source, d.chunks);
    }
    await store.removeDocument('b');
    const chunks = await all(store);
    expect(chunks.map((c) => c.id)).toEqual(['a#0', 'a#1', 'a#2', 'c#0', 'c#1', 'c#2']);
    expect(chunks.map((c) => c.seq)).toEqual([...chunks.map((c) => c.seq)].sort((x, y) => x - y));
    expect(await store.chunksAfter(chunks[4]!.seq, 10)).toHaveLength(1);
    expect(await store.countChunks()).toBe(6);
  });

  it('trims the change log but keeps its latest entry; a generation before the log is undefined (rebuild)', async () => {
    const store = await adapter.open();
    for (const id of ['a', 'b', 'c']) {
      const d = makeDocument(id, 'chung', ['1', '2']);
      await store.replaceDocument(d.doc, d.source, d.chunks);
    }
    expect(await store.generation()).toBe(6);
    await store.trimChanges(4);
    expect(await store.changesSince(4)).toHaveLength(2);
    expect(await store.changesSince(2)).toBeUndefined();
    await store.trimChanges(6);
    expect((await store.changesSince(5))?.map((c) => c.generation)).toEqual([6]);
    expect(await store.changesSince(6)).toEqual([]);
    expect(await store.changesSince(7)).toBeUndefined(); // indexes newer than the store
    expect(await store.generation()).toBe(6);
    const d = makeDocument('d', 'chung', ['x']);
    await store.replaceDocument(d.doc, d.source, d.chunks);
    expect((await store.changesSince(6))?.map((c) => c.generation)).toEqual([7]);
  });

  it('keeps settings', async () => {
    const store = await adapter.open();
    expect(await store.getSetting('vectors.embedder')).toBeUndefined();
    await store.setSetting('vectors.embedder', 'local-512');
    await store.setSetting('vectors.embedder', 'local-768');
    await store.setSetting('corpus.firstStart', 'done');
    expect(await store.getSetting('vectors.embedder')).toBe('local-768');
    const again = await adapter.reopen(store);
    expect(await again.getSetting('corpus.firstStart')).toBe('done');
  });

  it('stores large source bytes exactly, read whole or part by part; documents sharing bytes share them', async () => {
    const store = await adapter.open();
    const big = randomBytes(5 * 64 * 1024 + 321);
    const a = makeDocument('a', 'chung');
    const b = makeDocument('b', 'chung');
    a.doc.contentHash = b.doc.contentHash = 'shared-hash';
    a.doc.bytes = b.doc.bytes = big.length;
    await store.replaceDocument(a.doc, big, a.chunks);
    await store.replaceDocument(b.doc, big, b.chunks);
    expect((await store.getDocumentSource('a'))!.equals(big)).toBe(true);
    let pauses = 0;
    const sliced = await store.getDocumentSourceInSlices('b', async () => {
      pauses++;
    });
    expect(sliced!.equals(big)).toBe(true);
    expect(pauses).toBeGreaterThanOrEqual(6);
    await store.removeDocument('a');
    expect((await store.getDocumentSource('b'))!.equals(big)).toBe(true);
    const empty = makeDocument('e', 'chung');
    await store.replaceDocument(empty.doc, new Uint8Array(0), empty.chunks);
    expect((await store.getDocumentSource('e'))!.length).toBe(0);
  });

  it('a write that fails leaves nothing behind: no document, chunk, bytes or change', async () => {
    const store = await adapter.open();
    const ok = makeDocument('ok', 'chung');
    await store.replaceDocument(ok.doc, ok.source, ok.chunks);
    const before = { docs: await store.listDocuments(), gen: await store.generation(), chunks: await all(store) };
    const bad = makeDocument('bad', 'chung', ['a', 'b']);
    bad.chunks[1]!.id = bad.chunks[0]!.id; // a duplicate chunk id: the second insert fails
    await expect(store.replaceDocument(bad.doc, randomBytes(100_000), bad.chunks)).rejects.toThrow();
    // Replacing an existing document and failing keeps the old version whole.
    const broken = makeDocument('ok', 'chung', ['x', 'y']);
    broken.doc.contentHash = 'other-hash';
    broken.chunks[1]!.id = broken.chunks[0]!.id;
    await expect(store.replaceDocumentInSlices(broken.doc, broken.source, broken.chunks, async () => {})).rejects.toThrow();
    expect({ docs: await store.listDocuments(), gen: await store.generation(), chunks: await all(store) }).toEqual(before);
    expect(await store.getDocument('bad')).toBeUndefined();
    expect((await store.getDocumentSource('ok'))!.equals(Buffer.from(ok.source))).toBe(true);
    expect(await store.changesSince(0)).toHaveLength(1);
  });

  it('serialises concurrent writes: every change logged once, generations gapless in commit order', async () => {
    const store = await adapter.open();
    const other = await adapter.reopen(store);
    const writes = Array.from({ length: 12 }, (_, i) => {
      const d = makeDocument(
        `d${i % 6}`,
        'chung',
        Array.from({ length: 1 + (i % 3) }, (_, j) => `doc ${i} chunk ${j}`),
      );
      d.doc.contentHash = `hash-${i}`;
      return (i % 2 === 0 ? store : other).replaceDocument(d.doc, d.source, d.chunks);
    });
    const deltas = await Promise.all(writes);
    const changes = (await store.changesSince(0))!;
    expect(changes.map((c) => c.generation)).toEqual(changes.map((_, i) => i + 1));
    expect(await store.generation()).toBe(changes.length);
    expect(changes.length).toBe(deltas.reduce((n, d) => n + d.added.length + d.removed.length, 0));
    // Replaying the log gives exactly the stored chunks.
    const live = new Set<number>();
    for (const c of changes) c.op === 'add' ? live.add(c.seq) : live.delete(c.seq);
    expect([...live].sort((a, b) => a - b)).toEqual((await all(store)).map((c) => c.seq));
    expect(await store.countChunks()).toBe((await store.listDocuments()).reduce((n, d) => n + d.chunkCount, 0));
  });

  it('recounts chunk counts', async () => {
    const store = await adapter.open();
    const d = makeDocument('d', 'chung', ['1', '2']);
    await store.replaceDocument(d.doc, d.source, d.chunks);
    expect(await store.recountChunks()).toBe(0);
    expect((await store.getDocument('d'))!.chunkCount).toBe(2);
  });
});

if (skippedPostgres) it.skip(`the store contract on postgres: ${skippedPostgres}`, () => {});

afterAll(async () => {
  for (const a of list) await a.cleanup();
});
