import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSmallCorpus } from '../support/start-service.js';

// Two real service processes (PROCESSES=2: a writer and a follower under node:cluster) on one
// data folder, reached each on its own loopback port (PROCESS_PORT_BASE) and through the shared one.

const entry = join(import.meta.dirname, '../../src/server/main.ts');
const token = 'test-admin-token-processes-0001';
// A fixed port per run, away from the ports other tests take (0: the system's).
const port = 21000 + (process.pid % 2000) * 4;
const writerPort = port + 1;
const followerPort = port + 2;
const url = (p: number, path: string) => `http://127.0.0.1:${p}${path}`;

let root: string;
let dataDir: string;
let primary: ChildProcess;
let output = '';

interface Readiness {
  ready: boolean;
  process: {
    role: string;
    index: number;
    pid: number;
    lag?: { generationsBehind: number; appliedGeneration: number; storeGeneration: number };
  };
}
const readiness = async (p: number) => (await (await fetch(url(p, '/readyz'))).json()) as Readiness;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function upload(p: number, name: string, body: string) {
  const form = new FormData();
  form.append('files', new Blob([body], { type: 'text/plain' }), name);
  return fetch(url(p, '/api/admin/documents'), { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
}

async function citedIds(p: number, q: string): Promise<string[]> {
  const res = await fetch(url(p, `/api/search?q=${encodeURIComponent(q)}`));
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: Array<{ documentId: string }> };
  return body.results.map((r) => r.documentId);
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'trogiang-processes-'));
  dataDir = join(root, 'data');
  await writeSmallCorpus(join(root, 'corpus'));
  primary = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CORPUS_DIR: join(root, 'corpus'),
      PORT: String(port),
      HOST: '127.0.0.1',
      PROCESSES: '2',
      PROCESS_PORT_BASE: String(writerPort),
      ADMIN_TOKEN: token,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  primary.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  primary.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor('the banner', async () => (/running on http/.test(output) ? true : undefined), 240_000);
}, 300_000);

afterAll(async () => {
  if (primary && primary.exitCode === null) {
    primary.kill('SIGTERM');
    await new Promise((r) => primary.once('exit', r));
  }
  rmSync(root, { recursive: true, force: true });
}, 30_000);

