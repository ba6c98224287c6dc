/**
 * The answer-or-decline decision (the retriever's answerability) on a real engine over the
 * shipped materials: the handbook's source text and the history lesson, SQLite, BM25 and local
 * vectors in a temporary folder. Round 5 of issue 14 item 3: near misses typed without marks or
 * in lower case, and places the materials do not name, against covered questions of the same shape.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';

const corpus = join(import.meta.dirname, '../../corpus');
let dataDir: string;
let engine: Engine;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trogiang-oos-corpus-'));
  engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
  const files = ['build/handbook.vi.md', 'bai-hoc-lich-su-12.md'];
  await engine.ingest(files.map((f) => ({ bytes: readFileSync(join(corpus, f)), fileName: f.split('/').at(-1)!, collection: 'chung' })));
}, 120_000);

afterAll(async () => {
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const answerable = async (q: string) => (await engine.retrieve(q)).answerable;

describe('"X của Y" asked without capitals or marks', () => {
  it('declines the capital of a country typed without marks, as it declines it typed with them', async () => {
    expect(await answerable('Thủ đô của Pháp là gì?')).toBe(false);
    expect(await answerable('thu do cua phap la gi')).toBe(false);
    expect(await answerable('thu do cua trung quoc la gi')).toBe(false);
  });

  it('answers an attribute the materials give beside its owner', async () => {
    expect(await answerable('email cua thu vien la gi')).toBe(true);
    expect(await answerable('Số điện thoại của thư viện là gì?')).toBe(true);
  });
});

describe('places the materials do not name', () => {
  it('declines a centre of another province or district, answers ours', async () => {
    expect(await answerable('Học phí trung tâm GDTX tỉnh Bình Dương bao nhiêu?')).toBe(false);
    expect(await answerable('hoc phi trung tam GDTX quan 3 bao nhieu')).toBe(false);
    expect(await answerable('Học phí Trung tâm GDTX tỉnh Hòa An bao nhiêu một tháng?')).toBe(true);
    expect(await answerable('Điểm học ở xã Phú Lộc cách cơ sở chính bao xa?')).toBe(true);
  });
});

describe('names in a question typed without marks', () => {
  it('declines a language the centre does not teach, answers the one it does', async () => {
    expect(await answerable('lop tieng Nhat hoc ngay nao')).toBe(false);
    expect(await answerable('lop tieng Anh EA hoc ngay nao')).toBe(true);
  });
});

describe('institutions of the province', () => {
  it('declines an institution of the province the materials name only apart ("Sở Y tế tỉnh Hòa An"), answers the centre and the department they name', async () => {
    expect(await answerable('Ai là giám đốc Sở Y tế tỉnh Hòa An?')).toBe(false);
    expect(await answerable('Ai là giám đốc Trung tâm Giáo dục thường xuyên tỉnh Hòa An?')).toBe(true);
    expect(await answerable('Học phí do Hội đồng nhân dân tỉnh Hòa An quy định thế nào?')).toBe(true);
  });

  it('declines the president named without marks ("ai la tong thong My"), as with them', async () => {
    expect(await answerable('ai la tong thong My')).toBe(false);
    expect(await answerable('Ai là tổng thống Mỹ?')).toBe(false);
  });
});
