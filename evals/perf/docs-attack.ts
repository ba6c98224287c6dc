/**
 * `GET /docs/:id` under the two loads of issue 15 (items 3 and 4), against the real server in its
 * own process (as in production), measured from outside:
 *
 * - slow readers of a large PDF: `--readers` connections each reading about 2 KB/s (as
 *   `curl --limit-rate 2k`), every one from its own address (`X-Forwarded-For` behind
 *   `TRUST_PROXY`, so the per-address cap of 6 does not hide the memory per connection); the
 *   server's resident memory (VmRSS) before, at its peak, and `--after` seconds after they left;
 * - clients re-reading a large Markdown: `--md-clients` loops of `GET /docs/<md>` for `--seconds`,
 *   while `/healthz` is probed every 200 ms (2 s timeout): how long the event loop is blocked,
 *   and how many times the document was rendered.
 *
 *   npx tsx evals/perf/docs-attack.ts [--readers 120] [--pdf-mb 27] [--after 60] [--md-mb 3] [--md-clients 8] [--seconds 30]
 *
 * (The Markdown is 3 MB by default: uploading the attack test's 10 MB one takes minutes of
 * ingest on a busy two-core machine, over fetch's 5-minute header timeout.)
 *
 * Prints one JSON line per measurement (see measure.ts). Runs on any commit whose server has
 * `/docs/:id` (to measure the code before a change: check out its `src/`, keep this file).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makePaddedPdf, makeVietnamesePdf } from '../../test/support/make-fixtures.js';
import { emit, note } from './measure.js';

const { values } = parseArgs({
  options: {
    readers: { type: 'string', default: '120' },
    'pdf-mb': { type: 'string', default: '27' },
    after: { type: 'string', default: '60' },
    'md-mb': { type: 'string', default: '3' },
    'md-clients': { type: 'string', default: '8' },
    seconds: { type: 'string', default: '30' },
  },
});
const readers = Number(values.readers);
const pdfBytes = Number(values['pdf-mb']) * 2 ** 20;
const afterSeconds = Number(values.after);
const mdBytes = Number(values['md-mb']) * 2 ** 20;
const mdClients = Number(values['md-clients']);
const seconds = Number(values.seconds);
const token = 'bench-admin-token-0000000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const root = mkdtempSync(join(tmpdir(), 'trogiang-docs-attack-'));
const server = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/server/main.ts')], {
  env: {
    ...process.env,
    DATA_DIR: join(root, 'data'),
    CORPUS_DIR: join(root, 'no-corpus'),
    PORT: '0',
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: token,
    RATE_LIMIT_PER_MINUTE: '100000',
    TRUST_PROXY: 'true',
    MAX_UPLOAD_BYTES: String(Math.max(pdfBytes, mdBytes) + 2 ** 20),
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
const rssMb = () => Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

async function upload(name: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append('files', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${base}/api/admin/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { results: Array<{ status: string; documentId?: string }> };
  if (!body.results?.[0]?.documentId) throw new Error(`upload of ${name} failed: ${JSON.stringify(body)}`);
  return body.results[0].documentId;
}

/** A reader taking about 2 KB/s (512 bytes every 250 ms), as `curl --limit-rate 2k`. */
function slowReader(path: string, address: string): Socket {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname, () => {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-Forwarded-For: ${address}\r\n\r\n`);
  });
  socket.pause();
  const timer = setInterval(() => socket.read(512) ?? socket.read(), 250);
  socket.on('close', () => clearInterval(timer));
  socket.on('error', () => {});
  return socket;
}

try {
  // 1. Slow readers of a large PDF (skipped with --readers 0).
  if (readers > 0) {
    const pdfId = await upload('giao-trinh-day.pdf', makePaddedPdf(await makeVietnamesePdf(), pdfBytes));
    await sleep(1000);
    const before = rssMb();
    note(`PDF of ${values['pdf-mb']} MB stored; server RSS ${before} MB; ${readers} slow readers for 20 s`);
    const sockets = Array.from({ length: readers }, (_, i) =>
      slowReader(`/docs/${pdfId}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`),
    );
    let peak = before;
    for (let t = 0; t < 40; t++) {
      await sleep(500);
      peak = Math.max(peak, rssMb());
    }
    for (const s of sockets) s.destroy();
    note(`peak ${peak} MB; waiting ${afterSeconds} s after the readers left`);
    await sleep(afterSeconds * 1000);
    emit({
      stage: 'docs-slow-readers',
      readers,
      pdfMb: Number(values['pdf-mb']),
      rssBeforeMb: before,
      rssPeakMb: peak,
      perReaderKb: Math.round(((peak - before) * 1024) / readers),
      rssAfterMb: rssMb(),
      afterSeconds,
    });
  }

  // 2. Clients re-reading a large Markdown while /healthz is probed.
  const paragraphs: string[] = ['# Đề cương ôn tập\n'];
  for (let i = 0, size = 0; size < mdBytes; i++) {
    const p = `\n## Tuần ${i}\n\nTuần ${i}: học viên ôn chủ đề số ${i * 7 + 3}, làm ${(i % 9) + 2} bài tập và nộp báo cáo mã ${(i * 7919) % 100003}.\n`;
    paragraphs.push(p);
    size += Buffer.byteLength(p);
  }
  const mdId = await upload('de-cuong.md', new TextEncoder().encode(paragraphs.join('')));
  note(`Markdown of ${values['md-mb']} MB stored; ${mdClients} clients re-reading it for ${seconds} s`);
  const deadline = Date.now() + seconds * 1000;
  let reads = 0;
  const failures: string[] = [];
  const clients = Array.from({ length: mdClients }, async (_, i) => {
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${base}/docs/${mdId}`, {
          headers: { 'x-forwarded-for': `10.200.0.${i}` },
          signal: AbortSignal.timeout(60_000),
        });
        await res.arrayBuffer();
        if (res.status === 200) reads++;
        else failures.push(`HTTP ${res.status}`);
      } catch (error) {
        failures.push(String((error as Error).cause ?? error).slice(0, 80));
      }
    }
  });
  const probes: number[] = [];
  let timeouts = 0;
  const probe = (async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      try {
        await (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })).arrayBuffer();
        probes.push(performance.now() - started);
      } catch {
        timeouts++;
      }
      await sleep(200);
    }
  })();
  await Promise.all([...clients, probe]);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const renders = Number(/^trogiang_document_renders_total (\d+)/m.exec(metrics)?.[1] ?? NaN);
  probes.sort((a, b) => a - b);
  emit({
    stage: 'docs-markdown-rereads',
    mdMb: Number(values['md-mb']),
    clients: mdClients,
    seconds,
    reads,
    failed: failures.length,
    failures: [...new Set(failures)].slice(0, 3).join('; '),
    renders: Number.isNaN(renders) ? null : renders,
    healthzProbes: probes.length + timeouts,
    healthzTimeouts: timeouts,
    healthzP50Ms: Math.round(probes[Math.floor(probes.length / 2)] ?? NaN),
    healthzMaxMs: Math.round(probes.at(-1) ?? NaN),
  });
} finally {
  server.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
}