describe('two processes on one data folder', () => {
  it('names the process that answers, the writer and the follower on their own ports, both on the shared one', async () => {
    expect((await fetch(url(writerPort, '/healthz'))).headers.get('x-trogiang-process')).toBe('writer-0');
    expect((await fetch(url(followerPort, '/healthz'))).headers.get('x-trogiang-process')).toBe('follower-1');
    const seen = new Set<string>();
    // Fresh connections (round-robin over connections): both processes answer on the shared port.
    for (let i = 0; i < 20 && seen.size < 2; i++)
      seen.add((await fetch(url(port, '/healthz'), { headers: { connection: 'close' } })).headers.get('x-trogiang-process')!);
    expect([...seen].sort()).toEqual(['follower-1', 'writer-0']);
    const follower = await readiness(followerPort);
    expect(follower.ready).toBe(true);
    expect(follower.process.role).toBe('follower');
    expect(follower.process.lag?.generationsBehind).toBe(0);
  });

  it('an upload through the follower is forwarded to the writer, and both cite it at once', async () => {
    const res = await upload(followerPort, 'lich-thi.txt', 'Lịch thi cuối kỳ môn địa lý vào sáng thứ bảy tại phòng 204.');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-trogiang-process')).toBe('follower-1');
    expect(res.headers.get('x-trogiang-process-forwarded-to')).toBe('writer-0');
    const { results } = (await res.json()) as { results: Array<{ status: string; documentId: string }> };
    expect(results[0]!.status).toBe('added');
    const id = results[0]!.documentId;
    // The follower answered the upload once its own indexes had applied it.
    expect(await citedIds(followerPort, 'lich thi dia ly phong 204')).toContain(id);
    expect(await citedIds(writerPort, 'lich thi dia ly phong 204')).toContain(id);
  });

  it('an upload through the writer is cited by the follower within 5 s; a deletion through the follower is gone from both', async () => {
    const res = await upload(writerPort, 'cau-lac-bo.txt', 'Câu lạc bộ cờ vua họp vào chiều thứ năm hằng tuần ở hội trường.');
    expect(res.status).toBe(200);
    const id = ((await res.json()) as { results: Array<{ documentId: string }> }).results[0]!.documentId;
    await waitFor(
      'the follower cites the upload',
      async () => ((await citedIds(followerPort, 'cau lac bo co vua')).includes(id) ? true : undefined),
      5000,
    );
    const del = await fetch(url(followerPort, `/api/admin/documents/${encodeURIComponent(id)}`), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(del.status).toBe(200);
    expect(await citedIds(followerPort, 'cau lac bo co vua')).not.toContain(id);
    expect(await citedIds(writerPort, 'cau lac bo co vua')).not.toContain(id);
  });

  it('reports each process lag in /metrics', async () => {
    const text = await (await fetch(url(followerPort, '/metrics'))).text();
    expect(text).toMatch(/^trogiang_index_generations_behind\{role="follower",process="1"\} 0$/m);
    expect(text).toMatch(/^trogiang_index_seconds_behind\{role="follower",process="1"\} 0$/m);
    expect(await (await fetch(url(writerPort, '/metrics'))).text()).toMatch(
      /^trogiang_index_generations_behind\{role="writer",process="0"\} 0$/m,
    );
  });

  it('logs answers from both processes while the writer stores an upload, none failing on a busy database', async () => {
    const big = Array.from({ length: 400 }, (_, i) => `Đoạn ${i}: quy định số ${i} về giờ học, học phí và thư viện của trung tâm.`).join(
      '\n\n',
    );
    const uploading = upload(followerPort, 'quy-dinh.txt', big);
    const chats = Array.from({ length: 40 }, (_, i) =>
      fetch(url(i % 2 ? followerPort : writerPort, '/api/chat'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ message: `học phí lớp tin học bao nhiêu ${i}` }),
      }).then((r) => r.status),
    );
    expect(await Promise.all(chats)).toEqual(chats.map(() => 200));
    expect((await uploading).status).toBe(200);
  }, 60_000);

  it('a follower killed with SIGKILL is restarted and catches up with what was stored meanwhile; the writer kept the log it needs', async () => {
    const before = await readiness(followerPort);
    process.kill(before.process.pid, 'SIGKILL');
    const res = await upload(
      writerPort,
      'ngay-hoi.txt',
      'Ngày hội đọc sách của trung tâm diễn ra vào tháng tư, có tặng sách cho học viên.',
    );
    const id = ((await res.json()) as { results: Array<{ documentId: string }> }).results[0]!.documentId;
    const after = await waitFor(
      'the follower restarted',
      async () => {
        const r = await readiness(followerPort);
        return r.process.pid !== before.process.pid && r.ready ? r : undefined;
      },
      90_000,
    );
    expect(after.process.lag?.generationsBehind).toBe(0);
    expect(await citedIds(followerPort, 'ngay hoi doc sach')).toContain(id);
    // The registry shows the live follower at the store's generation; the log still reaches back to it.
    const db = new Database(join(dataDir, 'trogiang.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT pid, generation FROM index_followers').all() as Array<{ pid: number; generation: number }>;
      const live = rows.find((r) => r.pid === after.process.pid);
      expect(live?.generation).toBe(after.process.lag?.appliedGeneration);
      const oldest = (db.prepare('SELECT min(generation) AS g FROM chunk_changes').get() as { g: number }).g;
      expect(oldest).toBeLessThanOrEqual(live!.generation);
    } finally {
      db.close();
    }
  }, 120_000);
});
