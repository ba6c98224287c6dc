/**
 * Keeps the performance benchmark (`evals/perf/`) from rotting: runs `npm run bench -- --quick`
 * itself (1k generated chunks, trogiang's stages, the peers, real PDFs, the service under
 * autocannon) into a temporary cache, then checks the rows and the report it wrote; then runs the
 * peers again, which load the indexes the first run cached. Figures are not checked (this is not a
 * timed test); shapes and recall are. MiniSearch, Orama and LangChain's classic package are the
 * benchmark's own dependencies (`npm ci --prefix evals/perf`, which .ci/run does): without them the
 * run measures trogiang and hnswlib only, and the checks of the other peers are skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const cache = mkdtempSync(join(tmpdir(), 'trogiang-bench-smoke-'));

const peersInstalled = ['minisearch', '@orama/orama', '@langchain/classic'].every((p) =>
  existsSync(join(root, 'evals/perf/node_modules', p, 'package.json')),
);
if (!peersInstalled)
  console.warn('bench smoke: the peer libraries are not installed (npm ci --prefix evals/perf): measuring trogiang and hnswlib only');
const jsPeers = peersInstalled ? ['minisearch', 'orama'] : [];

type Row = Record<string, string | number | boolean | null>;

const readRows = () =>
  readFileSync(join(cache, 'rows.quick.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
const peerArgs = peersInstalled ? [] : ['--peers', 'hnswlib'];
const bench = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'evals/perf/run-bench.ts'), '--quick', ...peerArgs, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TROGIANG_BENCH_CACHE: cache },
    timeout: 280_000,
  });
let firstRows: Row[] = [];

describe('performance benchmark, quick mode', () => {
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('runs every stage, peer and service load, and writes rows and a report', () => {
    const result = bench();
    expect(result.status, `${result.stderr}\n${result.stdout.slice(-2000)}`).toBe(0);
    const rows = readRows();
    firstRows = rows;
    const find = (match: Partial<Row>) => rows.find((r) => Object.entries(match).every(([k, v]) => r[k] === v));

    const ingest = find({ bench: 'ingest', system: 'trogiang' })!;
    expect(ingest.chunks).toBe(1000);
    expect(find({ bench: 'cold-start', system: 'trogiang' })?.cold_start_ms).toBeGreaterThan(0);
    for (const mode of ['bm25', 'vector', 'hybrid']) {
      const query = find({ bench: 'query', system: 'trogiang', mode })!;
      expect(query.queries).toBe(50);
      expect(query.p95_ms).toBeGreaterThan(0);
    }
    expect(find({ bench: 'query', system: 'trogiang', mode: 'hybrid' })!.recall10).toBeGreaterThan(0.8);
    for (const peer of [...jsPeers, ...(peersInstalled ? ['langchain-memory'] : []), 'hnswlib']) {
      expect(find({ bench: 'query', system: peer }), peer).toBeDefined();
    }
    for (const peer of [...jsPeers, 'hnswlib']) {
      expect(find({ bench: 'index-build', system: peer })?.cached, peer).toBe(false);
    }
    expect(find({ bench: 'ingest-pdf' })?.pages_per_s).toBeGreaterThan(0);
    for (const endpoint of ['GET /api/search', 'POST /api/chat']) {
      const load = find({ bench: 'server', endpoint })!;
      expect(load.requests).toBeGreaterThan(0);
      expect(load.errors).toBe(0);
    }

    const report = readFileSync(join(cache, 'RESULTS.quick.md'), 'utf8');
    expect(report).toContain('## Targets');
    expect(report).toContain('## 1k chunks');
    expect(report).toMatch(peersInstalled ? /\| minisearch \| 50 \|/ : /\| hnswlib \| 50 \|/);
  }, 300_000); // about a minute on an idle 2-core machine, more when it is shared

  it("loads the peers' indexes cached by the first run, reports their build figures and measures the same recall", () => {
    expect(firstRows.length, 'the first run').toBeGreaterThan(0);
    const result = bench('--skip-service', '--skip-pdf', '--reuse-data');
    expect(result.status, `${result.stderr}\n${result.stdout.slice(-2000)}`).toBe(0);
    const rows = readRows();
    const find = (set: Row[], match: Partial<Row>) => set.find((r) => Object.entries(match).every(([k, v]) => r[k] === v));
    for (const peer of [...jsPeers, 'hnswlib']) {
      const before = find(firstRows, { bench: 'index-build', system: peer })!;
      const now = find(rows, { bench: 'index-build', system: peer })!;
      expect(now.cached, peer).toBe(true);
      expect(now.seconds, peer).toBe(before.seconds);
      expect(now.build_peak_rss_mb, peer).toBe(before.build_peak_rss_mb);
      expect(typeof now.built_at).toBe('string');
      expect(now.load_s).toBeGreaterThanOrEqual(0);
      expect(find(rows, { bench: 'peer-memory', system: peer })?.loaded, peer).toBe(true);
    }
    if (peersInstalled) expect(find(rows, { bench: 'index-build', system: 'langchain-memory' })?.cached).toBe(false);
    // Same index, same questions: the same hits (over the questions both runs answered).
    for (const system of [
      ...(peersInstalled ? ['minisearch', 'minisearch-fuzzy', 'orama'] : []),
      'hnswlib',
      'hnswlib-ef100',
      'hnswlib-ef400',
    ]) {
      const before = String(find(firstRows, { bench: 'query', system })!.hits);
      const now = String(find(rows, { bench: 'query', system })!.hits);
      const n = Math.min(before.length, now.length);
      expect(n, system).toBeGreaterThan(0);
      expect(now.slice(0, n), system).toBe(before.slice(0, n));
    }
    const report = readFileSync(join(cache, 'RESULTS.quick.md'), 'utf8');
    expect(report).toMatch(
      peersInstalled
        ? /\| minisearch \(build figures: built \d{4}-\d\d-\d\d \d\d:\d\d UTC, cached\) \|/
        : /\| hnswlib \(build figures: built \d{4}-\d\d-\d\d \d\d:\d\d UTC, cached\) \|/,
    );
    expect(report).toContain('Loaded from the peer cache in this run');
  }, 200_000);

  it('reports the sizes another run measured beside its own, labelled, never over its own', () => {
    expect(firstRows.length, 'the first run').toBeGreaterThan(0);
    // Rows of a "1m" run (the first run's, relabelled), and of a 1k size this run measured itself.
    const other = join(cache, 'other-run.jsonl');
    const relabelled = firstRows
      .filter((r) => r.size === '1k')
      .map((r) => ({ ...r, size: '1m', p95_ms: r.bench === 'query' ? 12.5 : r.p95_ms }));
    const clashing = firstRows.filter((r) => r.size === '1k' && r.bench === 'query').map((r) => ({ ...r, p95_ms: 999 }));
    writeFileSync(other, [...relabelled, ...clashing].map((r) => JSON.stringify(r)).join('\n'));
    const result = bench('--render-only', '--include-rows', other, '--include-label', 'the 1M run of test');
    expect(result.status, result.stderr).toBe(0);
    const report = readFileSync(join(cache, 'RESULTS.quick.md'), 'utf8');
    expect(report).toContain('## 1m chunks');
    expect(report).toContain('Sizes 1m: from another run, the 1M run of test');
    expect(report).toMatch(/\| Hybrid retrieval p95 at 1M chunks \| ≤ 50 ms \| 12\.5 ms \| \*\*pass\*\* \|/);
    expect(report).not.toContain('999');
    // The 100k targets stay at the largest size below 1M (here 1k); 1M has its own row and headline.
    expect(report).toMatch(/\| Hybrid retrieval p95 at 1k chunks \| ≤ 10 ms \|/);
    expect(report).not.toMatch(/at 1m chunks \| ≤ 10 ms|Cold start at 1m/);
    expect(report).toMatch(/\*\*Headline, 1M chunks:\*\* trogiang hybrid retrieval p50 [\d.]+ ms, p95 12\.5 ms at recall@10/);
  }, 60_000);
});
