import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../src/answer/index.js';
import { Engine, type IngestItem } from '../../src/engine/index.js';
import { badFileCases, makeDocx, makeVietnamesePdf, sampleDocx, samplePdfPages } from '../support/make-fixtures.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { openSqliteStore } from '../../src/store/index.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'trogiang-engine-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const text = (fileName: string, body: string, collection = 'chung'): IngestItem => ({
  bytes: Buffer.from(body, 'utf8'),
  fileName,
  collection,
});

async function collect(events: AsyncIterable<AnswerEvent>): Promise<AnswerEvent[]> {
  const out: AnswerEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('Engine', () => {
  it('ingests a PDF and answers a question typed without diacritics, citing the page', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    const [outcome] = await engine.ingest([{ bytes: await makeVietnamesePdf(), fileName: 'tin-hoc.pdf', collection: 'tin-hoc' }]);
    expect(outcome?.status).toBe('added');
    const events = await collect(engine.ask('go tieng viet co dau can cai bo go gi'));
    const done = events.at(-1);
    expect(events[0]?.type).toBe('sources');
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') throw new Error('no done event');
    expect(done.answerable).toBe(true);
    expect(done.answer).toContain('Unikey');
    expect(done.citations[0]?.page).toBe(3);
    expect(done.answer).toMatch(/\[1\]/);
    await engine.close();
  });

  it('skips an unchanged file and replaces a changed one atomically', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    const first = await engine.ingest([text('lich.txt', 'Lịch học buổi tối bắt đầu lúc 18 giờ.\n\nLớp học vào thứ Hai.')]);
    expect(first[0]?.status).toBe('added');
    const again = await engine.ingest([text('lich.txt', 'Lịch học buổi tối bắt đầu lúc 18 giờ.\n\nLớp học vào thứ Hai.')]);
    expect(again[0]?.status).toBe('unchanged');
    const changed = await engine.ingest([text('lich.txt', 'Lịch học buổi tối bắt đầu lúc 19 giờ 30.')]);
    expect(changed[0]?.status).toBe('replaced');
    const hits = await engine.retrieve('buoi toi bat dau luc may gio', { k: 5 });
    expect(hits.results.map((r) => r.chunk.text).join(' ')).toContain('19 giờ 30');
    expect(hits.results.map((r) => r.chunk.text).join(' ')).not.toContain('18 giờ');
    expect(await engine.store.listDocuments()).toHaveLength(1);
    expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    await engine.close();
  });

  it('refuses every bad file with its code and changes nothing', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await engine.ingest([text('goc.txt', 'Tài liệu gốc về học phí của trung tâm.')]);
    const before = JSON.stringify({ docs: await engine.store.listDocuments(), gen: await engine.store.generation(), n: engine.bm25.size });
    for (const bad of await badFileCases()) {
      const [outcome] = await engine.ingest([{ bytes: bad.bytes, fileName: bad.fileName, collection: 'chung' }], undefined, {
        limits: bad.limits,
      });
      expect(outcome?.status, bad.description).toBe('failed');
      if (outcome?.status === 'failed') {
        expect(outcome.code, bad.description).toBe(bad.expectedCode);
        expect(outcome.messageVi.length).toBeGreaterThan(0);
      }
    }
    const after = JSON.stringify({ docs: await engine.store.listDocuments(), gen: await engine.store.generation(), n: engine.bm25.size });
    expect(after).toBe(before);
    expect((await storeAndIndexesAgree(engine)).ok).toBe(true);
    await engine.close();
  });

  it('keeps Word headings in the chunks and filters by collection', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await engine.ingest([
      { bytes: await makeDocx(), fileName: 'bang-tinh.docx', collection: 'tin-hoc' },
      text('lich-su.txt', 'Chiến thắng Điện Biên Phủ năm 1954 kết thúc cuộc kháng chiến chống Pháp.', 'lich-su'),
    ]);
    const chunks = await engine.store.chunksOfDocument((await engine.store.listDocuments('tin-hoc'))[0]!.id);
    expect(chunks.some((c) => c.headingPath.includes(sampleDocx.heading2) && c.headingPath.includes(sampleDocx.heading1))).toBe(true);
    const onlyHistory = await engine.retrieve('bảng tính công thức', { collections: ['lich-su'], k: 5 });
    expect(onlyHistory.results.every((r) => r.chunk.collection === 'lich-su')).toBe(true);
    await engine.close();
  });

  it('declines a question the materials do not cover, in the question language', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await engine.ingest([{ bytes: await makeVietnamesePdf(), fileName: 'tin-hoc.pdf', collection: 'chung' }]);
    const vi = (await collect(engine.ask('Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?'))).at(-1);
    expect(vi).toMatchObject({ type: 'done', answerable: false, citations: [] });
    if (vi?.type === 'done') expect(vi.answer).toContain('Tài liệu của trung tâm chưa có thông tin này');
    const en = (await collect(engine.ask('What is the weather forecast for tomorrow in Paris?'))).at(-1);
    if (en?.type === 'done') expect(en.answer).toContain("The center's materials do not cover this");
    await engine.close();
  });

  it('reopens from saved indexes, and rebuilds them from the store when they are gone or stale', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await engine.ingest([{ bytes: await makeVietnamesePdf(), fileName: 'tin-hoc.pdf', collection: 'chung' }]);
    const query = 'hệ điều hành quản lý tài nguyên';
    const expected = (await engine.retrieve(query)).results.map((r) => r.chunk.id);
    await engine.close();

    const logs: string[] = [];
    const reopened = await Engine.open({ store: openSqliteStore(dataDir), dataDir, log: (m) => logs.push(m) });
    expect((await reopened.retrieve(query)).results.map((r) => r.chunk.id)).toEqual(expected);
    expect(logs.join('\n')).not.toMatch(/rebuild/);
    await reopened.close();

    rmSync(join(dataDir, 'indexes'), { recursive: true });
    const rebuilt = await Engine.open({ store: openSqliteStore(dataDir), dataDir, log: (m) => logs.push(m) });
    expect(logs.join('\n')).toMatch(/rebuilding indexes from the store/);
    expect((await rebuilt.retrieve(query)).results[0]?.chunk.id).toBe(expected[0]);
    expect((await storeAndIndexesAgree(rebuilt)).ok).toBe(true);
    await rebuilt.close();

    // A manifest from other settings (here: another chunk size) is refused and rebuilt.
    const resized = await Engine.open({
      store: openSqliteStore(dataDir),
      dataDir,
      chunker: { maxChars: 400, overlapChars: 0 },
      log: (m) => logs.push(m),
    });
    expect(logs.at(-1)).toMatch(/chunker settings changed|rebuilding/);
    expect((await storeAndIndexesAgree(resized)).ok).toBe(true);
    await resized.close();
  });

  it('removes a document from the store and both indexes', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await engine.ingest([text('a.txt', 'Thư viện mở cửa từ 7 giờ 30 đến 17 giờ.'), text('b.txt', 'Phòng máy tính nằm ở tầng hai.')]);
    const id = (await engine.store.listDocuments()).find((d) => d.fileName === 'a.txt')!.id;
    expect(await engine.removeDocument(id)).toBe(true);
    const hits = await engine.retrieve('thư viện mở cửa', { k: 5 });
    expect(hits.results.every((r) => r.chunk.documentId !== id)).toBe(true);
    expect((await storeAndIndexesAgree(engine)).ok).toBe(true);
    expect(await engine.removeDocument(id)).toBe(false);
    await engine.close();
    const reopened = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    expect(reopened.bm25.size).toBe(await reopened.store.countChunks());
    await reopened.close();
  });

  it('catches the indexes up from the change log after a crash between store and index writes', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await engine.ingest([text('a.txt', 'Bài một: phép cộng phân số.')]);
    const saved = readdirSync(join(dataDir, 'indexes'));
    // Simulate a crash: the store commits, the process dies before saving indexes.
    (engine as unknown as { save: () => void }).save = () => {};
    await engine.ingest([text('b.txt', 'Bài hai: phép nhân phân số.')]);
    await engine.removeDocument((await engine.store.listDocuments()).find((d) => d.fileName === 'a.txt')!.id);
    engine.store.close();
    expect(readdirSync(join(dataDir, 'indexes'))).toEqual(saved);
    const logs: string[] = [];
    const reopened = await Engine.open({ store: openSqliteStore(dataDir), dataDir, log: (m) => logs.push(m) });
    expect(logs.join('\n')).toMatch(/caught up with \d+ stored changes/);
    expect(await storeAndIndexesAgree(reopened)).toEqual({ ok: true, problems: [] });
    expect((await reopened.retrieve('phép nhân')).results[0]?.chunk.text).toContain('phép nhân');
    await reopened.close();
  });

  it('does not rewrite the index files for every small upload, and saves them on close', async () => {
    const first = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await first.ingest([text('a.txt', 'Bài một: phép cộng phân số.')]);
    await first.close();
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, saveEvery: 100 });
    const pointer = () => readFileSync(join(dataDir, 'indexes', 'CURRENT'), 'utf8');
    const before = pointer();
    await engine.ingest([text('b.txt', 'Bài hai: phép nhân phân số.')]);
    expect(pointer()).toBe(before);
    await engine.close();
    expect(pointer()).not.toBe(before);
    const reopened = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    expect(await storeAndIndexesAgree(reopened)).toEqual({ ok: true, problems: [] });
    await reopened.close();
  });

  it('keeps page numbers of every PDF chunk', async () => {
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await engine.ingest([{ bytes: await makeVietnamesePdf(), fileName: 'tin-hoc.pdf', collection: 'chung' }]);
    const chunks = await engine.store.chunksOfDocument((await engine.store.listDocuments())[0]!.id);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const c of chunks) expect(c.pageStart).toBe(c.pageEnd);
    const page2 = chunks.find((c) => c.text.includes(samplePdfPages[1]!.paragraphs[0]!.slice(0, 30)));
    expect(page2?.pageStart).toBe(2);
    await engine.close();
  });
});
