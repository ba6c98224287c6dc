import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { blobPartBytes, type SqliteStore } from '../../src/store/index.js';
import { spaceReserveBytes } from '../../src/store/space-reserve.js';
import { makeDocument, openTempStore } from './store-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const temp = () => {
  const t = openTempStore('trogiang-blobs-');
  cleanups.push(() => t.cleanup());
  return t;
};
const partCount = (store: SqliteStore, hash: string) =>
  (store.db.prepare('SELECT count(*) AS n FROM blob_parts WHERE hash = ?').get(hash) as { n: number }).n;

describe('stored bytes in parts (schema 4)', () => {
  it('moves sources written before schema 4 into parts, byte for byte, and empties the old column', async () => {
    const t = temp();
    t.store.close();
    // A data folder at schema 3 with a 200 KB source (four parts) shared by two documents, and a small one.
    // Made from the first three migrations, as an old release wrote it (later ones run on reopening).
    for (const suffix of ['', '-wal', '-shm']) rmSync(t.path + suffix, { force: true });
    const db = new Database(t.path);
    for (const m of migrations.slice(0, 3)) db.exec(m);
    db.pragma('user_version = 3');
    const big = randomBytes(200 * 1024);
    const insert = db.prepare(
      `INSERT INTO documents (id, collection, title, file_name, format, content_hash, bytes, pages, chunk_count, source, created_at, updated_at)
       VALUES (?, 'c', 't', ?, 'pdf', ?, ?, 1, 0, ?, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`,
    );
    db.prepare("INSERT INTO collections (id, name, created_at) VALUES ('c', 'c', '2024-01-01T00:00:00.000Z')").run();
    insert.run('a', 'a.pdf', 'h-big', big.length, big);
    insert.run('b', 'b.pdf', 'h-big', big.length, big);
    insert.run('s', 's.md', 'h-small', 3, Buffer.from('abc'));
    db.close();

    const store = t.reopen();
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect((await store.getDocumentSource('a'))!.equals(big)).toBe(true);
    expect((await store.getDocumentSource('b'))!.equals(big)).toBe(true);
    expect((await store.getDocumentSource('s'))!.toString()).toBe('abc');
    expect(partCount(store, 'h-big')).toBe(Math.ceil(big.length / blobPartBytes));
    expect((store.db.prepare('SELECT max(length(source)) AS n FROM documents').get() as { n: number }).n).toBe(0);
    // Reads from any offset end at the part's end.
    expect(await store.blobs.size('h-big', 'source')).toBe(big.length);
    expect(
      (await store.blobs.readFrom('h-big', 'source', blobPartBytes - 10))!.equals(big.subarray(blobPartBytes - 10, blobPartBytes)),
    ).toBe(true);
    expect(await store.blobs.readFrom('h-big', 'source', big.length)).toBeUndefined();

    // Parts live while a document holds their hash.
    await store.removeDocument('a');
    expect(partCount(store, 'h-big')).toBe(4);
    await store.removeDocument('b');
    expect(partCount(store, 'h-big')).toBe(0);
  });

  it("replacing a document drops the old version's parts and rendered pages; a derived blob is refused for a hash no document holds", async () => {
    const t = temp();
    const d = makeDocument('d1', 'c');
    await t.store.replaceDocument(d.doc, d.source, d.chunks);
    expect(await t.store.blobs.putDerived(d.doc.contentHash, 'page-v1-markdown', Buffer.from('<p>x</p>'))).toBe(true);
    expect(partCount(t.store, d.doc.contentHash)).toBe(2);
    const v2 = { ...d.doc, contentHash: 'hash-d1-v2' };
    await t.store.replaceDocument(v2, new TextEncoder().encode('v2'), d.chunks);
    expect(partCount(t.store, d.doc.contentHash)).toBe(0);
    expect((await t.store.getDocumentSource('d1'))!.toString()).toBe('v2');
    expect(await t.store.blobs.putDerived(d.doc.contentHash, 'page-v1-markdown', Buffer.from('<p>x</p>'))).toBe(false);
    expect(partCount(t.store, d.doc.contentHash)).toBe(0);
  });

  it('stores a rendered page while a sliced upload holds its transaction open (a savepoint in it, not a second BEGIN)', async () => {
    const t = temp();
    const a = makeDocument('a', 'c');
    await t.store.replaceDocument(a.doc, a.source, a.chunks);
    const b = makeDocument('b', 'c');
    let stored: boolean | undefined;
    await t.store.replaceDocumentInSlices(b.doc, b.source, b.chunks, async () => {
      stored ??= await t.store.blobs.putDerived(a.doc.contentHash, 'page-v1-markdown', Buffer.from('<p>a</p>'));
    });
    expect(stored).toBe(true);
    expect((await t.store.blobs.readAll(a.doc.contentHash, 'page-v1-markdown'))!.toString()).toBe('<p>a</p>');
    expect((await t.store.getDocument('b'))?.id).toBe('b');
  });

  it('keeps a space reserve in the data folder', () => {
    const t = temp();
    const reserve = join(t.dir, 'space-reserve');
    expect(existsSync(reserve)).toBe(true);
    expect(statSync(reserve).size).toBe(spaceReserveBytes);
    expect(t.store.reserve!.held()).toBe(true);
  });
  it('reads a source part by part between pauses into the same bytes, and gives undefined once the document is replaced', async () => {
    const t = temp();
    const { doc, chunks } = makeDocument('lon', 'c');
    const source = randomBytes(3 * blobPartBytes + 123);
    await t.store.replaceDocument(doc, source, chunks);
    let pauses = 0;
    const read = await t.store.getDocumentSourceInSlices('lon', async () => {
      pauses++;
    });
    expect(read?.equals(source)).toBe(true);
    expect(pauses).toBe(4);
    // Replaced during the read: its parts are dropped with the old hash, and the reader says so.
    const replaced = makeDocument('lon', 'c', ['Nội dung mới.']);
    replaced.doc.contentHash = 'hash-lon-2';
    const partial = await t.store.blobs.readAllInSlices(doc.contentHash, 'source', async () => {
      if ((await t.store.getDocument('lon'))?.contentHash === doc.contentHash)
        await t.store.replaceDocument(replaced.doc, replaced.source, replaced.chunks);
    });
    expect(partial).toBeUndefined();
    expect(await t.store.getDocumentSourceInSlices('khong-co', async () => {})).toBeUndefined();
  });
});
