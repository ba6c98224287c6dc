import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Document } from '@langchain/core/documents';
import { RunnableLambda } from '@langchain/core/runnables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { collectFiles } from '../../src/engine/index.js';
import { TrogiangRetriever, TrogiangRetrieverError } from '../../src/langchain/index.js';

const corpusDir = join(import.meta.dirname, '../../corpus');
const handbook = 'Sổ tay học viên — Trung tâm Giáo dục thường xuyên tỉnh Hòa An';
let dataDir: string;
let retriever: TrogiangRetriever;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trogiang-langchain-test-'));
  retriever = await TrogiangRetriever.open({ dataDir, baseUrl: 'http://trung-tam.example/' });
  const items = collectFiles([corpusDir]).map((file) => ({ bytes: readFileSync(file), fileName: basename(file), collection: 'chung' }));
  // A second collection, to check the filter: a computer-room notice no shipped file has.
  items.push({
    bytes: Buffer.from('# Phòng máy\n\nPhòng máy tính tầng 3 mở cửa cho học viên tự học đến 21 giờ các ngày thứ Bảy.\n'),
    fileName: 'phong-may.md',
    collection: 'tin-hoc',
  });
  const outcomes = await retriever.engine.ingest(items);
  expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
});
afterAll(() => {
  retriever.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('TrogiangRetriever (LangChain BaseRetriever over trogiang retrieval)', () => {
  it('finds the handbook fee page first for a question typed without diacritics', async () => {
    const docs = await retriever.invoke('hoc phi mot thang');
    expect(docs).toHaveLength(4);
    const [first] = docs;
    expect(first).toBeInstanceOf(Document);
    expect(first!.metadata.title).toBe(handbook);
    expect(first!.metadata.headingPath[0]).toMatch(/^Chương 3\. Học phí/);
    expect(first!.metadata.headingPath.at(-1)).toMatch(/học phí/i);
    expect([6, 7]).toContain(first!.metadata.page);
    expect(first!.metadata.matchedTerms).toEqual(expect.arrayContaining(['hoc', 'phi', 'thang']));
    expect(docs.slice(0, 3).some((d) => d.pageContent.includes('350.000 đồng'))).toBe(true);
  });

  it('gives each document its source, rank, scores and a link into the service', async () => {
    const docs = await retriever.invoke('hoc phi mot thang');
    const engineResults = (await retriever.engine.retrieve('hoc phi mot thang', { k: 4 })).results;
    expect(docs.map((d) => d.id)).toEqual(engineResults.map((r) => r.chunk.id));
    const m = docs[0]!.metadata;
    expect(m.rank).toBe(1);
    expect(m.documentId).toMatch(/^so-tay-hoc-vien-pdf-/);
    expect(m.chunkId).toBe(docs[0]!.id);
    expect(m.collection).toBe('chung');
    expect(m.score).toBe(engineResults[0]!.score);
    expect(m.bm25Score).toBeGreaterThan(0);
    expect(m.answerable).toBe(true);
    // The trailing slash of the base URL is not doubled; a PDF opens at its page.
    expect(m.link).toBe(`http://trung-tam.example/docs/${m.documentId}#page=${m.page}`);
    expect(docs.map((d) => d.metadata.rank)).toEqual([1, 2, 3, 4]);
    // A markdown source has no page: its link opens the heading.
    const [lesson] = await retriever.invoke('mat khau manh gom nhung gi');
    expect(lesson!.metadata.page).toBeNull();
    expect(lesson!.metadata.link).toMatch(/^http:\/\/trung-tam\.example\/docs\/bai-hoc-email-va-internet-an-toan-md-[0-9a-f]+#[a-z0-9-]+$/);
  });

  it('honours k and the collections', async () => {
    const question = 'phong may tinh mo cua den may gio';
    const two = new TrogiangRetriever(retriever.engine, { k: 2 });
    expect(await two.invoke(question)).toHaveLength(2);
    const onlyComputers = new TrogiangRetriever(retriever.engine, { k: 5, collections: ['tin-hoc'] });
    const computers = await onlyComputers.invoke(question);
    expect(computers.length).toBeGreaterThan(0);
    expect(computers.every((d) => d.metadata.collection === 'tin-hoc')).toBe(true);
    expect(computers[0]!.pageContent).toContain('21 giờ');
    const noComputers = new TrogiangRetriever(retriever.engine, { k: 10, collections: ['chung'] });
    expect((await noComputers.invoke(question)).map((d) => d.metadata.collection)).not.toContain('tin-hoc');
    const all = await new TrogiangRetriever(retriever.engine, { k: 3 }).invoke(question);
    expect(all[0]!.metadata.collection).toBe('tin-hoc');
  });

  it('with answerableOnly, returns nothing for a question the materials do not cover', async () => {
    const question = 'giá vé máy bay từ Hà Nội đi Đà Lạt bao nhiêu';
    const strict = new TrogiangRetriever(retriever.engine, { answerableOnly: true });
    expect(await strict.invoke(question)).toEqual([]);
    // Without it the best passages still come, marked as not covering the question.
    const loose = await retriever.invoke(question);
    expect(loose.length).toBeGreaterThan(0);
    expect(loose.every((d) => d.metadata.answerable === false)).toBe(true);
    // And a covered question still passes the strict one.
    expect((await strict.invoke('hoc phi mot thang'))[0]!.metadata.title).toBe(handbook);
  });

  it('runs inside an LCEL chain, and in a batch', async () => {
    const chain = retriever.pipe(RunnableLambda.from((docs: Document[]) => docs.map((d) => `${d.metadata.title} p.${d.metadata.page}`)));
    const [fees, holiday] = await chain.batch(['hoc phi mot thang', 'nghi tet duong lich'], {});
    expect(fees![0]).toMatch(new RegExp(`^${handbook} p\\.[67]$`));
    expect(holiday!.join('\n')).toMatch(/Thông báo: Lịch nghỉ lễ|lich-nghi-le/);
  });

  it('refuses an option out of range with a coded error, before opening anything', async () => {
    for (const options of [{ k: 0 }, { k: 2.5 }, { k: 101 }, { mode: 'fuzzy' as never }, { baseUrl: 'trung-tam.example' }]) {
      const error = (() => {
        try {
          new TrogiangRetriever(retriever.engine, options);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(TrogiangRetrieverError);
      expect((error as TrogiangRetrieverError).code).toBe('invalid_retriever_option');
    }
    const unopened = join(dataDir, 'never');
    await expect(TrogiangRetriever.open({ dataDir: unopened, k: -1 })).rejects.toThrow(/k must be a whole number from 1 to 100/);
    expect(() => readFileSync(join(unopened, 'trogiang.db'))).toThrow(/ENOENT/);
  });

  it('opens the data folder the settings name, with links to the service they describe', async () => {
    retriever.close(); // one engine per data folder at a time
    const fromSettings = await TrogiangRetriever.fromConfig(loadConfig({ DATA_DIR: dataDir, PORT: '9100' }), { k: 1 });
    try {
      const [doc] = await fromSettings.invoke('hoc phi mot thang');
      expect(doc!.metadata.title).toBe(handbook);
      expect(doc!.metadata.link).toMatch(/^http:\/\/127\.0\.0\.1:9100\/docs\/so-tay-hoc-vien-pdf-/);
    } finally {
      fromSettings.close();
    }
    retriever = await TrogiangRetriever.open({ dataDir }); // for afterAll
  });

  it('leaves an engine it was given open on close', async () => {
    const borrowed = new TrogiangRetriever(retriever.engine);
    borrowed.close();
    expect((await retriever.invoke('hoc phi mot thang')).length).toBeGreaterThan(0);
  });
});
