/**
 * Replicas on PostgreSQL (issue 20, docs/operations.md#replicas-on-postgresql) at N chunks, in one run:
 * - the copy of the N-chunk SQLite store into a fresh PostgreSQL database through the store API
 *   (each document with its source bytes, chunks, vectors and folded terms, in document order);
 * - a replica's cold start (empty DATA_DIR: it rebuilds its indexes from the store, until /readyz
 *   answers 200), then its warm start from the cache it saved (after SIGTERM);
 * - resident memory of a replica (VmRSS of the child) after start and after a search load;
 * - catch-up after `--changes` chunks: replica B (started from a copy of A's saved cache) paused
 *   with SIGSTOP while A stores them, then resumed, until B's /readyz
 *   `replica.lag.generationsBehind` is 0;
 * - hybrid `/api/search` latency p50/p95 of the same sequential questions on a SQLite service (on a
 *   copy of the data folder, which is never modified) and on a PostgreSQL replica, and their ratio.
 * Run: npm run bench:replicas [-- --chunks 100k --changes 10000 --questions 300]
 * The data folder is made as `npm run bench` makes it (evals/perf/.cache/data-100k, or
 * `TROGIANG_BENCH_CACHE`). The database is created on `TEST_DATABASE_URL`'s server
 * (default postgres://postgres@127.0.0.1:5432/test) and dropped at the end, also on failure.
 * Prints one JSON line per row and a table with the machine's load average: other jobs share the
 * cores, so the figures are indicative.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { percentile } from '../../src/eval/index.js';
import { PostgresStore, SqliteStore, sqliteFileName, type NewChunk } from '../../src/store/index.js';
import { cacheDir, ensureCorpus, markdownOf, parseSize, readDocs, readQuestions, sizeLabel } from './corpus-gen.js';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '100k' },
    changes: { type: 'string', default: '10000' },
    questions: { type: 'string', default: '300' },
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '18800' },
  },
});
const chunks = parseSize(values.chunks!);
const changes = Number(values.changes);
const questionCount = Number(values.questions);
const port = Number(values.port);
const token = 'bench-admin-token-replicas-0000';
const root = join(import.meta.dirname, '../..');
const entry = join(root, 'src/server/main.ts');
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `bench_replicas_${process.pid}`;
const databaseUrl = (() => {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
})();

const corpus = await ensureCorpus(chunks);
const dataDir = values['data-dir'] ?? join(cacheDir, `data-${sizeLabel(chunks)}`);
if (!existsSync(join(dataDir, 'indexes', 'CURRENT'))) {
  process.stderr.write(`building ${dataDir} (as npm run bench does)…\n`);
  await exited(
    spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'stage-trogiang.ts'), 'ingest', '--docs', corpus.docsPath, '--data', dataDir],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
}
const questions = readQuestions(corpus.questionsPath)
  .map((q) => q.text)
  .slice(0, questionCount);
const work = mkdtempSync(join(tmpdir(), 'trogiang-bench-replicas-'));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exited ${code}`)))));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const url = (p: number, path: string) => `http://127.0.0.1:${p}${path}`;
const seconds = (since: number) => Number(((performance.now() - since) / 1000).toFixed(2));

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Service {
  child: ChildProcess;
  port: number;
  /** Seconds from spawn until /readyz answered 200. */
  readyS: number;
  output: string;
}
const services = new Set<Service>();

