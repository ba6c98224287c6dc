/** Renders the benchmark's rows as the Markdown report (`evals/perf/RESULTS.md`). */
import type { Row } from './measure.js';

export interface ReportMeta {
  machine: { cores: number; cpu: string; memory_gib: number; node: string; platform: string };
  startedAt: string;
  minutes: number;
  command: string;
  quick: boolean;
  loadavg: number[];
  /** The peers' build budget and per-loop query budget, in seconds (absent in runs before the peer cache: 300 and 60). */
  peerBuildBudgetS?: number;
  peerQueryBudgetS?: number;
  /** The run whose rows (`from_run`) were included for sizes this run did not measure (`--include-rows`). */
  included?: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const fmt = (v: unknown, digits = 1): string => {
  const n = num(v);
  if (n === undefined) return '–';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return n
    .toFixed(digits)
    .replace(/\.0+$/, '')
    .replace(/(\.\d*?)0+$/, '$1');
};
const ratio = (a: unknown, b: unknown): string => {
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined || y === 0) return '–';
  const r = x / y;
  return r >= 100 ? `${Math.round(r)}×` : r >= 10 ? `${r.toFixed(1)}×` : r >= 0.01 ? `${r.toFixed(2)}×` : `${r.toExponential(1)}×`;
};
/** "2026-11-29 12:10 UTC" from an ISO date. */
const builtAt = (iso: unknown) => (typeof iso === 'string' ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'earlier');
const mb = (bytes: unknown) => (num(bytes) === undefined ? '–' : `${fmt((bytes as number) / 2 ** 20, 1)} MB`);

/** recall@10 of a hit string over its first `n` questions. */
function recallOver(hits: unknown, n: number): number | undefined {
  if (typeof hits !== 'string' || hits.length < n || n === 0) return undefined;
  let k = 0;
  for (let i = 0; i < n; i++) if (hits[i] === '1') k++;
  return k / n;
}

