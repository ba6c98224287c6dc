/**
 * trogiang's performance benchmark (`npm run bench`): scaled corpora, every stage of trogiang and
 * its peers on the same chunks and questions, the service under load, one JSON line per
 * measurement on stdout and a Markdown report (`evals/perf/RESULTS.md`).
 *
 *   npm run bench                        10k and 100k chunks, all peers, service load
 *   npm run bench -- --quick             1k chunks, short peers and service load (< 1 min; CI)
 *   npm ci --prefix evals/perf           once, before a run with peers: MiniSearch, Orama, LangChain's classic package
 *   npm run bench -- --sizes 10k,100k --1m    adds 1M chunks (trogiang alone: the peers do not fit)
 *   options: --skip-peers --peers minisearch,orama,memory,hnswlib --skip-service --skip-pdf
 *            --queries 500 --service-seconds 10 --connections 10,50,200 --service-on corpus,100k
 *            --reuse-data (keep a size's ingested data folder from an earlier run)
 *            --rebuild-peers (build the peers' indexes even when cached, and replace the cache)
 *            --peer-build-budget-s 1200 (a peer build over it stops and reports how far it got)
 *            --peer-budget-s 300 (load of a cached peer index) --peer-query-budget-s 20 (each peer query loop)
 *            --compare-with FILE [--compare-label TEXT] (a saved rows file of an earlier run: adds a before / after table)
 *            --include-rows FILE --include-label TEXT (sizes measured by another run, e.g. `--sizes 1m`, reported
 *              beside this run's and named as such; this run's own sizes are taken from this run)
 *            --render-only (rewrite the report from the last run's saved rows)
 *            --profile (node --cpu-prof on trogiang's stages; summaries in .cache/profiles/*.txt)
 *            --out FILE (default RESULTS.md; quick mode writes .cache/RESULTS.quick.md)
 *            --responsiveness [--responsiveness-runs 3] (also: /healthz and search latency while the service
 *              ingests 10 MB of Markdown, re-indexes, ingests a 2,000-page PDF; RSS under 120 slow /docs readers;
 *              bench-responsiveness.ts, which also runs on its own)
 *
 * Every stage runs in its own process (`node --import tsx`), so peak RSS is per stage and one
 * size's memory does not pollute the next. The machine is shared: compare ratios measured in the
 * same run, not absolute figures across runs.
 *
 * Caches (`evals/perf/.cache/`, or `TROGIANG_BENCH_CACHE`): the corpora, the PDFs, and the peers'
 * built indexes (`peers/`, see peer-cache.ts). MiniSearch, Orama and hnswlib load their index when
 * one was built before for the same corpus file, package version and settings (hnswlib: and the
 * same stored vectors); their build figures are then those recorded at that build (the report
 * says so, with its date) and the load time is reported on its own. Query latency and recall are
 * always measured in the run. A peer without a cached index builds it under the build budget
 * (1,200 s: hnswlib at LangChain's settings took 5-9 min at 100k on this shared 2-core machine) and writes the cache
 * after its queries. The quick mode's 1k entries cannot be taken for a full run's (the key holds
 * the corpus size and bytes). `--rebuild-peers` ignores and replaces the cache; deleting
 * `.cache/peers/` does the same.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { cacheDir, ensureCorpus, parseSize, questionsPerCorpus, sizeLabel, type CorpusFiles } from './corpus-gen.js';
import { ensurePdfs } from './make-pdfs.js';
import type { Row } from './measure.js';
import { summarise } from './profile-summary.js';
import { openPeerCache, peerCacheKey, vectorsFingerprint, type CachedPeer } from './peer-cache.js';
import { renderReport, type ReportMeta } from './report.js';

/** The usage: the first two paragraphs of this file's header comment, so the two cannot disagree. */
function usage(): string {
  const header = readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]!;
  const lines = header
    .split('\n')
    .slice(1)
    .map((l) => l.replace(/^ \*( |$)/, ''));
  return `${lines.join('\n').split('\n\n').slice(0, 2).join('\n\n').trimEnd()}\n`;
}

/**
 * `parseArgs`, with `--help` printing the usage (exit 0) and a mistake on the command line
 * reported in one line (exit 2) rather than a stack trace.
 */
function parseBenchArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const args = process.argv.slice(2);
  const beforeDashes = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    process.stdout.write(usage());
    process.exit(0);
  }
  try {
    return parseArgs(config);
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (!code?.startsWith('ERR_PARSE_ARGS')) throw error;
    const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(message)?.[1] : undefined;
    process.stderr.write(`bench: ${unknown ? `unknown option ${unknown}` : message}; \`npm run bench -- --help\` lists the options\n`);
    process.exit(2);
  }
}

