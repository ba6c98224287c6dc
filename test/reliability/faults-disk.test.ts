/**
 * The disk filling up. An upload that does not fit is refused with 507 `storage_full` and leaves
 * documents, chunks, indexes (and their files) exactly as they were; learners are still answered
 * while the disk is full; the same upload succeeds once there is room. An index save that cannot
 * be written loses nothing: the store keeps the change and the next save catches up.
 *
 * A real full disk is a tmpfs mounted for the test (needs root: skipped elsewhere). The same
 * guarantees are also checked with failures any machine can produce: SQLite's own page limit
 * (`max_page_count`, the SQLITE_FULL a full disk gives) and an `indexes` path that is not a folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { writeFileAtomic } from '../../src/indexes/index.js';
import type { SqliteStore } from '../../src/store/index.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { snapshotData } from '../support/data-snapshot.js';
import { lessonVersion } from '../support/fault-workload.js';
import { mountSmallDisk, smallDiskAvailable, unmountAllSmallDisks } from '../support/small-disk.js';
import { readSse, startService, type RunningService } from '../support/start-service.js';
import { openSqliteStore } from '../../src/store/index.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const queries = ['học phí lớp tin học', 'thư viện mở cửa mấy giờ', 'hoc phi bao nhieu'];
const tmpfs = smallDiskAvailable();
afterAll(() => unmountAllSmallDisks()); // after a timed-out test, whose own clean-up may not have run
/** The upload that does not fit: about 1.2 MB once stored (source, chunk texts, vectors). */
const uploadBytes = 300 * KiB;

/** A long Markdown syllabus, `bytes` long, every paragraph distinct. */
function syllabus(bytes: number): string {
  const parts = ['# Đề cương ôn tập cả năm\n'];
  let size = parts[0]!.length;
  for (let i = 0; size < bytes; i++) {
    const p = `\n## Tuần ${i}\n\nTuần ${i}: học viên ôn chủ đề số ${i * 7 + 3}, làm ${(i % 9) + 2} bài tập và nộp báo cáo mã ${(i * 7919) % 100003} trước thứ ${(i % 5) + 2}.\n`;
    parts.push(p);
    size += Buffer.byteLength(p);
  }
  return parts.join('');
}

function upload(svc: RunningService, fileName: string, text: string): Promise<Response> {
  const form = new FormData();
  form.append('files', new Blob([text], { type: 'text/markdown' }), fileName);
  return svc.admin('/documents', { method: 'POST', body: form });
}

