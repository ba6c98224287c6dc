import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine, ReadOnlyEngineError, type IngestItem } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';

// The writer and a follower over one data folder, in one process (each with its own SQLite
// connection, as two processes have). test/server/processes.test.ts runs them as real processes.

let dataDir: string;
const open: Engine[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'trogiang-follower-'));
});
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const text = (fileName: string, body: string): IngestItem => ({ bytes: Buffer.from(body, 'utf8'), fileName, collection: 'chung' });
const cited = async (engine: Engine, query: string) => (await engine.retrieve(query)).results.map((p) => p.chunk.documentId);

async function writerAndFollower(saveEvery = 2000) {
  const writer = await Engine.open({ store: openSqliteStore(dataDir), dataDir, saveEvery });
  open.push(writer);
  await writer.ingest([text('hoc-phi.txt', 'Học phí lớp tin học là 350.000 đồng một tháng, nộp tại phòng kế toán.')]);
  const follower = await Engine.openFollower({ store: openSqliteStore(dataDir), dataDir, followerId: 'test-follower', pollMs: 60_000 });
  open.push(follower);
  return { writer, follower };
}

describe('a follower engine', () => {
  it('starts with what the writer stored, and follows its uploads and deletions through the change log', async () => {
    const { writer, follower } = await writerAndFollower();
    expect(await cited(follower, 'hoc phi tin hoc')).toContain((await writer.store.listDocuments())[0]!.id);
    await writer.ingest([text('lich-thi.txt', 'Lịch thi cuối kỳ môn địa lý vào thứ bảy, phòng 204.')]);
    const added = (await writer.store.listDocuments()).find((d) => d.fileName === 'lich-thi.txt')!;
    expect(await cited(follower, 'lich thi dia ly')).not.toContain(added.id);
    await follower.follower!.catchUp();
    expect(await cited(follower, 'lich thi dia ly')).toContain(added.id);
    await writer.removeDocument(added.id);
    await follower.follower!.catchUp();
    expect(await cited(follower, 'lich thi dia ly')).not.toContain(added.id);
    expect(follower.bm25.size).toBe(writer.bm25.size);
    expect(follower.vectors.size).toBe(writer.vectors.size);
    const lag = await follower.lag()!;
    expect(lag.generationsBehind).toBe(0);
  });

  it('refuses writes: only the writer changes documents', async () => {
    const { follower } = await writerAndFollower();
    expect(() => follower.ingest([text('x.txt', 'abc')])).toThrow(ReadOnlyEngineError);
    expect(() => follower.removeDocument('x')).toThrow(ReadOnlyEngineError);
  });

  it('keeps the log a live follower still needs when the writer saves, and trims it once the follower caught up', async () => {
    const { writer, follower } = await writerAndFollower(0);
    const before = follower.follower!.generation;
    await writer.ingest([text('a.txt', 'Thư viện mở cửa từ bảy giờ sáng đến năm giờ chiều.')]);
    // saveEvery 0: the writer saved and trimmed after that upload, yet the follower's changes are kept.
    expect(await writer.store.changesSince(before)).toBeDefined();
    await follower.follower!.catchUp();
    await writer.ingest([text('b.txt', 'Phòng máy tính có ba mươi máy, mở cửa buổi tối.')]);
    const stillNeeded = follower.follower!.generation;
    expect(await writer.store.changesSince(stillNeeded)).toBeDefined();
    expect(await writer.store.changesSince(before)).toBeUndefined();
  });

  it('reloads from the newest saved set when the log no longer reaches back (a follower gone stale)', async () => {
    const { writer, follower } = await writerAndFollower(0);
    // The follower leaves the registry (as one killed and stale for a minute): the writer trims freely.
    await writer.store.followers.remove('test-follower');
    for (const n of [1, 2, 3]) await writer.ingest([text(`c${n}.txt`, `Câu lạc bộ số ${n} họp vào chiều thứ ${n + 2} hằng tuần.`)]);
    expect(await writer.store.changesSince(follower.follower!.generation)).toBeUndefined();
    await follower.follower!.catchUp();
    const lag = await follower.lag()!;
    expect(lag.reloads).toBe(1);
    expect(lag.generationsBehind).toBe(0);
    expect(follower.bm25.size).toBe(writer.bm25.size);
    const c3 = (await writer.store.listDocuments()).find((d) => d.fileName === 'c3.txt')!;
    expect(await cited(follower, 'cau lac bo so 3')).toContain(c3.id);
  });
});
