/**
 * Soak: the service in its own process on loopback under a steady mixed load for a bounded time:
 * questions (JSON and streamed), searches, feedback, uploads of new documents and their deletion,
 * and searches on a site key with a small limit (the intended 429s). Prints one JSON line per
 * interval (requests, p50/p95/p99, errors, 429s, server RSS and heap, documents, data folder
 * size), then a summary line and a table, and exits 1 when a bar fails:
 *   - errors = 0: any status other than 200 (429 allowed only on the limited key), a stream
 *     ending in an `error` event, a socket error or timeout, an error-level server log line;
 *   - RSS growth < 10% after warm-up: RSS read right after a full garbage collection (about every
 *     30 s, from the end of warm-up, the first 20% of the run, on): the last reading against the
 *     lowest one. Raw RSS (median of samples every 2 s) is reported too; it swings with V8's
 *     collections.
 *   - every kind of request succeeded at least once, and the server still answers /healthz.
 *
 * Run: npm run soak [-- --minutes 10] [--quick] [--interval 30] [--rate 100] [--connections 8]
 *                    [--malloc-arena-max 2|default] [--max-rss-growth 10]
 * (`--quick` is the 2-minute form the tests run.)
 */
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { cpus, totalmem } from 'node:os';
import { diskBytes, latencyStats, round } from '../perf/measure.js';
import { serverMemory, startServiceProcess } from './service-process.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    quick: { type: 'boolean', default: false },
    interval: { type: 'string' },
    rate: { type: 'string', default: '100' },
    connections: { type: 'string', default: '8' },
    'max-rss-growth': { type: 'string', default: '10' },
    'malloc-arena-max': { type: 'string', default: '2' },
  },
});
const minutes = Number(values.minutes ?? (values.quick ? 2 : 10));
const seconds = Math.round(minutes * 60);
const intervalS = Number(values.interval ?? Math.min(60, Math.max(5, Math.round(seconds / 20))));
const rate = Number(values.rate);
const connections = Number(values.connections);
const maxRssGrowthPct = Number(values['max-rss-growth']);
if (!(seconds >= intervalS * 3) || !(intervalS > 0) || !(connections > 0) || !(rate >= 0)) {
  process.stderr.write(
    'soak: --minutes must cover at least three intervals; --interval, --connections > 0, --rate ≥ 0 (0: as fast as the server goes)\n',
  );
  process.exit(2);
}

const questions = [
  'hoc phi mot thang bao nhieu',
  'Thư viện mở cửa lúc mấy giờ?',
  'lop buoi toi hoc may gio',
  'How much is the English course?',
  'Nghỉ quá bao nhiêu tiết thì không được thi?',
  'mat khau manh la gi',
  'ham SUM dung de lam gi',
  'Chiến dịch Điện Biên Phủ diễn ra khi nào?',
  'giá vé máy bay đi Paris bao nhiêu',
  'Lớp thông báo số 12 học ở phòng nào?',
];
const subjects = ['tin học văn phòng', 'tiếng Anh giao tiếp', 'kế toán cơ bản', 'may công nghiệp', 'điện dân dụng', 'nấu ăn'];
const days = ['thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy'];

/** A new, unique notice in Markdown: a few headed paragraphs, so it is chunked and embedded for real. */
function notice(n: number): string {
  const s = subjects[n % subjects.length]!;
  const d = days[n % days.length]!;
  return `# Thông báo số ${n}\n\n## Lịch học\n\nLớp ${s} số ${n} học vào ${d} từ ${7 + (n % 10)}h00 đến ${9 + (n % 10)}h00 tại phòng ${100 + (n % 40)}. Học viên mang theo sổ tay và bút.\n\n## Học phí\n\nHọc phí lớp ${s} số ${n} là ${300 + (n % 7) * 50}.000 đồng mỗi tháng, đóng tại phòng tài vụ trước ngày ${1 + (n % 28)}.\n\n## Liên hệ\n\nMọi thắc mắc về lớp số ${n} xin gửi về văn phòng trung tâm, mã lớp ${n.toString(36).toUpperCase()}.\n`;
}