function table(head: string[], body: string[][], align?: string[]): string {
  const a = align ?? head.map((_, i) => (i === 0 ? '---' : '---:'));
  return [`| ${head.join(' | ')} |`, `|${a.join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**pass**' : '**FAIL**');

export function renderReport(allRows: Row[], meta: ReportMeta, compare?: { label: string; rows: Row[] }): string {
  // Rows of "after" variants (e.g. native push) go to their own section, not the main tables.
  const rows = allRows.filter((r) => r.variant === undefined);
  const sizes = [...new Set(rows.map((r) => String(r.size)).filter((s) => s !== 'pdf' && s !== 'corpus' && s !== 'undefined'))];
  const find = (pred: (r: Row) => boolean) => rows.find(pred);
  const q = (size: string, system: string, mode: string) =>
    find((r) => r.size === size && r.bench === 'query' && r.system === system && r.mode === mode);
  const out: string[] = [];
  const m = meta.machine;
  out.push(`# trogiang performance benchmark${meta.quick ? ' (quick mode)' : ''}`);
  out.push('');
  out.push(`Run ${meta.startedAt.slice(0, 16).replace('T', ' ')} UTC · ${meta.minutes} min · \`${meta.command}\``);
  out.push('');
  if (meta.included) {
    const sizesIn = [...new Set(rows.filter((r) => r.from_run !== undefined).map((r) => String(r.size)))];
    out.push(
      `Sizes ${sizesIn.join(', ')}: from another run, ${meta.included} (its rows carry \`from_run\`); the machine's state then is in their \`load1\`.`,
    );
    out.push('');
  }
  out.push(
    `Machine: ${m.cores} cores (${m.cpu}), ${m.memory_gib} GiB, ${m.platform}, Node ${m.node}. Load average at the end ${meta.loadavg.join(' / ')}; \`load1\` in each JSON line is the load when its stage started. The machine is shared (other jobs run beside the benchmark), so absolute figures are noisy: **compare the ratios trogiang / peer, measured in the same run**. Latencies are medians (p50) and tail percentiles over every question asked.`,
  );
  out.push('');

  // ---- Targets
  const coldStart = (row: Row | undefined) => (row ? `${fmt(num(row.cold_start_ms)! / 1000, 2)} s` : '–');
  // The 100k targets, read at the largest size below 1M when 100k was not run (quick mode: 1k);
  // never at 1M, which has its own target.
  const at100 = sizes.includes('100k') ? '100k' : sizes.filter((s) => s !== '1m').at(-1);
  const at1m = sizes.includes('1m') ? '1m' : undefined;
  const hybrid100 = at100 ? q(at100, 'trogiang', 'hybrid') : undefined;
  const hybrid1m = at1m ? q(at1m, 'trogiang', 'hybrid') : undefined;
  const cold100 = at100 ? find((r) => r.size === at100 && r.bench === 'cold-start') : undefined;
  const serve100 = at100 ? find((r) => r.size === at100 && r.bench === 'serve-memory') : undefined;
  const ingest100 = at100 ? find((r) => r.size === at100 && r.bench === 'ingest' && r.system === 'trogiang') : undefined;
  const pdf = find((r) => r.bench === 'ingest-pdf');
  const search50 = rows.filter((r) => r.bench === 'server' && r.endpoint === 'GET /api/search' && r.connections === 50);
  const chatRows = rows.filter((r) => r.bench === 'server' && r.endpoint === 'POST /api/chat');
  const peerRecalls = at100 ? rows.filter((r) => r.size === at100 && r.bench === 'query' && r.system !== 'trogiang') : [];
  const recallOk =
    hybrid100 && peerRecalls.length
      ? peerRecalls.every((p) => {
          const mine = recallOver(hybrid100.hits, Number(p.queries));
          return mine !== undefined && mine >= (num(p.recall10) ?? 0);
        })
      : undefined;
  const worstPeer = peerRecalls.map((p) => `${p.system} ${fmt(p.recall10, 3)}`).join(', ');
  const targetRows: string[][] = [
    [
      `Hybrid retrieval p95 at ${at100 ?? '100k'} chunks`,
      '≤ 10 ms',
      hybrid100 ? `${fmt(hybrid100.p95_ms, 2)} ms (p50 ${fmt(hybrid100.p50_ms, 2)})` : '–',
      verdict(hybrid100 ? (num(hybrid100.p95_ms) ?? Infinity) <= 10 : undefined),
    ],
    [
      `… at equal or better recall@10 than the peers (same questions)`,
      '≥ peers',
      hybrid100 ? `trogiang hybrid ${fmt(hybrid100.recall10, 3)}; peers: ${worstPeer || '–'}` : '–',
      verdict(recallOk),
    ],
    [
      'Hybrid retrieval p95 at 1M chunks',
      '≤ 50 ms',
      hybrid1m ? `${fmt(hybrid1m.p95_ms, 2)} ms` : 'not run (`--1m`)',
      verdict(hybrid1m ? (num(hybrid1m.p95_ms) ?? Infinity) <= 50 : undefined),
    ],
    [
      `Cold start at ${at100 ?? '100k'} (open + first answer)`,
      '≤ 3 s',
      coldStart(cold100),
      verdict(cold100 ? (num(cold100.cold_start_ms) ?? Infinity) <= 3000 : undefined),
    ],
    [
      'Ingest, real PDFs, local embedder',
      '≥ 100 pages/s',
      pdf ? `${fmt(pdf.pages_per_s)} pages/s (${pdf.pages} pages)` : '–',
      verdict(pdf ? (num(pdf.pages_per_s) ?? 0) >= 100 : undefined),
    ],
    [
      `Peak RSS at ${at100 ?? '100k'} (serving: open + queries)`,
      '≤ 1 GB',
      serve100 ? `${fmt(serve100.peak_rss_mb)} MB serving; ${fmt(ingest100?.peak_rss_mb)} MB while ingesting` : '–',
      verdict(serve100 ? (num(serve100.peak_rss_mb) ?? Infinity) <= 1024 : undefined),
    ],
    ...search50.map((r) => [
      `\`/api/search\` at 50 connections (${r.size === 'corpus' ? 'shipped corpus' : `${r.size} chunks`})`,
      '≥ 1,000 req/s, 0 errors',
      `${fmt(r.rps)} req/s, ${r.errors} errors`,
      verdict((num(r.rps) ?? 0) >= 1000 && r.errors === 0),
    ]),
    ...[...new Set(chatRows.map((r) => String(r.size)))].map((size) => {
      const worst = chatRows.filter((r) => r.size === size).reduce((w, r) => Math.max(w, num(r.server_answer_p95_ms) ?? 0), 0);
      return [
        `Extractive \`/api/chat\` server time p95 (${size === 'corpus' ? 'shipped corpus' : `${size} chunks`}, worst over connection counts)`,
        '≤ 20 ms',
        `${fmt(worst)} ms`,
        verdict(worst <= 20),
      ];
    }),
  ];
  if (hybrid100 && at100) {
    const peerLine = peerRecalls
      .filter((p) => !String(p.system).endsWith('-fuzzy'))
      .map(
        (p) =>
          `${p.system} p95 ${fmt(p.p95_ms, 2)} ms, recall ${fmt(p.recall10, 3)}${p.capped || Number(p.queries) < Number(hybrid100.queries) ? ` (${p.queries} questions)` : ''}`,
      )
      .join('; ');
    out.push(
      `**Headline, ${at100} chunks:** trogiang hybrid retrieval p50 ${fmt(hybrid100.p50_ms, 2)} ms, p95 ${fmt(hybrid100.p95_ms, 2)} ms at recall@10 ${fmt(hybrid100.recall10, 3)} (${hybrid100.queries} questions)${peerLine ? `; ${peerLine}` : ''}. Cold start ${coldStart(cold100)}, ingest ${fmt(ingest100?.chunks_per_s)} chunks/s, ${fmt(serve100?.rss_bytes_per_chunk)} resident bytes per chunk.`,
    );
    out.push('');
  }
  if (hybrid1m && at1m) {
    const cold1m = find((r) => r.size === at1m && r.bench === 'cold-start');
    const ingest1m = find((r) => r.size === at1m && r.bench === 'ingest' && r.system === 'trogiang');
    const serve1m = find((r) => r.size === at1m && r.bench === 'serve-memory');
    out.push(
      `**Headline, 1M chunks:** trogiang hybrid retrieval p50 ${fmt(hybrid1m.p50_ms, 2)} ms, p95 ${fmt(hybrid1m.p95_ms, 2)} ms at recall@10 ${fmt(hybrid1m.recall10, 3)} (${hybrid1m.queries} questions). Cold start ${coldStart(cold1m)}, ingest ${fmt(ingest1m?.chunks_per_s)} chunks/s (peak RSS ${fmt(ingest1m?.peak_rss_mb)} MB), serving RSS ${fmt(serve1m?.peak_rss_mb)} MB (${fmt(serve1m?.rss_bytes_per_chunk)} bytes per chunk).`,
    );
    out.push('');
  }
  out.push('## Targets');
  out.push('');
  out.push(table(['Target', 'Goal', 'Measured', 'Verdict'], targetRows, ['---', '---', '---', '---']));
  out.push('');
  out.push('Profiles of the misses and the proposed fixes: [PROFILES.md](PROFILES.md).');
  out.push('');

  // ---- Per size
  for (const size of sizes) {
    const ingest = find((r) => r.size === size && r.bench === 'ingest');
    const build = find((r) => r.size === size && r.bench === 'index-build' && r.system === 'trogiang');
    const cold = find((r) => r.size === size && r.bench === 'cold-start');
    const answer = find((r) => r.size === size && r.bench === 'answer');
    const serve = find((r) => r.size === size && r.bench === 'serve-memory');
    out.push(`## ${size} chunks`);
    out.push('');
    out.push('### trogiang stages');
    out.push('');
    const stageRows: string[][] = [];
    if (ingest) {
      stageRows.push([
        'Ingest (parsed blocks → chunks, IDF statistics, embeddings, SQLite, both indexes, save)',
        `${fmt(ingest.seconds)} s`,
        `${fmt(ingest.chunks_per_s)} chunks/s; ${ingest.documents} documents in ${ingest.batches} batch(es)`,
      ]);
      stageRows.push([
        '… of which',
        '',
        `IDF statistics ${fmt(build?.features_s)} s, embedding ${fmt(build?.embed_s)} s, SQLite ${fmt(build?.store_s)} s, BM25 add ${fmt(build?.bm25_s)} s, HNSW add ${fmt(build?.hnsw_s)} s, index save ${fmt(build?.save_s)} s, other (chunking, loop) ${fmt(build?.other_s)} s`,
      ]);
      stageRows.push([
        'Index build (BM25 + HNSW adds + save, inside the ingest)',
        `${fmt(build?.seconds)} s`,
        `${fmt(build?.chunks_per_s)} chunks/s`,
      ]);
      stageRows.push([
        'Index size on disk',
        mb(ingest.index_bytes),
        `${fmt(ingest.index_bytes_per_chunk)} bytes/chunk (store: ${mb(ingest.store_bytes)}; ${fmt(ingest.disk_bytes_per_chunk)} bytes/chunk with the store)`,
      ]);
      stageRows.push(['Peak RSS while ingesting', `${fmt(ingest.peak_rss_mb)} MB`, '']);
    } else {
      stageRows.push(['Ingest', '–', 'not measured in this run (`--reuse-data` or failed)']);
    }
    if (cold) {
      stageRows.push([
        'Cold start: `Engine.open` on the saved folder + first answer',
        coldStart(cold),
        `open ${fmt(cold.open_ms)} ms + first answer ${fmt(cold.first_answer_ms)} ms; from process start (module loading included) ${fmt(num(cold.process_to_first_answer_ms)! / 1000, 2)} s`,
      ]);
    }
    if (answer) {
      stageRows.push([
        'Extractive answer (sentence selection after retrieval)',
        `p50 ${fmt(answer.p50_ms, 2)} ms`,
        `p95 ${fmt(answer.p95_ms, 2)} ms, p99 ${fmt(answer.p99_ms, 2)} ms; with hybrid retrieval of 5 passages p50 ${fmt(answer.total_p50_ms, 2)} / p95 ${fmt(answer.total_p95_ms, 2)} / p99 ${fmt(answer.total_p99_ms, 2)} ms (${answer.queries} questions, ${fmt(num(answer.answerable)! * 100)} % answered)`,
      ]);
    }
    if (serve) {
      stageRows.push([
        'Peak RSS serving (open + all queries)',
        `${fmt(serve.peak_rss_mb)} MB`,
        `${fmt(serve.rss_bytes_per_chunk)} bytes/chunk resident after the queries (heap ${fmt(serve.heap_mb)} MB)`,
      ]);
    }
    out.push(table(['Stage', 'Figure', 'Detail'], stageRows, ['---', '---:', '---']));
    out.push('');

    // Queries
    const tg = {
      bm25: q(size, 'trogiang', 'bm25'),
      vector: q(size, 'trogiang', 'vector'),
      hybrid: q(size, 'trogiang', 'hybrid'),
    };
    const queryRows: string[][] = [];
    for (const mode of ['bm25', 'vector', 'hybrid'] as const) {
      const r = tg[mode];
      if (r)
        queryRows.push([
          `**trogiang ${mode}**`,
          String(r.queries),
          fmt(r.p50_ms, 2),
          fmt(r.p95_ms, 2),
          fmt(r.p99_ms, 2),
          fmt(r.recall10, 3),
          '',
          '',
          '',
          '',
        ]);
    }
    const peerQueries = rows.filter((r) => r.size === size && r.bench === 'query' && r.system !== 'trogiang');
    for (const p of peerQueries) {
      const same = tg[p.mode as 'bm25' | 'vector'];
      const n = Number(p.queries);
      const mineSame = recallOver(same?.hits, n);
      const mineHybrid = recallOver(tg.hybrid?.hits, n);
      queryRows.push([
        `${p.system}${p.capped ? ' (capped)' : ''}`,
        String(p.queries),
        fmt(p.p50_ms, 2),
        fmt(p.p95_ms, 2),
        fmt(p.p99_ms, 2),
        fmt(p.recall10, 3),
        `${ratio(same?.p50_ms, p.p50_ms)} / ${ratio(same?.p95_ms, p.p95_ms)}`,
        `${ratio(tg.hybrid?.p50_ms, p.p50_ms)} / ${ratio(tg.hybrid?.p95_ms, p.p95_ms)}`,
        mineSame === undefined ? '–' : fmt(mineSame, 3),
        mineHybrid === undefined ? '–' : fmt(mineHybrid, 3),
      ]);
    }
    out.push('### Query latency (ms) and recall@10');
    out.push('');
    out.push(
      'Ratios are trogiang / peer: below 1× trogiang is faster. Recall of trogiang is also given over exactly the questions the peer answered (a capped peer answered only the first ones).',
    );
    out.push('');
    out.push(
      table(
        [
          'System',
          'Questions',
          'p50',
          'p95',
          'p99',
          'recall@10',
          'trogiang same mode / peer (p50 / p95)',
          'trogiang hybrid / peer (p50 / p95)',
          'trogiang same mode recall, same questions',
          'trogiang hybrid recall, same questions',
        ],
        queryRows,
      ),
    );
    out.push('');

    // Build and memory
    const buildRows: string[][] = [];
    if (ingest)
      buildRows.push([
        '**trogiang** (full ingest: embedding, SQLite, BM25, HNSW)',
        fmt(ingest.seconds),
        fmt(ingest.chunks_per_s),
        '',
        fmt(ingest.peak_rss_mb),
        '',
        fmt(serve?.peak_rss_mb),
        fmt(serve?.rss_bytes_per_chunk),
        '',
      ]);
    if (build)
      buildRows.push([
        '**trogiang** (index build only: BM25 + HNSW + save)',
        fmt(build.seconds),
        fmt(build.chunks_per_s),
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
    const peerSystems = [
      ...new Set(
        rows
          .filter((r) => r.size === size && (r.bench === 'index-build' || r.bench === 'peer-memory') && r.system !== 'trogiang')
          .map((r) => String(r.system)),
      ),
    ];
    const cachedBuilds: Row[] = [];
    for (const system of peerSystems) {
      const b = find((r) => r.size === size && r.bench === 'index-build' && r.system === system);
      const mem = find((r) => r.size === size && r.bench === 'peer-memory' && r.system === system);
      const cached = b?.cached === true;
      if (cached) cachedBuilds.push(b);
      buildRows.push([
        `${system}${b?.timed_out ? ` (**timed out** after ${fmt(b.seconds)} s at ${fmt(b.chunks)} chunks)` : ''}${b?.vectors === 'stored' ? ' (from the stored vectors)' : ''}${cached ? ` (build figures: built ${builtAt(b.built_at)}, cached)` : ''}`,
        b?.timed_out ? '–' : fmt(b?.seconds),
        b?.timed_out ? '–' : fmt(b?.chunks_per_s),
        b?.timed_out ? '–' : (num(b?.seconds) ?? 0) < 0.5 ? 'n/a (stores the vectors as they are)' : ratio(build?.seconds, b?.seconds),
        fmt(b?.build_peak_rss_mb),
        cached ? `${fmt(b.load_s, 2)} s (${fmt(b.cache_mb)} MB)` : '',
        `${fmt(mem?.peak_rss_mb)}${mem?.loaded === true ? ' (load + queries)' : ''}`,
        fmt(mem?.rss_bytes_per_chunk),
        ratio(serve?.peak_rss_mb, mem?.peak_rss_mb),
      ]);
    }
    out.push('### Build time and memory');
    out.push('');
    // The load column only when a peer loaded its cached index at this size.
    const buildHead = [
      'System',
      'Build s',
      'chunks/s',
      'trogiang index build / peer build (time)',
      'Build peak RSS MB',
      'Load of the cached index',
      'Peak RSS MB (this run)',
      'RSS bytes/chunk',
      'trogiang serving / peer peak RSS',
    ];
    const keep = (_: string, i: number) => i !== 5 || cachedBuilds.length > 0;
    out.push(
      table(
        buildHead.filter(keep),
        buildRows.map((r) => r.filter(keep)),
      ),
    );
    out.push('');
    out.push(
      "trogiang's index build (BM25 and HNSW adds and the save) builds both a lexical and a vector index; MiniSearch and Orama build a lexical one, the vector peers a vector one from the same stored vectors (the embedding time is trogiang's `embedding` figure above). Build peak RSS is the process's peak when the build ended (trogiang: the whole ingest); peak RSS (this run) is the peak over the whole stage, queries included (trogiang: serving).",
    );
    out.push('');
    if (cachedBuilds.length) {
      out.push(
        `Loaded from the peer cache in this run: ${cachedBuilds.map((b) => `${b.system} (built ${builtAt(b.built_at)}, loaded in ${fmt(b.load_s, 2)} s)`).join(', ')}. Their build seconds, chunks/s and build peak RSS are those recorded when the cached index was built, on the same corpus file, package version and settings${cachedBuilds.some((b) => b.vectors === 'stored') ? ' (and, for the vector peers, the same stored vectors)' : ''}; their query latency, recall and peak RSS (load + queries) are this run's.`,
      );
      out.push('');
    }
    const problems = rows.filter((r) => r.size === size && (r.bench === 'timeout' || r.bench === 'error'));
    if (problems.length) {
      out.push(
        `Stages that did not finish: ${problems.map((p) => `${p.stage} (${p.bench === 'timeout' ? `killed at ${p.budget_s} s` : `exit ${p.exit_code}`})`).join('; ')}.`,
      );
      out.push('');
    }
  }

  // ---- Before / after (an earlier run's rows, `--compare-with`)
  if (compare) {
    const before = compare.rows.filter((r) => r.variant === undefined);
    const simulated = compare.rows.filter((r) => r.variant === 'native-push');
    const pick = (set: Row[], pred: (r: Row) => boolean) => set.find(pred);
    const lines: string[][] = [];
    const line = (label: string, pred: (r: Row) => boolean, key: string, unit: string, higherIsBetter = false, digits = 2) => {
      const b = pick(before, pred);
      const n = pick(rows, pred);
      const sim = pick(simulated, pred);
      if (!b && !n) return;
      const bv = num(b?.[key]);
      const nv = num(n?.[key]);
      const sv = num(sim?.[key]);
      const show = (v: number | undefined) => (v === undefined ? '–' : `${fmt(v, digits)} ${unit}`);
      lines.push([label, show(bv), show(sv), show(nv), higherIsBetter ? ratio(nv, bv) : ratio(bv, nv)]);
    };
    for (const size of sizes) {
      const at = (r: Row) => r.size === size;
      line(`${size} ingest`, (r) => at(r) && r.bench === 'ingest', 'chunks_per_s', 'chunks/s', true, 0);
      line(
        `${size} index build (BM25 + HNSW + save)`,
        (r) => at(r) && r.bench === 'index-build' && r.system === 'trogiang',
        'seconds',
        's',
        false,
        1,
      );
      line(`${size} cold start`, (r) => at(r) && r.bench === 'cold-start', 'cold_start_ms', 'ms', false, 0);
      for (const mode of ['bm25', 'vector', 'hybrid']) {
        line(`${size} ${mode} p50`, (r) => at(r) && r.bench === 'query' && r.system === 'trogiang' && r.mode === mode, 'p50_ms', 'ms');
        line(`${size} ${mode} p95`, (r) => at(r) && r.bench === 'query' && r.system === 'trogiang' && r.mode === mode, 'p95_ms', 'ms');
      }
      line(`${size} answer (hybrid k 5 + extractive) p95`, (r) => at(r) && r.bench === 'answer', 'total_p95_ms', 'ms');
      line(`${size} peak RSS serving`, (r) => at(r) && r.bench === 'serve-memory', 'peak_rss_mb', 'MB', false, 0);
    }
    line('PDF ingest', (r) => r.bench === 'ingest-pdf', 'pages_per_s', 'pages/s', true, 1);
    for (const where of ['corpus', ...sizes]) {
      const label = where === 'corpus' ? 'shipped corpus' : `${where} chunks`;
      line(
        `\`/api/search\` at 50 connections (${label})`,
        (r) => r.bench === 'server' && r.size === where && r.endpoint === 'GET /api/search' && r.connections === 50,
        'rps',
        'req/s',
        true,
        0,
      );
      line(
        `\`/api/chat\` server answer p95 at 50 connections (${label})`,
        (r) => r.bench === 'server' && r.size === where && r.endpoint === 'POST /api/chat' && r.connections === 50,
        'server_answer_p95_ms',
        'ms',
        false,
        0,
      );
    }
    out.push(`## Before / after: ${compare.label}`);
    out.push('');
    out.push(
      '"Before" is an earlier full run of this benchmark on the same corpora (its rows are kept in `evals/perf/baseline/`); "simulated" is the same earlier run\'s stage re-run with the change applied from outside `src/` (where it measured one); "now" is this run. Runs minutes or hours apart on a shared machine: read the ratios as ±30 %.',
    );
    out.push('');
    out.push(table(['Stage', 'Before', 'Simulated in the before run', 'Now', 'Gain (before / now)'], lines));
    out.push('');
  }

  // ---- PDF
  if (pdf) {
    out.push('## Ingest of real PDFs');
    out.push('');
    out.push(
      `${pdf.files} textbook-like PDFs drawn with pdfkit (DejaVu Sans, running header, heading, wrapped paragraphs, page footer), ${pdf.pages} A4 pages, ${mb(pdf.bytes)}, through \`engine.ingest\` with their bytes (PDF parsing, cleaning, chunking, embedding, SQLite, indexes) into an empty data folder: **${fmt(pdf.pages_per_s)} pages/s** (${fmt(pdf.seconds, 2)} s, ${pdf.chunks} chunks, peak RSS ${fmt(pdf.peak_rss_mb)} MB). A first 10-page file is ingested untimed before (${fmt(pdf.first_file_ms)} ms: pdf.js worker start and, under tsx, Node parsing pdf.js's source map the first time an error stack is read), as the service does once at start.`,
    );
    out.push('');
  }

  // ---- Service
  const server = rows.filter((r) => r.bench === 'server');
  if (server.length) {
    out.push('## Service under load');
    out.push('');
    out.push(
      '`evals/perf/bench-server.ts`: the real server (`src/server/main.ts`, extractive answers, rate limit lifted) in its own process on loopback, autocannon in the benchmark process. Server answer time is the latency the server records for each chat message.',
    );
    out.push('');
    out.push(
      table(
        [
          'Data',
          'Endpoint',
          'Connections',
          'Seconds',
          'req/s',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'Errors',
          'Server CPU (cores)',
          'Server CPU ms/request',
          'Server RSS before → after MB',
          'Server answer p50 / p95 ms',
        ],
        server.map((r) => [
          r.size === 'corpus' ? 'shipped corpus' : `${r.size} chunks`,
          `\`${r.endpoint}\``,
          String(r.connections),
          String(r.seconds),
          fmt(r.rps),
          fmt(r.p50_ms, 2),
          fmt(r.p95_ms, 2),
          fmt(r.p99_ms, 2),
          String(r.errors),
          r.server_cpu_cores === undefined ? '' : fmt(r.server_cpu_cores, 2),
          r.server_cpu_ms_per_request === undefined ? '' : fmt(r.server_cpu_ms_per_request, 3),
          `${r.server_rss_mb_before} → ${r.server_rss_mb_after}`,
          r.server_answer_p95_ms !== undefined ? `${fmt(r.server_answer_p50_ms)} / ${fmt(r.server_answer_p95_ms)}` : '',
        ]),
        ['---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
      ),
    );
    out.push('');
    out.push(
      'Each row follows an untimed warm-up of a few seconds. autocannon runs on the same two cores as the server, so its own cost caps the measured rate; "server CPU" is the server process\'s CPU time over the row (prom-client\'s `process_cpu_seconds_total`), in cores and per request.',
    );
    out.push('');
  }

  // ---- Responsiveness during ingest (bench-responsiveness.ts)
  const responsive = rows.filter((r) => r.bench === 'responsiveness' && r.run === 'median');
  const readers = rows.find((r) => r.bench === 'docs-slow-readers' && r.run === 'median');
  if (responsive.length || readers) {
    const idle = responsive.find((r) => r.phase === 'idle');
    const phaseName: Record<string, string> = {
      idle: 'idle',
      'ingest-md': '10 MB Markdown upload',
      reindex: '`POST /api/admin/reindex`',
      'ingest-pdf': '2,000-page PDF upload (27 MB)',
    };
    out.push('## Responsiveness during ingest');
    out.push('');
    out.push(
      '`evals/perf/bench-responsiveness.ts`: the real server in its own process on 127.0.0.1, probed one request at a time: `GET /healthz` every 20 ms and `GET /api/search` (golden questions) every 100 ms, while it is idle, ingests, re-indexes. Medians over the runs. Targets: `/healthz` p99 ≤ 100 ms and search p95 ≤ 3 × idle during ingest and re-indexing; 120 slow readers of a 27 MB PDF ≤ 200 MB above idle.',
    );
    out.push('');
    out.push(
      table(
        [
          'Phase',
          'Runs',
          'Seconds',
          'Chunks',
          '`/healthz` p50 / p99 / max ms',
          'Search p50 / p95 / max ms',
          'Search p95 ÷ idle',
          'Targets',
        ],
        responsive.map((r) => [
          phaseName[String(r.phase)] ?? String(r.phase),
          String(r.runs),
          fmt(r.seconds),
          r.chunks === undefined ? '' : fmt(r.chunks, 0),
          `${fmt(r.healthz_p50_ms)} / ${fmt(r.healthz_p99_ms)} / ${fmt(r.healthz_max_ms)}`,
          `${fmt(r.search_p50_ms)} / ${fmt(r.search_p95_ms)} / ${fmt(r.search_max_ms)}`,
          r === idle ? '1' : ratio(r.search_p95_ms, idle?.search_p95_ms),
          r === idle
            ? ''
            : `${verdict(r.healthz_target_met as boolean | undefined)} / ${verdict(r.search_target_met as boolean | undefined)}`,
        ]),
        ['---', '---:', '---:', '---:', '---:', '---:', '---:', '---'],
      ),
    );
    out.push('');
    if (readers) {
      out.push(
        `120 slow readers of the PDF from \`GET /docs/:id\` (16 KB per 100 ms each, ${fmt(readers.seconds)} s): server RSS ${fmt(readers.idle_rss_mb)} MB idle, peak ${fmt(readers.peak_rss_mb)} MB, **${fmt(readers.rss_above_idle_mb)} MB above idle**${readers.capped ? ' (readers dropped at the 2 GB cap)' : ''}: ${verdict(readers.rss_target_met as boolean | undefined)}.`,
      );
      out.push('');
    }
  }

  out.push('## How it is measured');
  out.push('');
  out.push(
    `- **Corpora** (\`corpus-gen.ts\`, cached in \`evals/perf/.cache/\`): documents of 6-14 sections, ≈85 % Vietnamese and 15 % English, made from the shipped corpus's sentences recombined, with adjacent syllable pairs (Vietnamese) or words (English) swapped for others of the corpus, numbers redrawn, the fictional province renamed per document and person names added. Each section is one heading and one paragraph of ≤ 1,400 characters, so trogiang's chunker makes exactly one chunk of it and every system indexes the same passages (title, heading, text).`,
  );
  out.push(
    '- **Questions**: an 8-word window of one sentence of a gold chunk holding at least two distinctive words, then perturbed: 35 % typed without diacritics, 50 % with one or two ordinary words dropped (kinds: exact, folded, dropped, folded+dropped). recall@10 = the gold chunk is among the first 10 results.',
  );
  out.push(
    "- **trogiang** through `Engine`: ingest with `IngestItem.loaded` (no parsing) in one batch per ≤ 200k chunks; stage times come from wrapping the engine's parts in the benchmark process (src/ unchanged). Queries through `engine.retrieve(q, { k: 10, mode })` after 20 warm-up questions, retriever caches emptied between modes; answers as `/api/chat` makes them (hybrid, k 5, `extractiveAnswer`).",
  );
  out.push(
    '- **MiniSearch** 7.2: fields title/heading/text, terms folded like Vietnamese needs (NFD, marks and đ removed, lower case), default OR query without fuzziness; `minisearch-fuzzy` is the same index searched with `prefix: true, fuzzy: 0.2` (its documented typo-tolerant search). At 100k its questions are capped (slow, and it needs ≈ 2.4 GB).',
  );
  out.push(
    "- **Orama** 3.1 full text (BM25) with a custom tokenizer (Orama's documented `components.tokenizer` hook): Unicode word splitting (its built-in splitters cut Vietnamese letters out of words) and the same folding; tokens end with `_` so Orama's prefix expansion of every query term does not swamp short folded syllables (recall@10 was 0.25 at 2k chunks without it).",
  );
  out.push(
    "- **LangChain `MemoryVectorStore`** (`@langchain/classic`): brute-force cosine over `number[]` vectors; queries embedded by trogiang's `LocalEmbeddings` with the IDF statistics of trogiang's index, passages added with `addVectors` from trogiang's stored vectors (the vectors `embedDocuments` would return).",
  );
  out.push(
    "- **hnswlib-node** built as LangChain's `HNSWLib` does: `cosine` space, `initIndex(n)` defaults (M 16, efConstruction 200), `addPoint` one by one, `searchKnn(q, k)` at the default ef 10; `hnswlib-ef100` and `hnswlib-ef400` are the same graph searched at trogiang's ef (100) and deeper. Built from the stored vectors, as `addVectors`.",
  );
  out.push(
    `- Each stage and each peer runs in its own process (peak RSS = VmHWM of that process). Peers are time-boxed: a build over its budget (${fmt(meta.peerBuildBudgetS ?? (meta.quick ? 30 : 300))} s) stops and reports how many chunks it reached; each query loop (MiniSearch's plain and fuzzy loops, each hnswlib ef) stops after ${fmt(meta.peerQueryBudgetS ?? (meta.quick ? 10 : 60))} s, and a peer that did not answer all its questions in that time is marked "capped", with the number it answered.`,
  );
  out.push(
    "- **Peer index cache** (`evals/perf/.cache/peers/`, `peer-cache.ts`): MiniSearch (`toJSON` / `MiniSearch.loadJS`), Orama (`save` / `load`) and hnswlib (`writeIndexSync` / `readIndexSync`) keep their built index between runs, written after the queries into a temporary folder renamed into place. The two JSON indexes are written as JSON lines of at most 32 MB each (`split-json.ts`: Orama's index at 100k is ≈700 MB of JSON, over V8's ≈512 MB string limit). An entry is loaded only when its key matches exactly: the corpus file (name, bytes, format version, chunks), the package version from its package.json, the peer's settings (the folding and tokenizer source included), the cache format, and for hnswlib a SHA-256 of the stored vectors. A loaded peer reports the build figures recorded when its entry was built, dated and marked \"cached\", and the load time as its own figure; `--rebuild-peers` builds afresh and replaces the entry. `LangChain MemoryVectorStore` has no index to cache: it adds the stored vectors every run.",
  );
  out.push('');
  return `${out.join('\n')}\n`;
}
