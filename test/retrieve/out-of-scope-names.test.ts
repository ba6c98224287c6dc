/**
 * Out-of-scope questions that share words with the materials (issue 14 item 3): the retriever's
 * answerability on a small real engine (SQLite, BM25, local vectors in a temporary folder).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';

const notice = [
  'Thông báo của Trung tâm Giáo dục thường xuyên tỉnh Hòa An về học phí và lịch học.',
  '',
  'Học phí lớp tin học là 450.000 đồng mỗi tháng, nộp tại phòng A104 của Trung tâm.',
  '',
  'Các trường cao đẳng và đại học trong tỉnh tham gia ngày hội tư vấn; giáo viên dạy môn sư phạm kỹ năng hướng dẫn học viên.',
  '',
  'Lớp học buổi tối học từ 18h00 đến 20h30 tại phòng A201. Lớp có thể nghỉ bởi mưa bão, khi đó Trung tâm báo trước.',
].join('\n');

let dataDir: string;
let engine: Engine;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trogiang-oos-'));
  engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
  await engine.ingest([{ bytes: Buffer.from(notice, 'utf8'), fileName: 'thong-bao.txt', collection: 'chung' }]);
}, 60_000);

afterAll(async () => {
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('answerability of questions that share words with the materials', () => {
  it('a named institution whose words are all in the materials, never side by side, is not covered', async () => {
    const named = await engine.retrieve('Học phí trường Cao đẳng Sư phạm Hòa An bao nhiêu?');
    const ours = await engine.retrieve('Học phí lớp tin học bao nhiêu?');
    expect(ours.answerable).toBe(true);
    expect(named.answerable).toBe(false);
  });

  it('a word written with marks the materials never use ("bơi") is not covered by its folded twin ("bởi")', async () => {
    const swimming = await engine.retrieve('Lớp học bơi buổi tối học mấy giờ?');
    const evening = await engine.retrieve('Lớp học buổi tối học mấy giờ?');
    expect(evening.answerable).toBe(true);
    expect(swimming.answerable).toBe(false);
    // Typed without marks, "boi" may be either word: the question is not held against it.
    expect((await engine.retrieve('lop hoc boi buoi toi hoc may gio')).answerability).toBeGreaterThan(swimming.answerability);
  });
});