const { values: opts } = parseBenchArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    '1m': { type: 'boolean', default: false },
    'skip-peers': { type: 'boolean', default: false },
    peers: { type: 'string', default: 'minisearch,orama,memory,hnswlib' },
    'skip-service': { type: 'boolean', default: false },
    'skip-pdf': { type: 'boolean', default: false },
    queries: { type: 'string' },
    'service-seconds': { type: 'string' },
    connections: { type: 'string' },
    'service-on': { type: 'string' },
    'peer-budget-s': { type: 'string' },
    'peer-build-budget-s': { type: 'string' },
    'peer-query-budget-s': { type: 'string' },
    'rebuild-peers': { type: 'boolean', default: false },
    'reuse-data': { type: 'boolean', default: false },
    'compare-with': { type: 'string' },
    'compare-label': { type: 'string' },
    'include-rows': { type: 'string' },
    'include-label': { type: 'string' },
    'render-only': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
    responsiveness: { type: 'boolean', default: false },
    'responsiveness-runs': { type: 'string', default: '3' },
  },
});

const quick = opts.quick!;
const sizes = (opts.sizes ?? (quick ? '1k' : '10k,100k')).split(',').map(parseSize);
if (opts['1m'] && !sizes.includes(1_000_000)) sizes.push(1_000_000);
// Spare questions after the measured ones warm the JIT up (20).
const queries = Math.min(questionsPerCorpus - 20, Number(opts.queries ?? (quick ? 50 : 500)));
const peers = opts['skip-peers'] ? [] : opts.peers!.split(',').filter(Boolean);
const serviceSeconds = opts['service-seconds'] ?? (quick ? '2' : '10');
const connections = opts.connections ?? (quick ? '10' : '10,50,200');
const serviceOn = (
  opts['service-on'] ?? (quick ? 'corpus' : `corpus,${sizes.includes(100_000) ? '100k' : sizeLabel(sizes[sizes.length - 1]!)}`)
).split(',');
// A peer stage that loads its cached index: load budget; one that builds: build budget; each query loop: query budget.
const peerBudgetS = Number(opts['peer-budget-s'] ?? (quick ? 30 : 300));
const peerBuildBudgetS = Number(opts['peer-build-budget-s'] ?? (quick ? 30 : 1200));
const peerQueryBudgetS = Number(opts['peer-query-budget-s'] ?? (quick ? 10 : 20));
const peersDir = join(cacheDir, 'peers');
const out = opts.out ?? (quick ? join(cacheDir, 'RESULTS.quick.md') : join(import.meta.dirname, 'RESULTS.md'));
const here = import.meta.dirname;
// MiniSearch, Orama and LangChain's classic package are the benchmark's own dependencies
// (evals/perf/package.json), kept out of the root install: say how to get them instead of a stack trace.
const peerPackages: Record<string, string> = { minisearch: 'minisearch', orama: '@orama/orama', memory: '@langchain/classic' };
const uninstalled = peers.filter((p) => peerPackages[p] && !existsSync(join(here, 'node_modules', peerPackages[p]!, 'package.json')));
if (uninstalled.length > 0 && !opts['render-only']) {
  process.stderr.write(
    `bench: the peers ${uninstalled.join(', ')} need the benchmark's libraries: run \`npm ci --prefix evals/perf\` once, or pass --skip-peers\n`,
  );
  process.exit(2);
}
const startedAt = new Date();
const rows: Row[] = [];

