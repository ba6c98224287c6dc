import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentId, Engine, type IngestItem } from '../../src/engine/index.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { openSqliteStore } from '../../src/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'trogiang-bgv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const subjects = ['Toán', 'Ngữ văn', 'Tin học', 'Lịch sử', 'Địa lý', 'Sinh học', 'Hóa học', 'Vật lý'];
const lessons: IngestItem[] = subjects.flatMap((subject, s) =>
  Array.from({ length: 6 }, (_, l) => ({
    fileName: `bai-${s}-${l}.md`,
    collection: s % 2 ? 'chung' : 'lop-10',
    bytes: Buffer.from(
      Array.from(
        { length: 4 },
        (_, p) =>
          `# ${subject}: bài ${l + 1}, mục ${p + 1}\n\nHọc viên ôn tập ${subject.toLowerCase()} theo chủ đề số ${s * 100 + l * 10 + p}, làm bài tập ${p + 2} trong sách giáo khoa và ghi lại câu hỏi cho buổi học tối thứ ${(l % 5) + 2}.\n`,
      ).join('\n'),
    ),
  })),
);
const graphBytes = (dataDir: string) => {
  const current = readFileSync(join(dataDir, 'indexes', 'CURRENT'), 'utf8').trim();
  return readFileSync(join(dataDir, 'indexes', current, 'vectors.hnsw'));
};

describe('Engine: the vector graph of a large ingest is built on a worker thread', () => {
  it('gives the same graph and answers as building it on this thread, and says so in the log', async () => {
    const logs: string[] = [];
    const there = await Engine.open({
      store: openSqliteStore(join(root, 'worker')),
      dataDir: join(root, 'worker'),
      backgroundVectorBuild: 10,
      log: (m) => logs.push(m),
    });
    const here = await Engine.open({
      store: openSqliteStore(join(root, 'here')),
      dataDir: join(root, 'here'),
      backgroundVectorBuild: Infinity,
    });
    await there.ingest(lessons);
    await here.ingest(lessons);
    expect(there.vectors.buildingInBackground).toBe(false);
    expect(logs.join('\n')).toMatch(/vector graph of 192 new chunks built on a worker thread/);
    for (const question of ['on tap hoa hoc chu de 512', 'bài tập 4 Lịch sử', 'buoi hoc toi thu 6']) {
      const a = await there.retrieve(question, { k: 5, mode: 'vector' });
      const b = await here.retrieve(question, { k: 5, mode: 'vector' });
      expect(a.results.map((r) => r.chunk.seq)).toEqual(b.results.map((r) => r.chunk.seq));
    }
    expect(await storeAndIndexesAgree(there)).toEqual({ ok: true, problems: [] });
    await there.close();
    await here.close();
    expect(graphBytes(join(root, 'worker')).equals(graphBytes(join(root, 'here')))).toBe(true);
  });

  it('replays a long change log on open with the worker (a crash or failed save after a large ingest)', async () => {
    const dataDir = join(root, 'replay');
    const crashed = await Engine.open({ store: openSqliteStore(dataDir), dataDir, backgroundVectorBuild: Infinity, saveEvery: Infinity });
    await crashed.ingest(lessons.slice(0, 8));
    await crashed.save();
    await crashed.ingest(lessons.slice(8));
    await crashed.ingest(lessons.slice(0, 1), undefined, { force: true });
    expect(await crashed.removeDocument(documentId(lessons[0]!.collection, lessons[0]!.fileName))).toBe(true);
    // The process dies here: the store has every change, the saved indexes only the first 8 files.
    crashed.store.close();
    const logs: string[] = [];
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, backgroundVectorBuild: 10, log: (m) => logs.push(m) });
    expect(logs.join('\n')).toMatch(
      /vector graph of 16\d new chunks built on a worker thread[\s\S]*indexes caught up with \d+ stored changes/,
    );
    expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    const reference = await Engine.open({
      store: openSqliteStore(join(root, 'replay-reference')),
      dataDir: join(root, 'replay-reference'),
      backgroundVectorBuild: Infinity,
    });
    await reference.ingest(lessons.slice(1));
    for (const question of ['on tap hoa hoc chu de 512', 'bài tập 4 Lịch sử', 'Toán bài 1 mục 2']) {
      const a = await engine.retrieve(question, { k: 5 });
      const b = await reference.retrieve(question, { k: 5 });
      expect(a.results.map((r) => r.chunk.text)).toEqual(b.results.map((r) => r.chunk.text));
    }
    await engine.close();
    await reference.close();
  });

  it('rebuilds lost indexes from the store with the worker, and leaves no work folder behind', async () => {
    const dataDir = join(root, 'rebuild');
    const first = await Engine.open({ store: openSqliteStore(dataDir), dataDir, backgroundVectorBuild: Infinity });
    await first.ingest(lessons);
    await first.close();
    rmSync(join(dataDir, 'indexes'), { recursive: true, force: true });
    const logs: string[] = [];
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, backgroundVectorBuild: 10, log: (m) => logs.push(m) });
    expect(logs.join('\n')).toMatch(/rebuilding indexes from the store[\s\S]*built on a worker thread/);
    expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    const hits = await engine.retrieve('Địa lý bài 3 mục 2', { k: 3 });
    expect(hits.results[0]?.chunk.headingPath.join(' ')).toContain('Địa lý: bài 3, mục 2');
    await engine.close();
    expect(() => readFileSync(join(dataDir, 'indexes-building', 'built.hnsw'))).toThrow();
  });
});
