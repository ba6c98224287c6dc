/**
 * One process against two on the same data folder (PROCESSES, docs/operations.md#several-processes-on-one-machine),
 * side by side in one run: `/api/search` throughput at 100k chunks with autocannon on the shared
 * port, resident memory of each process, a follower's cold start (SIGKILL, restarted by the
 * primary, until its /readyz answers) and its catch-up after 10,000 changes (the follower paused
 * with SIGSTOP while the writer stores them, then resumed, until it lags by nothing).
 * Run: npm run bench:processes [-- --chunks 100k --seconds 15 --connections 50 --changes 10000]
 * The 100k data folder is made as `npm run bench` makes it (evals/perf/.cache/data-100k, kept).
 * Prints one JSON line per row and a table; the machine's load average is printed with it:
 * autocannon and other jobs share the cores, so the ratio is only meaningful on a quiet machine.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '../../src/eval/index.js';
import { cacheDir, ensureCorpus, markdownOf, parseSize, readDocs, readQuestions, sizeLabel } from './corpus-gen.js';

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '100k' },
    seconds: { type: 'string', default: '15' },
    'warmup-seconds': { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    changes: { type: 'string', default: '10000' },
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '18700' },
  },
});
const chunks = parseSize(values.chunks!);
const seconds = Number(values.seconds);
const warmupSeconds = Number(values['warmup-seconds']);
const connections = Number(values.connections);
const changes = Number(values.changes);
const port = Number(values.port);
const processPortBase = port + 10;
const token = 'bench-admin-token-processes-000';
const root = join(import.meta.dirname, '../..');
const entry = join(root, 'src/server/main.ts');

const corpus = await ensureCorpus(chunks);
const dataDir = values['data-dir'] ?? join(cacheDir, `data-${sizeLabel(chunks)}`);
if (!existsSync(join(dataDir, 'indexes', 'CURRENT'))) {
  process.stderr.write(`building ${dataDir} (as npm run bench does)…\n`);
  await run(
    spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'stage-trogiang.ts'), 'ingest', '--docs', corpus.docsPath, '--data', dataDir],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    ),
  );
}
const questions = readQuestions(corpus.questionsPath).map((q) => q.text);

function run(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exited ${code}`)))));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const url = (p: number, path: string) => `http://127.0.0.1:${p}${path}`;

async function startService(processes: number): Promise<{ child: ChildProcess; startedS: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CORPUS_DIR: join(root, 'corpus'),
      PORT: String(port),
      PROCESSES: String(processes),
      ...(processes > 1 && { PROCESS_PORT_BASE: String(processPortBase) }),
      RATE_LIMIT_PER_MINUTE: '100000',
      RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: token,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/running on http/.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`service exited ${code}`)));
  });
  const startedS = (performance.now() - started) / 1000;
  return {
    child,
    startedS,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function rssMb(p: number): Promise<number> {
  const text = await (await fetch(url(p, '/metrics'))).text();
  return Math.round(Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0) / 2 ** 20);
}

interface Readiness {
  ready: boolean;
  process?: { pid: number; lag?: { generationsBehind: number; reloads: number; appliedGeneration: number } };
}
const readiness = async (p: number) => (await (await fetch(url(p, '/readyz'))).json()) as Readiness;
/** The chunks the service searches (a `--data-dir` may hold another number than `--chunks`). */
const chunksServed = async () => ((await (await fetch(url(port, '/readyz'))).json()) as { chunks: number }).chunks;

async function searchLoad(): Promise<{
  rps: number;
  p50_ms: number;
  p95_ms: number;
  errors: number;
  requests: number;
  byProcess: Record<string, number>;
}> {
  let i = 0;
  const byProcess: Record<string, number> = {};
  const latencies: number[] = [];
  const once = (duration: number, record: boolean) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: url(port, ''),
          connections,
          duration,
          requests: [
            {
              setupRequest: (req) => ({
                ...req,
                method: 'GET',
                path: `/api/search?q=${encodeURIComponent(questions[i++ % questions.length]!)}`,
              }),
            },
          ],
        },
        (error, res) => (error ? reject(error) : resolve(res)),
      );
      if (record) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
    });
  if (warmupSeconds > 0) await once(warmupSeconds, false);
  const result = await once(seconds, true);
  // Which processes answered (connections are spread round-robin): a sample of fresh connections.
  for (let k = 0; k < 20; k++) {
    const who = (await fetch(url(port, '/healthz'), { headers: { connection: 'close' } })).headers.get('x-trogiang-process') ?? 'single';
    byProcess[who] = (byProcess[who] ?? 0) + 1;
  }
  return {
    rps: Math.round(result.requests.average),
    p50_ms: Number(percentile(latencies, 50).toFixed(2)),
    p95_ms: Number(percentile(latencies, 95).toFixed(2)),
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
    byProcess,
  };
}