function machine() {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model ?? '?',
    memory_gib: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** Runs one stage in its own process; its JSON lines are tagged and collected, its stderr passed through. */
/** Every stage process loads this first, so rows can say whether Array.prototype.push was still V8's. */
const preload = ['--import', join(here, 'native-push.ts')];

function runStage(
  label: string,
  script: string,
  args: string[],
  tag: Row,
  timeoutS: number,
  nodeArgs: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): Promise<Row[]> {
  return new Promise((resolve) => {
    const started = performance.now();
    const load = loadavg()[0]!;
    process.stderr.write(`▶ ${label}\n`);
    // --profile: V8 CPU profiles of trogiang's stages, summarised next to them (profile-summary.ts).
    const profileDir = opts.profile && script === 'stage-trogiang.ts' ? join(cacheDir, 'profiles', label.replace(/[^\w.-]+/g, '-')) : null;
    const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const child = spawn(process.execPath, [...profiling, ...nodeArgs, '--import', 'tsx', ...preload, join(here, script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const got: Row[] = [];
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        try {
          const row = { ...tag, ...(JSON.parse(line) as Row), load1: Number(load.toFixed(2)) };
          got.push(row);
          rows.push(row);
          process.stdout.write(`${JSON.stringify(row)}\n`);
        } catch {
          // not a measurement
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, '    ')));
    const timer = setTimeout(() => {
      const row: Row = { ...tag, bench: 'timeout', stage: label, budget_s: timeoutS };
      got.push(row);
      rows.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 && signal !== 'SIGKILL') {
        const row: Row = { ...tag, bench: 'error', stage: label, exit_code: code ?? -1 };
        got.push(row);
        rows.push(row);
        process.stdout.write(`${JSON.stringify(row)}\n`);
      }
      process.stderr.write(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (profileDir && existsSync(profileDir)) {
        const files = readdirSync(profileDir)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => join(profileDir, f));
        const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
        if (largest) {
          writeFileSync(`${profileDir}.txt`, summarise(largest, 40, 'src/') + summarise(largest, 25));
          process.stderr.write(`  profile: ${profileDir}.txt\n`);
        }
      }
      resolve(got);
    });
  });
}

/**
 * Rows of sizes another run measured (`--include-rows`): a 1M run takes most of two hours here, so
 * it is run on its own and its rows reported with the 10k and 100k ones, each row labelled.
 */
function includedRows(measured: readonly Row[]): { rows: Row[]; label?: string } {
  if (!opts['include-rows']) return { rows: [] };
  const label = opts['include-label'] ?? opts['include-rows'];
  const own = new Set(measured.map((r) => String(r.size)));
  const rowsIn = readFileSync(opts['include-rows'], 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
  return { rows: rowsIn.filter((r) => !own.has(String(r.size))).map((r) => ({ ...r, from_run: label })), label };
}

/** The rows of an earlier run to compare with (`--compare-with`), labelled. */
function compareRows(): { label: string; rows: Row[] } | undefined {
  if (!opts['compare-with']) return undefined;
  const rowsBefore = readFileSync(opts['compare-with'], 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
  return { label: opts['compare-label'] ?? opts['compare-with'], rows: rowsBefore };
}

const corpora = new Map<number, CorpusFiles>();
const dataDirOf = (chunks: number) => join(cacheDir, `data-${sizeLabel(chunks)}`);

async function benchSize(chunks: number): Promise<void> {
  const size = sizeLabel(chunks);
  const tag: Row = { size, chunks_target: chunks };
  const t = performance.now();
  const corpus = await ensureCorpus(chunks);
  corpora.set(chunks, corpus);
  process.stderr.write(
    `■ ${size}: ${corpus.documents} documents, ${chunks} chunks (corpus ready in ${((performance.now() - t) / 1000).toFixed(1)} s)\n`,
  );
  const dataDir = dataDirOf(chunks);
  const big = chunks >= 500_000;
  const ingestTimeout = Math.max(300, chunks / 20);
  if (opts['reuse-data'] && existsSync(join(dataDir, 'indexes', 'CURRENT'))) {
    process.stderr.write(`  reusing ${dataDir} (--reuse-data): ingest not measured\n`);
  } else {
    await runStage(
      `trogiang ingest ${size}`,
      'stage-trogiang.ts',
      ['ingest', '--docs', corpus.docsPath, '--data', dataDir, ...(big ? ['--batch-chunks', '250000'] : [])],
      tag,
      ingestTimeout,
      big ? ['--max-old-space-size=12000'] : [],
    );
  }
  const queryArgs = [
    'query',
    '--data',
    dataDir,
    '--questions',
    corpus.questionsPath,
    '--count',
    String(queries),
    '--answers',
    String(Math.min(queries, 200)),
  ];
  await runStage(
    `trogiang cold start + queries ${size}`,
    'stage-trogiang.ts',
    queryArgs,
    tag,
    600 + chunks / 1000,
    big ? ['--max-old-space-size=12000'] : [],
  );
  if (big) {
    process.stderr.write(
      `  peers skipped at ${size}: MiniSearch needs ≈2.4 GB per 100k chunks, the brute-force store ≈4 KB per vector as JS arrays, and an hnswlib build at LangChain's settings ≈1 h here\n`,
    );
    return;
  }
  for (const peer of peers) {
    const capped = chunks >= 50_000 && peer === 'minisearch';
    const cached = peerIsCached(peer, corpus, dataDir);
    // Query loops: MiniSearch plain and fuzzy, hnswlib at ef 10, 100, 400.
    const loops = peer === 'minisearch' ? 2 : peer === 'hnswlib' ? 3 : 1;
    const budget = cached ? peerBudgetS : peerBuildBudgetS;
    // Writing the cache after the queries (Orama at 100k: ≈700 MB of JSON).
    const saveSlack = cached || peer === 'memory' ? 0 : Math.max(60, chunks / 500);
    await runStage(
      `peer ${peer} ${size}${cached ? ' (cached index)' : ''}`,
      'stage-peer.ts',
      [
        peer,
        '--docs',
        corpus.docsPath,
        '--questions',
        corpus.questionsPath,
        '--count',
        String(capped ? Math.min(queries, 50) : queries),
        '--data',
        dataDir,
        '--budget-s',
        String(budget),
        '--query-budget-s',
        String(peerQueryBudgetS),
        '--fuzzy-count',
        String(quick ? 10 : chunks >= 50_000 ? 20 : 50),
        '--cache-dir',
        peersDir,
        ...(opts['rebuild-peers'] ? ['--rebuild'] : []),
      ],
      tag,
      budget + loops * peerQueryBudgetS + saveSlack + 60,
      ['--max-old-space-size=8000'],
    );
  }
}

/** Whether the peer's stage will load a cached index (so gets the load budget, not the build budget). */
function peerIsCached(peer: string, corpus: CorpusFiles, dataDir: string): boolean {
  if (opts['rebuild-peers'] || !['minisearch', 'orama', 'hnswlib'].includes(peer)) return false;
  try {
    const vectors = peer === 'hnswlib' ? vectorsFingerprint(dataDir, peersDir) : null;
    return openPeerCache(peersDir, peerCacheKey(peer as CachedPeer, corpus.docsPath, vectors)) !== undefined;
  } catch {
    return false; // no data folder yet, unreadable meta: the stage decides
  }
}

if (opts['render-only']) {
  // Re-renders the report from the rows of the last full (or quick) run.
  const saved = readFileSync(join(cacheDir, quick ? 'rows.quick.jsonl' : 'rows.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
  const meta = JSON.parse(readFileSync(join(cacheDir, quick ? 'meta.quick.json' : 'meta.json'), 'utf8')) as ReportMeta;
  const included = includedRows(saved);
  writeFileSync(out, renderReport([...saved, ...included.rows], { ...meta, included: included.label }, compareRows()));
  process.stderr.write(`wrote ${out} from the saved rows of ${meta.startedAt}\n`);
  process.exit(0);
}

for (const chunks of sizes) await benchSize(chunks);

if (!opts['skip-pdf']) {
  const docs = corpora.get(sizes[0]!)!.docsPath;
  const pages = quick ? 20 : 200;
  const dir = await ensurePdfs(docs, pages + 10); // the first file (10 pages) is the untimed warm-up
  await runStage(
    `trogiang PDF ingest (${pages} pages + 10 warm-up)`,
    'stage-trogiang.ts',
    ['pdf', '--pdfs', dir, '--data', join(cacheDir, 'data-pdf')],
    { size: 'pdf' },
    300,
  );
}

if (!opts['skip-service']) {
  for (const target of serviceOn) {
    const args = ['--seconds', serviceSeconds, '--connections', connections];
    if (target !== 'corpus') {
      const chunks = parseSize(target);
      const corpus = corpora.get(chunks);
      if (!corpus || !existsSync(join(dataDirOf(chunks), 'indexes', 'CURRENT'))) {
        process.stderr.write(`  service load on ${target} skipped: no data folder for that size in this run\n`);
        continue;
      }
      // Questions of this size's set, as a JSON-lines file of `text`.
      args.push('--data-dir', dataDirOf(chunks), '--questions', corpus.questionsPath);
    }
    await runStage(
      `service load (${target})`,
      'bench-server.ts',
      args,
      { size: target === 'corpus' ? 'corpus' : target },
      120 + connections.split(',').length * 2 * (Number(serviceSeconds) + 5),
    );
  }
}

if (opts.responsiveness) {
  const runsR = Number(opts['responsiveness-runs']);
  await runStage(
    `responsiveness during ingest (${runsR} runs)`,
    'bench-responsiveness.ts',
    ['--runs', String(runsR)],
    { size: 'service' },
    120 + runsR * 1200,
  );
}

const finishedAt = new Date();
const meta: ReportMeta = {
  machine: machine(),
  startedAt: startedAt.toISOString(),
  minutes: Number(((finishedAt.getTime() - startedAt.getTime()) / 60000).toFixed(1)),
  command: process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench',
  quick,
  loadavg: loadavg().map((l) => Number(l.toFixed(2))),
  peerBuildBudgetS,
  peerQueryBudgetS,
};
const included = includedRows(rows);
writeFileSync(out, renderReport([...rows, ...included.rows], { ...meta, included: included.label }, compareRows()));
writeFileSync(join(cacheDir, quick ? 'rows.quick.jsonl' : 'rows.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
writeFileSync(join(cacheDir, quick ? 'meta.quick.json' : 'meta.json'), JSON.stringify(meta));
process.stderr.write(`\nwrote ${out} (${((finishedAt.getTime() - startedAt.getTime()) / 60000).toFixed(1)} min)\n`);
const failed = rows.filter((r) => r.bench === 'error');
if (failed.length) process.exitCode = 1;
