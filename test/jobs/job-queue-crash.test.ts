import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConsistency, Engine, type IngestItem } from '../../src/engine/index.js';
import { IngestStaging, ingestQueue, QueuedDocumentJobs } from '../../src/jobs/index.js';
import { centerOfCollection, PostgresStore } from '../../src/store/index.js';
import { postgresUnavailable, testDatabaseUrl } from '../store/contract/store-adapters.js';
import { lessonFile } from '../support/lesson-files.js';
import { makeTextbookPdf } from '../support/make-fixtures.js';

const skipped = await postgresUnavailable();
const childScript = join(import.meta.dirname, '../support/job-worker-child.ts');
const schema = `t_jobs_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const bossSchema = `${schema}_boss`;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-jobs-'));
  dirs.push(dir);
  return dir;
};

/** A worker process; `lines` grows with what it prints, `ready` resolves once it takes jobs. */
function startWorker(name: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, testDatabaseUrl, schema, bossSchema, tempDir()], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  const listeners: Array<(line: string) => void> = [];
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const l of listeners) l(line);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    listeners.push((line) => line === 'ready' && resolve());
    child.on('exit', (code, signal) => reject(new Error(`${name} exited ${code ?? signal} before ready: ${stderr}`)));
  });
  return { name, child, lines, ready, onLine: (fn: (line: string) => void) => listeners.push(fn), stderr: () => stderr };
}

const stopWorker = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
  });

/** Twenty small real files: fifteen Markdown lessons and five PDFs of 2 to 4 pages. */
async function twentyFiles(): Promise<IngestItem[]> {
  const items = Array.from({ length: 15 }, (_, i) => lessonFile(i));
  for (let i = 0; i < 5; i++)
    items.push({ bytes: await makeTextbookPdf(2 + (i % 3)), fileName: `giao-trinh-${i}.pdf`, collection: 'bai-hoc' });
  return items;
}

let store: PostgresStore;
let jobs: QueuedDocumentJobs;

describe.skipIf(skipped)('ingest jobs in the PostgreSQL queue', () => {
  beforeAll(async () => {
    // Migrated and installed here first, so the workers start on a ready schema.
    store = await PostgresStore.open(testDatabaseUrl, { schema, max: 4 });
    jobs = await QueuedDocumentJobs.open({ databaseUrl: testDatabaseUrl, sql: store.sql, bossSchema, maintenanceSeconds: 1 });
  }, 60_000);

  it('a worker killed with SIGKILL mid-ingest leaves its job to the other: every file stored once, check finds nothing wrong', async () => {
    const a = startWorker('A');
    const b = startWorker('B');
    try {
      await Promise.all([a.ready, b.ready]);
      // A dies as it takes its second job (the first may have finished): that job is mid-ingest.
      let killedJob: string | undefined;
      a.onLine((line) => {
        const taken = a.lines.filter((l) => l.startsWith(`job ${ingestQueue} `));
        if (line.startsWith('job ') && taken.length === 2 && !killedJob) {
          killedJob = line.split(' ')[2];
          a.child.kill('SIGKILL');
        }
      });
      const items = await twentyFiles();
      const outcomes = await jobs.ingest(items);

      expect(killedJob).toBeDefined();
      expect(a.child.signalCode).toBe('SIGKILL');
      // The killed job expired and was retried, and B completed it.
      const job = await jobs.job(ingestQueue, killedJob!);
      expect(job?.state).toBe('completed');
      expect(job?.retryCount).toBeGreaterThanOrEqual(1);
      expect(b.lines.some((l) => l.includes(killedJob!))).toBe(true);

      // Every upload answered as the in-process runner would, in order.
      expect(outcomes.map((o) => o.fileName)).toEqual(items.map((i) => i.fileName));
      expect(outcomes.filter((o) => o.status !== 'added' && o.status !== 'unchanged')).toEqual([]);

      // Every file stored exactly once, with the chunks it says it has.
      const documents = await store.listDocuments();
      expect(documents.map((d) => d.fileName).sort()).toEqual(items.map((i) => i.fileName).sort());
      let chunks = 0;
      for (const d of documents) {
        expect((await store.chunksOfDocument(d.id)).length).toBe(d.chunkCount);
        expect(d.chunkCount).toBeGreaterThan(0);
        chunks += d.chunkCount;
      }
      expect(await store.countChunks()).toBe(chunks);
      expect(await new IngestStaging(store.sql).count()).toBe(0);

      // `trogiang check` on a replica that builds its indexes from the store.
      const checker = await Engine.open({ store: await PostgresStore.open(testDatabaseUrl, { schema, max: 2 }), dataDir: tempDir() });
      try {
        expect(await checkConsistency(checker)).toMatchObject({ ok: true, chunks, problems: [] });
      } finally {
        await checker.close();
      }
    } finally {
      await Promise.all([stopWorker(a.child), stopWorker(b.child)]);
    }
  }, 180_000);

  it('a retry of a file stored before the crash stores nothing twice: the outcome is unchanged', async () => {
    const engine = await Engine.open({ store: await PostgresStore.open(testDatabaseUrl, { schema, max: 2 }), dataDir: tempDir() });
    try {
      const staging = new IngestStaging(store.sql);
      const file = lessonFile(40);
      const before = await store.countChunks();
      const stagingId = await staging.put(file);
      const data = { stagingId, collection: file.collection, fileName: file.fileName };
      const first = await jobs.runIngest(engine, data);
      expect(first.outcomes[0]!.status).toBe('added');
      const added = await store.countChunks();
      // Killed after the commit, before the staged row was deleted: the retry reads it again.
      await store.sql.run('INSERT INTO ingest_staging (id, collection, file_name, bytes, created_at) VALUES (?, ?, ?, ?, ?)', [
        stagingId,
        file.collection,
        file.fileName,
        Buffer.from(file.bytes),
        new Date().toISOString(),
      ]);
      expect((await jobs.runIngest(engine, data)).outcomes[0]!.status).toBe('unchanged');
      // Killed after the delete, before pg-boss recorded the completion: the stored document answers.
      const again = await jobs.runIngest(engine, data);
      expect(again.outcomes[0]).toMatchObject({ status: 'unchanged', document: { fileName: file.fileName } });
      expect(await store.countChunks()).toBe(added);
      expect(added).toBeGreaterThan(before);
      expect((await store.listDocuments()).filter((d) => d.fileName === file.fileName)).toHaveLength(1);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('re-indexes one document and a center as jobs, answering as the engine does', async () => {
    const engine = await Engine.open({
      store: await PostgresStore.open(testDatabaseUrl, { schema, max: 2 }),
      dataDir: tempDir(),
      prepareOnWorkerFrom: Infinity,
    });
    // This process works the queue now (the worker processes are gone).
    const worker = await QueuedDocumentJobs.open({ databaseUrl: testDatabaseUrl, sql: store.sql, bossSchema, pollSeconds: 0.5 });
    try {
      await worker.work(engine);
      const [added] = await jobs.ingest([lessonFile(41)]);
      expect(added).toMatchObject({ status: 'added', fileName: 'bai-41.md' });
      const id = (added as Extract<typeof added, { document: unknown }>).document.id;
      const one = await jobs.reindexDocument(id);
      expect(one).toMatchObject({ fileName: 'bai-41.md', document: { id } });
      expect(await jobs.reindexDocument('khong-co-tai-lieu-nay')).toBeUndefined();
      const center = await jobs.reindexCenter(centerOfCollection('bai-hoc'));
      expect(center.map((o) => o.fileName).sort()).toEqual((await store.listDocuments()).map((d) => d.fileName).sort());
      expect(center.filter((o) => o.status === 'failed')).toEqual([]);
      expect((await store.listDocuments()).filter((d) => d.fileName === 'bai-41.md')).toHaveLength(1);
    } finally {
      await worker.close();
      await engine.close();
    }
  }, 180_000);
});

if (skipped) it.skip(`ingest jobs in the PostgreSQL queue: ${skipped}`, () => {});

afterAll(async () => {
  await jobs?.close();
  await store?.close();
  if (!skipped) {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      for (const s of [schema, bossSchema]) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    } finally {
      await admin.end();
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}, 60_000);
