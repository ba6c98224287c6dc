/**
 * Keeps the performance benchmark (`evals/perf/`) from rotting: runs `npm run bench -- --quick`
 * itself (1k generated chunks, trogiang's stages, the peers, real PDFs, the service under
 * autocannon) into a temporary cache, then checks the rows and the report it wrote. Figures are
 * not checked (this is not a timed test); shapes and recall are.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const cache = mkdtempSync(join(tmpdir(), 'trogiang-bench-smoke-'));

type Row = Record<string, string | number | boolean | null>;

describe('performance benchmark, quick mode', () => {
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('runs every stage, peer and service load, and writes rows and a report', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'evals/perf/run-bench.ts'), '--quick'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TROGIANG_BENCH_CACHE: cache },
      timeout: 280_000,
    });
    expect(result.status, `${result.stderr}\n${result.stdout.slice(-2000)}`).toBe(0);
    const rows = readFileSync(join(cache, 'rows.quick.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
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
    for (const peer of ['minisearch', 'orama', 'langchain-memory', 'hnswlib']) {
      expect(find({ bench: 'query', system: peer }), peer).toBeDefined();
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
    expect(report).toMatch(/\| minisearch \| 50 \|/);
  }, 300_000); // about a minute on an idle 2-core machine, more when it is shared
});
