/**
 * Keeps the performance benchmark (`evals/perf/`) from rotting: a tiny corpus is generated, one
 * trogiang stage process ingests it and another answers its questions, a peer indexes it, and the
 * report renders. Figures are not checked (this is not a timed test); shapes and recall are.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const cache = mkdtempSync(join(tmpdir(), 'trogiang-bench-smoke-'));
process.env.TROGIANG_BENCH_CACHE = cache;

type Row = Record<string, string | number | boolean | null>;

function stage(script: string, args: string[]): Row[] {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'evals/perf', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TROGIANG_BENCH_CACHE: cache },
    timeout: 120_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row);
}

describe('performance benchmark (smoke)', () => {
  let corpus: { docsPath: string; questionsPath: string; documents: number };
  const rows: Row[] = [];

  beforeAll(async () => {
    const { ensureCorpus } = await import('../../evals/perf/corpus-gen.js');
    corpus = await ensureCorpus(300);
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('generates a corpus whose sections are one chunk each, with gold questions', async () => {
    const { readDocs, readQuestions } = await import('../../evals/perf/corpus-gen.js');
    let sections = 0;
    for await (const doc of readDocs(corpus.docsPath)) {
      for (const s of doc.sections) expect(s.text.length).toBeLessThanOrEqual(1400);
      sections += doc.sections.length;
    }
    expect(sections).toBe(300);
    const questions = readQuestions(corpus.questionsPath);
    expect(questions).toHaveLength(300);
    expect(questions[0]!.text.split(' ').length).toBeGreaterThanOrEqual(4);
  });

  it('ingests and queries through the engine in stage processes, and a peer on the same data', () => {
    const dataDir = join(cache, 'data-smoke');
    rows.push(...stage('stage-trogiang.ts', ['ingest', '--docs', corpus.docsPath, '--data', dataDir]).map((r) => ({ ...r, size: '300' })));
    rows.push(...stage('stage-trogiang.ts', ['query', '--data', dataDir, '--questions', corpus.questionsPath, '--count', '20', '--answers', '5']).map((r) => ({ ...r, size: '300' })));
    rows.push(...stage('stage-peer.ts', ['minisearch', '--docs', corpus.docsPath, '--questions', corpus.questionsPath, '--count', '20', '--fuzzy-count', '2']).map((r) => ({ ...r, size: '300' })));
    const ingest = rows.find((r) => r.bench === 'ingest')!;
    expect(ingest.chunks).toBe(300);
    const hybrid = rows.find((r) => r.bench === 'query' && r.system === 'trogiang' && r.mode === 'hybrid')!;
    expect(hybrid.queries).toBe(20);
    expect(hybrid.recall10).toBeGreaterThan(0.5);
    expect(rows.find((r) => r.bench === 'cold-start')).toBeDefined();
    expect(rows.find((r) => r.bench === 'query' && r.system === 'minisearch')).toBeDefined();
  }, 180_000); // three processes; ~15 s on an idle 2-core machine, far more when it is shared

  it('renders the report', async () => {
    const { renderReport } = await import('../../evals/perf/report.js');
    const md = renderReport(rows, {
      machine: { cores: 2, cpu: 'test', memory_gib: 4, node: process.version, platform: 'test' },
      startedAt: new Date().toISOString(),
      minutes: 0.1,
      command: 'smoke',
      quick: true,
      loadavg: [0, 0, 0],
    });
    expect(md).toContain('## Targets');
    expect(md).toContain('## 300 chunks');
    expect(md).toMatch(/\| minisearch \| 20 \|/);
  });
});