/** A service process (a replica when `databaseUrl` is given), timed until /readyz answers 200. */
async function startService(options: { port: number; dataDir: string; databaseUrl?: string }): Promise<Service> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      // Empty: a fresh store ingests nothing but what the bench gives it.
      CORPUS_DIR: join(work, 'no-corpus'),
      PORT: String(options.port),
      HOST: '127.0.0.1',
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: token,
      ...(options.databaseUrl && {
        DATABASE_URL: options.databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        REDIS_PREFIX: `trogiang-${database}`,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const service: Service = { child, port: options.port, readyS: 0, output: '' };
  services.add(service);
  const keep = (d: Buffer) => (service.output = (service.output + d.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`service exited ${child.exitCode}\n${service.output}`);
    try {
      if ((await fetch(url(options.port, '/readyz'))).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  service.readyS = seconds(started);
  return service;
}

async function stop(service: Service): Promise<void> {
  services.delete(service);
  if (service.child.exitCode !== null || service.child.signalCode !== null) return;
  const gone = new Promise((r) => service.child.once('exit', r));
  service.child.kill('SIGCONT');
  service.child.kill('SIGTERM');
  await gone;
}

/** Resident memory of a child process, from the kernel (the service's own heap and native parts). */
function rssMb(service: Service): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${service.child.pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb ?? 0) / 1024);
}

const readyz = async (p: number) =>
  (await (await fetch(url(p, '/readyz'))).json()) as {
    chunks?: number;
    replica?: { lag: { generationsBehind: number; appliedGeneration?: number; reloads?: number } };
  };

/** The questions one after another (a few first unmeasured, to warm up): p50/p95 of each request. */
async function searchLatency(p: number): Promise<{ p50_ms: number; p95_ms: number; errors: number; requests: number }> {
  const ask = async (q: string) => {
    const res = await fetch(url(p, `/api/search?q=${encodeURIComponent(q)}`));
    await res.arrayBuffer();
    return res.status === 200;
  };
  for (const q of questions.slice(0, 10)) await ask(q);
  const latencies: number[] = [];
  let errors = 0;
  for (const q of questions) {
    const started = performance.now();
    if (!(await ask(q))) errors++;
    latencies.push(performance.now() - started);
  }
  return {
    p50_ms: Number(percentile(latencies, 50).toFixed(2)),
    p95_ms: Number(percentile(latencies, 95).toFixed(2)),
    errors,
    requests: latencies.length,
  };
}

/** Copies the SQLite store into PostgreSQL through the store API, documents in the order they were stored. */
async function copyStore(sqlitePath: string): Promise<{ documents: number; chunks: number }> {
  const from = new SqliteStore(sqlitePath);
  const to = await PostgresStore.open(databaseUrl);
  let documents = 0;
  let copied = 0;
  try {
    const byId = new Map((await from.listDocuments()).map((d) => [d.id, d]));
    const order = await from.sql.all<{ id: string }>('SELECT id FROM documents ORDER BY rowid');
    for (const { id } of order) {
      const doc = byId.get(id)!;
      const source = (await from.getDocumentSource(id)) ?? Buffer.alloc(0);
      const stored = await from.chunksOfDocument(id);
      const newChunks: NewChunk[] = stored.map(({ seq: _seq, ...chunk }) => chunk);
      await to.replaceDocument(doc, source, newChunks);
      documents++;
      copied += newChunks.length;
      if (documents % 1000 === 0) process.stderr.write(`copied ${documents} documents, ${copied} chunks…\n`);
    }
  } finally {
    await from.close();
    await to.close();
  }
  return { documents, chunks: copied };
}

/**
 * Uploads bench documents through a replica (another collection: every chunk a new one) until
 * `count` chunks were added. Each file joins `docsPerFile` bench documents (one `#` section per
 * chunk): each file is one job, taken by an idle worker about once a second.
 */
async function makeChanges(
  p: number,
  count: number,
  docsPerFile = 10,
  filesPerUpload = 4,
): Promise<{ chunks: number; files: number; seconds: number }> {
  const started = performance.now();
  let added = 0;
  let files = 0;
  let form = new FormData();
  let inForm = 0;
  let parts: string[] = [];
  const send = async () => {
    const res = await fetch(url(p, '/api/admin/documents'), { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { results?: Array<{ status: string; chunks?: number }> };
    if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    for (const r of body.results ?? []) if (r.status === 'added' || r.status === 'replaced') added += r.chunks ?? 0;
    form = new FormData();
    inForm = 0;
  };
  for await (const doc of readDocs(corpus.docsPath)) {
    parts.push(markdownOf(doc));
    if (parts.length < docsPerFile) continue;
    form.append('files', new Blob([parts.join('\n')], { type: 'text/markdown' }), `bench-extra-${++files}.md`);
    form.append('collection', 'bench-extra');
    parts = [];
    if (++inForm === filesPerUpload) await send();
    if (added >= count) break;
  }
  if (inForm > 0 && added < count) await send();
  return { chunks: added, files, seconds: seconds(started) };
}

const rows: Array<Record<string, unknown>> = [];
/** Keeps a row and prints it at once, so the rows measured so far survive an interrupted run. */
const record = (row: Record<string, unknown>) => {
  rows.push({ bench: 'replicas', ...row });
  process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
};
const machine = () => ({ load1: Number(loadavg()[0]!.toFixed(2)), load5: Number(loadavg()[1]!.toFixed(2)) });

let cleaned = false;
async function cleanUp(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const service of [...services]) await stop(service).catch(() => {});
  await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((error: unknown) =>
    process.stderr.write(`could not drop ${database}: ${String(error)}\n`),
  );
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });

try {
  // The SQLite data folder, copied: the service locks and writes its folder; the original stays as it is.
  const sqliteDir = join(work, 'sqlite-data');
  let started = performance.now();
  await exited(spawn('cp', ['-r', dataDir, sqliteDir], { stdio: 'inherit' }));
  const folderCopyS = seconds(started);
  mkdirSync(join(work, 'no-corpus'));

  await onServer(`CREATE DATABASE ${database}`);
  started = performance.now();
  const copied = await copyStore(join(sqliteDir, sqliteFileName));
  record({ row: 'copy SQLite → PostgreSQL', ...copied, seconds: seconds(started), folder_copy_s: folderCopyS, ...machine() });

  // The SQLite service on the copied folder: the reference latency.
  const sqlite = await startService({ port, dataDir: sqliteDir });
  const sqliteRssStart = rssMb(sqlite);
  const sqliteLatency = await searchLatency(port);
  record({
    row: 'search SQLite',
    chunks: (await readyz(port)).chunks,
    ...sqliteLatency,
    start_s: sqlite.readyS,
    rss_mb_after_start: sqliteRssStart,
    rss_mb_after_search: rssMb(sqlite),
    ...machine(),
  });
  await stop(sqlite);

  // Replica A: cold start (empty DATA_DIR), then warm start from its saved cache.
  const dirA = join(work, 'replica-a');
  let a = await startService({ port: port + 1, dataDir: dirA, databaseUrl });
  record({
    row: 'replica cold start',
    chunks: (await readyz(a.port)).chunks,
    seconds_to_ready: a.readyS,
    rss_mb_after_start: rssMb(a),
    ...machine(),
  });
  await stop(a);
  // B starts later from a copy of this cache (a second cold start would only repeat the first).
  const dirB = join(work, 'replica-b');
  mkdirSync(dirB);
  await exited(spawn('cp', ['-r', join(dirA, 'indexes'), join(dirB, 'indexes')], { stdio: 'inherit' }));
  a = await startService({ port: port + 1, dataDir: dirA, databaseUrl });
  const rssWarm = rssMb(a);
  record({
    row: 'replica warm start',
    chunks: (await readyz(a.port)).chunks,
    seconds_to_ready: a.readyS,
    rss_mb_after_start: rssWarm,
    ...machine(),
  });

  const replicaLatency = await searchLatency(a.port);
  record({
    row: 'search replica',
    chunks: (await readyz(a.port)).chunks,
    ...replicaLatency,
    rss_mb_after_start: rssWarm,
    rss_mb_after_search: rssMb(a),
    ratio_p50: Number((replicaLatency.p50_ms / sqliteLatency.p50_ms).toFixed(2)),
    ratio_p95: Number((replicaLatency.p95_ms / sqliteLatency.p95_ms).toFixed(2)),
    ...machine(),
  });

  // Replica B (warm, from A's saved cache), paused while A stores the changes.
  const b = await startService({ port: port + 2, dataDir: dirB, databaseUrl });
  record({
    row: 'replica B warm start',
    chunks: (await readyz(b.port)).chunks,
    seconds_to_ready: b.readyS,
    rss_mb_after_start: rssMb(b),
    ...machine(),
  });
  b.child.kill('SIGSTOP');
  const made = await makeChanges(a.port, changes);
  const resumed = performance.now();
  b.child.kill('SIGCONT');
  let lag: Awaited<ReturnType<typeof readyz>>['replica'];
  for (;;) {
    await sleep(50);
    lag = (await readyz(b.port).catch(() => ({}) as Awaited<ReturnType<typeof readyz>>)).replica;
    if (lag?.lag.generationsBehind === 0) break;
  }
  record({
    row: 'replica catch-up',
    chunks: (await readyz(b.port)).chunks,
    changes: made.chunks,
    files: made.files,
    store_through_a_s: made.seconds,
    catch_up_s: seconds(resumed),
    reloads: lag?.lag.reloads,
    rss_mb_after: rssMb(b),
    ...machine(),
  });
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}

const cell = (v: unknown) => (v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
process.stderr.write(
  `\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
process.stderr.write(
  '| row | chunks | seconds | p50 ms | p95 ms | RSS MB (start → after search) | load1 |\n|---|---:|---:|---:|---:|---|---:|\n',
);
for (const r of rows) {
  const time = r.seconds ?? r.seconds_to_ready ?? r.catch_up_s;
  const rss =
    r.rss_mb_after_search !== undefined ? `${r.rss_mb_after_start} → ${r.rss_mb_after_search}` : (r.rss_mb_after_start ?? r.rss_mb_after);
  process.stderr.write(
    `| ${r.row}${r.changes !== undefined ? ` (${r.changes} changes)` : ''} | ${cell(r.chunks)} | ${cell(time)} | ${cell(r.p50_ms)} | ${cell(r.p95_ms)} | ${cell(rss)} | ${r.load1} |\n`,
  );
}
const search = rows.find((r) => r.row === 'search replica');
if (search) process.stderr.write(`ratio replica/SQLite: p50 ${cell(search.ratio_p50)}×, p95 ${cell(search.ratio_p95)}×\n`);
