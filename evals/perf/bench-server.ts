/**
 * Loads the real service on loopback with autocannon: `/api/search` and `/api/chat`
 * (extractive, one JSON object) at 10 and 50 connections, over the shipped corpus.
 * Prints one JSON line per run and a table: requests per second, client latency p50/p95/p99,
 * errors, and for chat the server's own answer time (p50/p95, from the stored messages).
 * Each row starts with an untimed warm-up (`--warmup-seconds`, default 3), and records the server's
 * own CPU time per request: autocannon shares the machine's cores, so on two cores its own cost
 * caps the measured rate.
 * Run: npm run bench:server [-- --seconds 10 --connections 10,50]
 * Questions: every golden-set question (evals/golden), in turn. `--data-dir D` serves an existing
 * data folder instead (left in place; chat messages are added to it) and `--questions F` asks the
 * `text` (or `question`) of each JSON line of F instead.
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '../../src/eval/index.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    'warmup-seconds': { type: 'string', default: '3' },
    connections: { type: 'string', default: '10,50' },
    'data-dir': { type: 'string' },
    questions: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const warmupSeconds = Number(values['warmup-seconds']);
const connectionsList = values.connections!.split(',').map(Number);

// By default every question of the golden sets (261, distinct, Vietnamese with and without
// marks, English, unanswerable ones): eight repeated questions would measure warm per-question
// caches rather than retrieval.
const goldenDir = join(import.meta.dirname, '../golden');
const questionsOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const row = JSON.parse(l) as { text?: string; question?: string };
      return row.text ?? row.question ?? '';
    })
    .filter(Boolean);
const questions = values.questions
  ? questionsOf(values.questions)
  : readdirSync(goldenDir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .flatMap((f) => questionsOf(join(goldenDir, f)));

// The server runs in its own process, as in production, so autocannon does not share its event loop.
const root = mkdtempSync(join(tmpdir(), 'trogiang-bench-'));
const dataDir = values['data-dir'] ?? join(root, 'data');
const server = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/server/main.ts')], {
  env: {
    ...process.env,
    DATA_DIR: dataDir,
    CORPUS_DIR: join(import.meta.dirname, '../../corpus'),
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: 'bench-admin-token-0000000000',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const base = await new Promise<string>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /running on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]!);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
});
const serverRss = async () => {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Math.round(Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0) / 2 ** 20);
};
// The server's own CPU time (prom-client's process metric): autocannon runs on the same two cores,
// so its cost caps the measured rate; CPU per request says what the server alone needs.
const serverCpuSeconds = async () => {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^process_cpu_seconds_total (\S+)/m.exec(text)?.[1] ?? 0);
};
const db = new Database(join(dataDir, 'trogiang.db'), { readonly: true });

async function load(name: string, connections: number, request: (i: number) => autocannon.Request) {
  const latencies: number[] = [];
  let i = 0;
  const run = (duration: number, record: boolean) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        { url: base, connections, duration, requests: [{ setupRequest: (req) => ({ ...req, ...request(i++) }) }] },
        (error, res) => (error ? reject(error) : resolve(res)),
      );
      // autocannon reports p97.5 but not p95: keep every response time to compute it.
      if (record) instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
  // Untimed warm-up first: the JIT, the retriever's caches and the connection pool settle.
  if (warmupSeconds > 0) await run(warmupSeconds, false);
  const rssBefore = await serverRss();
  const cpuBefore = await serverCpuSeconds();
  const result = await run(seconds, true);
  const cpuSeconds = (await serverCpuSeconds()) - cpuBefore;
  const row = {
    bench: 'server',
    endpoint: name,
    connections,
    seconds,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50_ms: Number(percentile(latencies, 50).toFixed(2)),
    p95_ms: Number(percentile(latencies, 95).toFixed(2)),
    p99_ms: Number(percentile(latencies, 99).toFixed(2)),
    errors: result.errors + result.timeouts + result.non2xx,
    // Share of one core the server used, and its CPU per request (the rate one free core would give is 1000 / this).
    server_cpu_cores: Number((cpuSeconds / seconds).toFixed(2)),
    server_cpu_ms_per_request: Number(((cpuSeconds * 1000) / Math.max(1, result.requests.total)).toFixed(3)),
    server_rss_mb_before: rssBefore,
    server_rss_mb_after: await serverRss(),
  };
  return row;
}

const rows: Array<Record<string, number | string>> = [];
for (const connections of connectionsList) {
  rows.push(
    await load('GET /api/search', connections, (i) => ({
      method: 'GET',
      path: `/api/search?q=${encodeURIComponent(questions[i % questions.length]!)}`,
    })),
  );
  const since = new Date().toISOString();
  const row = await load('POST /api/chat', connections, (i) => ({
    method: 'POST',
    path: '/api/chat',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ message: questions[i % questions.length] }),
  }));
  const serverTimes = db
    .prepare('SELECT latency_ms AS ms FROM messages WHERE created_at >= ?')
    .all(since)
    .map((r) => (r as { ms: number }).ms);
  rows.push({ ...row, server_answer_p50_ms: percentile(serverTimes, 50), server_answer_p95_ms: percentile(serverTimes, 95) });
}
for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
process.stderr.write(
  `\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
);
process.stderr.write(
  '| endpoint | connections | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU (cores) | server CPU ms/request | server answer p50 / p95 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n',
);
for (const r of rows) {
  process.stderr.write(
    `| ${r.endpoint} | ${r.connections} | ${r.rps} | ${r.p50_ms} | ${r.p95_ms} | ${r.p99_ms} | ${r.errors} | ${r.server_cpu_cores} | ${r.server_cpu_ms_per_request} | ${r.server_answer_p95_ms !== undefined ? `${r.server_answer_p50_ms} / ${r.server_answer_p95_ms}` : ''} |\n`,
  );
}
db.close();
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));
rmSync(root, { recursive: true, force: true });