/** A learner's question, as JSON: must be answered from the materials even when nothing can be written. */
async function ask(svc: RunningService): Promise<{ status: number; body: any }> {
  const res = await fetch(`${svc.baseURL}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ message: 'Học phí lớp tin học bao nhiêu một tháng?' }),
  });
  return { status: res.status, body: await res.json() };
}

/** The upload is refused with a clear reason, nothing changed, and learners are still served. */
async function expectRefusedAndUnchanged(svc: RunningService): Promise<void> {
  const engine = svc.deps.engine;
  const before = await snapshotData(engine, svc.dataDir, queries);
  expect(before.agreement).toEqual({ ok: true, problems: [] });
  const res = await upload(svc, 'de-cuong-ca-nam.md', syllabus(uploadBytes));
  const body = (await res.json()) as { error: { code: string; message: string; results?: unknown } };
  expect(res.status).toBe(507);
  expect(body.error.code).toBe('storage_full');
  expect(body.error.message).toMatch(/disk is full/i);
  expect(await snapshotData(engine, svc.dataDir, queries)).toEqual(before);

  const answer = await ask(svc);
  expect(answer.status).toBe(200);
  expect(answer.body.answer).toContain('450.000 đồng');
  const search = await fetch(`${svc.baseURL}/api/search?q=${encodeURIComponent('thư viện mở cửa')}`);
  expect(search.status).toBe(200);
}

describe('the disk filling during an upload', () => {
  it.skipIf(!tmpfs)(
    'a real full disk (tmpfs): 507 storage_full, nothing changed, learners answered; the upload succeeds once space is freed',
    async () => {
      const disk = mountSmallDisk(64 * MiB);
      let svc: RunningService | undefined;
      try {
        svc = await startService({ DATA_DIR: join(disk.path, 'data') });
        // An empty WAL, so the upload must take new blocks (SQLite reuses a checkpointed WAL's own).
        (svc.deps.engine.store as SqliteStore).db.pragma('wal_checkpoint(TRUNCATE)');
        disk.usedPlus(32 * KiB);
        await expectRefusedAndUnchanged(svc);

        disk.resize(64 * MiB);
        const again = await upload(svc, 'de-cuong-ca-nam.md', syllabus(uploadBytes));
        expect(again.status).toBe(200);
        expect(((await again.json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe('added');
        expect(await storeAndIndexesAgree(svc.deps.engine)).toEqual({ ok: true, problems: [] });
      } finally {
        await svc?.close();
        disk.unmount();
      }
    },
    60_000,
  );

  it('SQLite refusing to grow (SQLITE_FULL from max_page_count): 507 storage_full, nothing changed, learners answered; then the upload succeeds', async () => {
    const svc = await startService();
    try {
      const db = (svc.deps.engine.store as SqliteStore).db;
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      await expectRefusedAndUnchanged(svc);

      db.pragma('max_page_count = 1073741823');
      const again = await upload(svc, 'de-cuong-ca-nam.md', syllabus(uploadBytes));
      expect(again.status).toBe(200);
      expect(await storeAndIndexesAgree(svc.deps.engine)).toEqual({ ok: true, problems: [] });
    } finally {
      await svc.close();
    }
  }, 60_000);
});

describe('an answer that cannot be recorded', () => {
  it('still reaches the learner, over JSON and SSE (done, no error event), and the failure is logged', async () => {
    const svc = await startService();
    try {
      // The store refuses to record any answer, as a full disk would once SQLite has no page left.
      const db = (svc.deps.engine.store as SqliteStore).db;
      db.exec("CREATE TEMP TRIGGER refuse_messages BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
      const json = await ask(svc);
      expect(json.status).toBe(200);
      expect(json.body.answer).toContain('450.000 đồng');
      const sse = await fetch(`${svc.baseURL}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Thư viện mở cửa lúc mấy giờ?' }),
      });
      const events = await readSse(sse);
      expect(events.map((e) => e.event).filter((e) => e === 'done' || e === 'error')).toEqual(['done']);
      expect(svc.logs.filter((l) => l.includes('could not record the answer')).length).toBe(2);
      expect(await svc.deps.engine.store.conversations.getMessage(json.body.messageId)).toBeUndefined();
    } finally {
      await svc.close();
    }
  }, 60_000);
});

/** Opens an engine that saves its indexes after every change, collecting its notices and its warnings. */
async function openSavingEngine(dataDir: string): Promise<{ engine: Engine; logs: string[]; warnings: string[] }> {
  const logs: string[] = [];
  const warnings: string[] = [];
  const engine = await Engine.open({
    store: openSqliteStore(dataDir),
    dataDir,
    saveEvery: 0,
    log: (m) => logs.push(m),
    warn: (m) => warnings.push(m),
  });
  return { engine, logs, warnings };
}

/** Saved sets in the indexes folder other than the one CURRENT points at (a failed save used to leave its empty `g*` folder). */
const strayIndexFolders = (indexes: string): string[] => {
  if (!existsSync(indexes) || !statSync(indexes).isDirectory()) return [];
  const current = existsSync(join(indexes, 'CURRENT')) ? readFileSync(join(indexes, 'CURRENT'), 'utf8').trim() : null;
  return readdirSync(indexes).filter((e) => e !== 'CURRENT' && e !== current);
};

const temporaries = (dir: string): string[] =>
  existsSync(dir) && statSync(dir).isDirectory()
    ? readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.includes('.tmp-'))
    : [];