/** Uploads bench documents through the writer until at least `count` chunks were added (changes of the log). */
async function makeChanges(count: number, skipDocs: number): Promise<{ chunks: number; seconds: number }> {
  const started = performance.now();
  let added = 0;
  let seen = 0;
  let batch: FormData | undefined;
  let inBatch = 0;
  const send = async () => {
    const res = await fetch(url(processPortBase, '/api/admin/documents'), {
      method: 'POST',
      body: batch!,
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { results?: Array<{ status: string; chunks?: number }> };
    for (const r of body.results ?? []) if (r.status === 'added' || r.status === 'replaced') added += r.chunks ?? 0;
    batch = undefined;
    inBatch = 0;
  };
  for await (const doc of readDocs(corpus.docsPath)) {
    if (seen++ < skipDocs) continue;
    batch ??= new FormData();
    // Another collection: new documents (not "unchanged" ones), so every chunk is a change.
    batch.append('files', new Blob([markdownOf(doc)], { type: 'text/markdown' }), `bench-extra-${seen}.md`);
    batch.append('collection', 'bench-extra');
    if (++inBatch === 20) await send();
    if (added >= count) break;
  }
  if (batch && added < count) await send();
  return { chunks: added, seconds: (performance.now() - started) / 1000 };
}

const rows: Array<Record<string, unknown>> = [];
/** Keeps a row and prints it at once, so the rows measured so far survive an interrupted run. */
const record = (row: Record<string, unknown>) => {
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
};
const machine = () => ({ load1: Number(loadavg()[0]!.toFixed(2)), load5: Number(loadavg()[1]!.toFixed(2)) });

// One process: today's service.
{
  const service = await startService(1);
  const load = await searchLoad();
  record({
    bench: 'processes',
    processes: 1,
    chunks: await chunksServed(),
    connections,
    seconds,
    ...load,
    rss_mb: { single: await rssMb(port) },
    start_s: Number(service.startedS.toFixed(1)),
    ...machine(),
  });
  await service.stop();
}

// Two processes: the writer and one follower, sharing the port.
{
  const service = await startService(2);
  const load = await searchLoad();
  const rss = { writer: await rssMb(processPortBase), follower: await rssMb(processPortBase + 1) };
  record({
    bench: 'processes',
    processes: 2,
    chunks: await chunksServed(),
    connections,
    seconds,
    ...load,
    rss_mb: rss,
    start_s: Number(service.startedS.toFixed(1)),
    ...machine(),
  });

  // Follower cold start: killed, restarted by the primary (after its 0.5 s restart delay), until /readyz answers.
  const before = await readiness(processPortBase + 1);
  const killedAt = performance.now();
  process.kill(before.process!.pid, 'SIGKILL');
  for (;;) {
    await sleep(50);
    try {
      const r = await readiness(processPortBase + 1);
      if (r.ready && r.process?.pid !== before.process!.pid) break;
    } catch {
      // not listening yet
    }
  }
  const coldStartS = (performance.now() - killedAt) / 1000;
  record({
    bench: 'processes',
    row: 'follower cold start',
    chunks: await chunksServed(),
    seconds_to_ready: Number(coldStartS.toFixed(2)),
    includes_restart_delay_s: 0.5,
    rss_mb_after_start: await rssMb(processPortBase + 1),
    ...machine(),
  });

  // Catch-up: the follower paused while the writer stores `changes` chunks, then resumed.
  const paused = await readiness(processPortBase + 1);
  process.kill(paused.process!.pid, 'SIGSTOP');
  const made = await makeChanges(changes, 0);
  const resumedAt = performance.now();
  process.kill(paused.process!.pid, 'SIGCONT');
  let lag: Readiness['process'];
  for (;;) {
    await sleep(50);
    const r = await readiness(processPortBase + 1);
    lag = r.process;
    if (r.process?.lag?.generationsBehind === 0) break;
  }
  const catchUpS = (performance.now() - resumedAt) / 1000;
  record({
    bench: 'processes',
    row: 'follower catch-up',
    chunks: await chunksServed(),
    changes: made.chunks,
    writer_store_s: Number(made.seconds.toFixed(1)),
    catch_up_s: Number(catchUpS.toFixed(2)),
    reloads: lag?.lag?.reloads ?? 0,
    rss_mb_after: await rssMb(processPortBase + 1),
    ...machine(),
  });
  await service.stop();
}

const [one, two] = rows;
process.stderr.write(
  `\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at the end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
process.stderr.write(
  `| processes | req/s | p50 ms | p95 ms | errors | RSS MB per process | load1 |\n|---:|---:|---:|---:|---:|---|---:|\n`,
);
for (const r of [one!, two!])
  process.stderr.write(
    `| ${r.processes} | ${r.rps} | ${r.p50_ms} | ${r.p95_ms} | ${r.errors} | ${JSON.stringify(r.rss_mb)} | ${r.load1} |\n`,
  );
process.stderr.write(`ratio 2/1: ${((two!.rps as number) / (one!.rps as number)).toFixed(2)}×\n`);
for (const r of rows.slice(2)) process.stderr.write(`${JSON.stringify(r)}\n`);