const boundary = 'trogiang-soak-boundary';
const multipart = (name: string, text: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: text/markdown\r\n\r\n${text}\r\n--${boundary}\r\nContent-Disposition: form-data; name="collection"\r\n\r\nsoak\r\n--${boundary}--\r\n`;

type Kind = 'chat' | 'chat-stream' | 'search' | 'feedback' | 'upload' | 'delete' | 'limited';
interface Context {
  messageId?: string;
  documentId?: string;
}
interface Interval {
  latencies: number[];
  byKind: Map<Kind, number[]>;
  errors: number;
  rateLimited: number;
  rss: number[];
  heap: number[];
}

const newInterval = (): Interval => ({ latencies: [], byKind: new Map(), errors: 0, rateLimited: 0, rss: [], heap: [] });
let current = newInterval();
const totals = new Map<Kind, { ok: number; errors: number; rateLimited: number; latencies: number[] }>();
const errorSamples: string[] = [];
let lastKind: Kind | null = null;
let uploads = 0;

function record(kind: Kind, ok: boolean, status: number, body: string): void {
  const t = totals.get(kind) ?? { ok: 0, errors: 0, rateLimited: 0, latencies: [] };
  totals.set(kind, t);
  lastKind = kind;
  if (ok) t.ok++;
  else if (kind === 'limited' && status === 429) {
    t.rateLimited++;
    current.rateLimited++;
  } else {
    t.errors++;
    current.errors++;
    if (errorSamples.length < 10) errorSamples.push(`${kind} ${status}: ${body.slice(0, 200)}`);
  }
}

// glibc gives each thread its own malloc arena, and their fragmentation grows RSS for a long time
// with no leak behind it (measured: +4.5 MB a minute here with the default, flat with 2). The
// docs/operations.md recommends MALLOC_ARENA_MAX=2 for production; the soak runs what is recommended
// (`--malloc-arena-max default` runs glibc's default).
const arenas: Record<string, string> = values['malloc-arena-max'] === 'default' ? {} : { MALLOC_ARENA_MAX: values['malloc-arena-max']! };
const svc = await startServiceProcess({
  env: { RATE_LIMIT_PER_MINUTE: '100000', MAX_UPLOAD_BYTES: '1000000', ...arenas },
  gcOnSignal: true,
});
const stopOnSignal = () => void svc.stop().then(() => process.exit(130));
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

const admin = { authorization: `Bearer ${svc.adminToken}` };
await fetch(`${svc.base}/api/admin/collections`, {
  method: 'POST',
  headers: { ...admin, 'content-type': 'application/json' },
  body: JSON.stringify({ id: 'soak', name: 'Soak' }),
});
const limitedKey = (
  (await (
    await fetch(`${svc.base}/api/admin/site-keys`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Soak (limited)', allowedOrigins: [svc.base], rateLimitPerMinute: 30 }),
    })
  ).json()) as { siteKey: { key: string } }
).siteKey.key;

const json = { 'content-type': 'application/json' };
let q = 0;
const question = () => questions[q++ % questions.length]!;

const searchRequest = (extra = ''): autocannon.Request => ({
  method: 'GET',
  setupRequest: (req) => ({ ...req, path: `/api/search?q=${encodeURIComponent(question())}${extra}` }),
  onResponse: (status, body) => record('search', status === 200, status, body),
});
const chatRequest = (lang?: 'vi' | 'en'): autocannon.Request => ({
  method: 'POST',
  path: '/api/chat',
  headers: { ...json, accept: 'application/json' },
  setupRequest: (req) => ({ ...req, body: JSON.stringify({ message: question(), ...(lang ? { lang } : {}) }) }),
  onResponse: (status, body, context) => {
    const ok = status === 200 && body.includes('"answer"');
    if (ok) (context as Context).messageId = (JSON.parse(body) as { messageId: string }).messageId;
    record('chat', ok, status, body);
  },
});
const streamRequest: autocannon.Request = {
  method: 'POST',
  path: '/api/chat',
  headers: { ...json, accept: 'text/event-stream' },
  setupRequest: (req) => ({ ...req, body: JSON.stringify({ message: question() }) }),
  onResponse: (status, body) =>
    record('chat-stream', status === 200 && /^event: done$/m.test(body) && !/^event: error$/m.test(body), status, body),
};
const feedbackRequest: autocannon.Request = {
  method: 'POST',
  path: '/api/feedback',
  headers: json,
  setupRequest: (req, context) => ({
    ...req,
    body: JSON.stringify({
      messageId: (context as Context).messageId ?? '00000000-0000-4000-8000-000000000000',
      rating: q % 3 ? 'up' : 'down',
      comment: 'soak',
    }),
  }),
  onResponse: (status, body) => record('feedback', status === 200, status, body),
};

/**
 * One connection's cycle of 20 requests: 5 questions (one streamed), 10 searches (one on the
 * limited key), 2 feedbacks, one upload of a new notice, a search for it, and its deletion.
 */
const cycle: autocannon.Request[] = [
  chatRequest(),
  searchRequest(),
  streamRequest,
  searchRequest('&k=10'),
  feedbackRequest,
  chatRequest('vi'),
  {
    method: 'GET',
    path: '/api/search?q=hoc+phi',
    headers: { 'x-site-key': limitedKey },
    onResponse: (status, body) => record('limited', status === 200, status, body),
  },
  searchRequest('&mode=bm25'),
  chatRequest(),
  searchRequest(),
  searchRequest('&mode=vector'),
  chatRequest('en'),
  feedbackRequest,
  searchRequest(),
  {
    method: 'POST',
    path: '/api/admin/documents',
    headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
    setupRequest: (req) => {
      const n = ++uploads;
      return { ...req, body: multipart(`thong-bao-${n}.md`, notice(n)) };
    },
    onResponse: (status, body, context) => {
      const result =
        status === 200 ? (JSON.parse(body) as { results: Array<{ status: string; documentId?: string }> }).results[0] : undefined;
      if (result?.status === 'added') (context as Context).documentId = result.documentId;
      record('upload', result?.status === 'added', status, body);
    },
  },
  {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: `/api/search?q=${encodeURIComponent(`thong bao so ${uploads} hoc phi`)}` }),
    onResponse: (status, body) => record('search', status === 200, status, body),
  },
  searchRequest(),
  {
    method: 'DELETE',
    headers: admin,
    setupRequest: (req, context) => ({
      ...req,
      path: `/api/admin/documents/${encodeURIComponent((context as Context).documentId ?? 'upload-failed')}`,
    }),
    onResponse: (status, body) => record('delete', status === 200, status, body),
  },
  searchRequest('&k=3'),
  searchRequest('&mode=bm25'),
];

const intervals: Array<Record<string, number | null>> = [];
const started = Date.now();
let lastClose = started;
const sampler = setInterval(() => {
  serverMemory(svc.base)
    .then((m) => {
      current.rss.push(m.rssMb);
      current.heap.push(m.heapMb);
    })
    .catch(() => {});
}, 2_000);

const median = (xs: number[]) => {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2 : NaN;
};

const plannedIntervals = Math.round(seconds / intervalS);
const warmupIntervals = Math.max(1, Math.round(plannedIntervals * 0.2));
/** Full collections stall the server a moment: about every 30 s, at the end of warm-up, and at the end. */
const gcEvery = Math.max(1, Math.round(30 / intervalS));
const collectAt = (index: number, last: boolean) => last || index === warmupIntervals - 1 || (index + 1) % gcEvery === 0;

/** Ends the current interval: its latencies and counts, raw RSS, RSS after a full GC, documents. */
async function closeInterval(last = false): Promise<void> {
  const index = intervals.length;
  const done = current;
  const now = Date.now();
  const elapsedS = (now - lastClose) / 1000;
  lastClose = now;
  current = newInterval();
  const collect = collectAt(index, last);
  if (collect) await svc.fullGc();
  const afterGc = collect ? await serverMemory(svc.base).catch(() => ({ rssMb: NaN, heapMb: NaN })) : { rssMb: NaN, heapMb: NaN };
  const documents = await fetch(`${svc.base}/api/admin/documents`, { headers: admin })
    .then(async (r) => ((await r.json()) as { documents: unknown[] }).documents.length)
    .catch(() => NaN);
  const stats = latencyStats(done.latencies);
  const byKind = Object.fromEntries([...done.byKind].map(([kind, ms]) => [`${kind}_p95_ms`, round(latencyStats(ms).p95_ms, 1)]));
  const row = {
    t_s: Math.round((now - started) / 1000),
    requests: done.latencies.length,
    rps: round(done.latencies.length / elapsedS, 1),
    p50_ms: round(stats.p50_ms, 1),
    p95_ms: round(stats.p95_ms, 1),
    p99_ms: round(stats.p99_ms, 1),
    ...byKind,
    errors: done.errors,
    rate_limited: done.rateLimited,
    rss_mb: round(median(done.rss), 1),
    heap_mb: round(median(done.heap), 1),
    rss_after_gc_mb: collect ? round(afterGc.rssMb, 1) : null,
    heap_after_gc_mb: collect ? round(afterGc.heapMb, 1) : null,
    documents,
    data_mb: round(diskBytes(svc.dataDir) / 2 ** 20, 1),
  };
  intervals[index] = row;
  process.stdout.write(`${JSON.stringify({ soak: 'interval', ...row })}\n`);
}

// One interval closes at a time, in order; the last one when the load ends.
let closing: Promise<void> = Promise.resolve();
const ticker = setInterval(() => {
  // The load's own end closes the last interval.
  if (Date.now() - started < (seconds - intervalS / 2) * 1000) closing = closing.then(() => closeInterval());
}, intervalS * 1000);
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(
    { url: svc.base, connections, duration: seconds, timeout: 30, ...(rate > 0 ? { overallRate: rate } : {}), requests: cycle },
    (error, res) => (error ? reject(error) : resolve(res)),
  );
  // Called right after the response's onResponse, so `lastKind` is this response's kind.
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    current.latencies.push(responseTime);
    if (lastKind) {
      const list = current.byKind.get(lastKind) ?? [];
      list.push(responseTime);
      current.byKind.set(lastKind, list);
      totals.get(lastKind)?.latencies.push(responseTime);
    }
  });
});
clearInterval(ticker);
clearInterval(sampler);
closing = closing.then(() => closeInterval(true));
await closing;

const health = await fetch(`${svc.base}/healthz`, { signal: AbortSignal.timeout(10_000) })
  .then((r) => r.status)
  .catch(() => 0);
const exitedEarly = svc.exited();
await svc.stop();

// Bars.
const afterWarmup = intervals.slice(warmupIntervals);
// Readings after a full GC from the end of warm-up on; growth is the last one against the lowest
// (startup memory the allocator hands back later must not hide growth after it).
const rssReadings = intervals
  .slice(warmupIntervals - 1)
  .map((r) => r.rss_after_gc_mb)
  .filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
const rssWarm = rssReadings[0] ?? NaN;
const rssBase = rssReadings.length ? Math.min(...rssReadings) : NaN;
const rssEnd = rssReadings.at(-1) ?? NaN;
const rssGrowthPct = round(((rssEnd - rssBase) / rssBase) * 100, 1);
const socketErrors = result.errors + result.timeouts;
const requestErrors = [...totals.values()].reduce((sum, t) => sum + t.errors, 0);
const errors = requestErrors + socketErrors + svc.errorLogs.length;
const kinds: Kind[] = ['chat', 'chat-stream', 'search', 'feedback', 'upload', 'delete', 'limited'];
const failures: string[] = [];
if (errors > 0)
  failures.push(
    `${errors} errors (${requestErrors} bad responses, ${socketErrors} socket errors or timeouts, ${svc.errorLogs.length} error logs)`,
  );
if (!(rssGrowthPct < maxRssGrowthPct))
  failures.push(`RSS after GC grew ${rssGrowthPct}% after warm-up (lowest ${rssBase} → end ${rssEnd} MiB; bar < ${maxRssGrowthPct}%)`);
for (const kind of kinds) if (!(totals.get(kind)?.ok ?? 0)) failures.push(`no successful ${kind} request`);
if (!(totals.get('limited')?.rateLimited ?? 0)) failures.push('the limited site key was never limited: the 429 path was not exercised');
if (health !== 200 || exitedEarly !== null)
  failures.push(`the service is not healthy at the end (healthz ${health}, exit ${String(exitedEarly)})`);

const all = [...totals.values()].flatMap((t) => t.latencies);
const overall = latencyStats(all);
const summary = {
  soak: 'summary',
  minutes,
  interval_s: intervalS,
  connections,
  target_rps: rate || 'max',
  malloc_arena_max: values['malloc-arena-max'],
  requests: all.length,
  rps: round(all.length / seconds, 1),
  by_kind: Object.fromEntries(
    kinds.map((k) => {
      const t = totals.get(k) ?? { ok: 0, errors: 0, rateLimited: 0, latencies: [] };
      return [
        k,
        {
          ok: t.ok,
          errors: t.errors,
          rate_limited: t.rateLimited,
          p50_ms: round(latencyStats(t.latencies).p50_ms, 1),
          p95_ms: round(latencyStats(t.latencies).p95_ms, 1),
        },
      ];
    }),
  ),
  uploads,
  errors,
  rate_limited: totals.get('limited')?.rateLimited ?? 0,
  p50_ms: round(overall.p50_ms, 1),
  p95_ms: round(overall.p95_ms, 1),
  p99_ms: round(overall.p99_ms, 1),
  p95_after_warmup_first_ms: afterWarmup[0]?.p95_ms ?? null,
  p95_last_ms: intervals.at(-1)?.p95_ms ?? null,
  warmup_s: intervals[warmupIntervals - 1]?.t_s ?? null,
  rss_warm_mb: rssWarm,
  rss_base_mb: rssBase,
  rss_end_mb: rssEnd,
  rss_growth_pct: rssGrowthPct,
  heap_warm_mb: intervals[warmupIntervals - 1]?.heap_after_gc_mb ?? null,
  heap_end_mb: intervals.at(-1)?.heap_after_gc_mb ?? null,
  rss_raw_warm_mb: afterWarmup[0]?.rss_mb ?? null,
  rss_raw_end_mb: intervals.at(-1)?.rss_mb ?? null,
  error_samples: [...errorSamples, ...svc.errorLogs.slice(0, 5)],
  pass: failures.length === 0,
  failures,
};
process.stdout.write(`${JSON.stringify(summary)}\n`);

process.stderr.write(
  `\nsoak: ${minutes} min, ${connections} connections, ${rate || 'max'} req/s target, MALLOC_ARENA_MAX=${values['malloc-arena-max']}; machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`,
);
process.stderr.write(
  '| t (s) | req/s | p50 ms | p95 ms | p99 ms | errors | 429 | RSS MiB (raw) | RSS MiB after GC | heap MiB after GC | docs |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n',
);
for (const r of intervals)
  process.stderr.write(
    `| ${r.t_s} | ${r.rps} | ${r.p50_ms} | ${r.p95_ms} | ${r.p99_ms} | ${r.errors} | ${r.rate_limited} | ${r.rss_mb} | ${r.rss_after_gc_mb} | ${r.heap_after_gc_mb} | ${r.documents} |\n`,
  );
process.stderr.write(
  `\n${all.length} requests, ${errors} errors, ${summary.rate_limited} intended 429s; p95 ${summary.p95_ms} ms; RSS after GC: ${rssWarm} MiB at the end of the ${summary.warmup_s} s warm-up, lowest ${rssBase}, end ${rssEnd} (${rssGrowthPct}% over the lowest)\n`,
);
process.stderr.write(failures.length ? `FAIL\n${failures.map((f) => `  ✗ ${f}`).join('\n')}\n` : 'PASS\n');
process.exit(failures.length ? 1 : 0);