/** After a failed save: the change is served, CURRENT is the previous set, the next change saves, reopening agrees. */
async function expectSaveFailureLosesNothing(
  dataDir: string,
  breakIndexes: () => void,
  repairIndexes: () => void,
  failure: RegExp,
): Promise<void> {
  const { engine, warnings } = await openSavingEngine(dataDir);
  const indexes = join(dataDir, 'indexes');
  try {
    await engine.ingest([lessonVersion(0, 0), lessonVersion(1, 0)]);
    const current = existsSync(join(indexes, 'CURRENT')) ? readFileSync(join(indexes, 'CURRENT'), 'utf8') : null;
    breakIndexes();

    // The store is the source of truth: the upload is stored and reported as stored.
    const [outcome] = await engine.ingest([lessonVersion(2, 0)]);
    expect(outcome!.status).toBe('added');
    // A warning (the service logs it at warn level), with the cause; no half-written set left behind.
    expect(
      warnings.some((m) => /could not save the indexes/.test(m) && failure.test(m)),
      warnings.join('\n'),
    ).toBe(true);
    expect(strayIndexFolders(indexes)).toEqual([]);
    expect(await engine.removeDocument((await engine.store.listDocuments()).find((d) => d.fileName === 'bai-0.md')!.id)).toBe(true);
    expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    expect((await engine.retrieve('bài 2 thư điện tử')).results[0]?.chunk.documentId).toBe(
      outcome!.status === 'added' ? outcome!.document.id : '',
    );
    expect(temporaries(indexes)).toEqual([]);
    if (current !== null && existsSync(join(indexes, 'CURRENT'))) expect(readFileSync(join(indexes, 'CURRENT'), 'utf8')).toBe(current);

    repairIndexes();
    await engine.ingest([lessonVersion(3, 0)]);
    expect(readFileSync(join(indexes, 'CURRENT'), 'utf8')).not.toBe(current);
  } finally {
    await engine.close();
  }
  const reopened = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
  try {
    expect(await storeAndIndexesAgree(reopened)).toEqual({ ok: true, problems: [] });
    expect((await reopened.store.listDocuments()).map((d) => d.fileName).sort()).toEqual(['bai-1.md', 'bai-2.md', 'bai-3.md']);
  } finally {
    await reopened.close();
  }
}

describe('an index save that cannot be written', () => {
  it.skipIf(!tmpfs)(
    'on a full disk (the indexes folder on a tmpfs): the change is kept, nothing half-written, the next save catches up',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-full-indexes-'));
      mkdirSync(join(dataDir, 'indexes'));
      const disk = mountSmallDisk(8 * MiB, join(dataDir, 'indexes'));
      try {
        await expectSaveFailureLosesNothing(
          dataDir,
          () => disk.usedPlus(4 * KiB),
          () => disk.resize(8 * MiB),
          /ENOSPC/,
        );
      } finally {
        disk.unmount();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  it('when the indexes path is not a folder: the change is kept, the next save catches up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-broken-indexes-'));
    const indexes = join(dataDir, 'indexes');
    try {
      await expectSaveFailureLosesNothing(
        dataDir,
        () => {
          rmSync(indexes, { recursive: true, force: true });
          writeFileSync(indexes, 'not a folder');
        },
        () => rmSync(indexes, { force: true }),
        /EEXIST|ENOTDIR/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('writeFileAtomic when the write fails', () => {
  it('leaves the target as it was and no temporary file when the rename fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trogiang-atomic-'));
    try {
      mkdirSync(join(dir, 'target', 'inside'), { recursive: true });
      expect(() => writeFileAtomic(join(dir, 'target'), 'new bytes')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
      expect(readdirSync(dir)).toEqual(['target']);
      expect(readdirSync(join(dir, 'target'))).toEqual(['inside']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!tmpfs)('leaves the old content and gives the space back when the disk is full (ENOSPC)', () => {
    const disk = mountSmallDisk(256 * KiB);
    try {
      const target = join(disk.path, 'bm25.bin');
      writeFileAtomic(target, 'old content');
      const free = disk.usage().free;
      expect(() => writeFileAtomic(target, Buffer.alloc(MiB, 7))).toThrow(/ENOSPC/);
      expect(readFileSync(target, 'utf8')).toBe('old content');
      expect(readdirSync(disk.path)).toEqual(['bm25.bin']);
      expect(disk.usage().free).toBe(free);
    } finally {
      disk.unmount();
    }
  });
});
