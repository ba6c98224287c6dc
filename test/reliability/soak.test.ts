/**
 * The soak's quick form in `npm test`: `evals/soak/run-soak.ts` runs the service in its own
 * process under mixed load on loopback and exits non-zero when a bar fails (errors, RSS growth,
 * a kind of request that never succeeded, the service unhealthy at the end). CI runs 2 minutes,
 * as the reliability issue asks; `SOAK_MINUTES=10 npx vitest run test/reliability/soak.test.ts`
 * runs the full form (or `npm run soak` on its own).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const minutes = Number(process.env.SOAK_MINUTES ?? 2);
const root = join(import.meta.dirname, '../..');

interface Run {
  code: number | null;
  intervals: Array<Record<string, number | null>>;
  summary: Record<string, any>;
  stderr: string;
}

function soak(): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'evals/soak/run-soak.ts'), '--minutes', String(minutes)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, any>);
      resolve({
        code,
        intervals: lines.filter((l) => l.soak === 'interval'),
        summary: lines.find((l) => l.soak === 'summary') ?? {},
        stderr: err,
      });
    });
  });
}

describe(`soak (${minutes} min)`, () => {
  it(
    'serves questions, searches, feedback, uploads and deletes with no error, 429s only where intended, and RSS growth under 10% after warm-up',
    async () => {
      const run = await soak();
      const { summary } = run;
      expect(summary.failures, run.stderr.slice(-3000)).toEqual([]);
      expect(run.code).toBe(0);
      expect(summary.minutes).toBe(minutes);
      // Latency over time: one row per interval, through to the end.
      expect(run.intervals.length).toBeGreaterThanOrEqual(Math.round((minutes * 60) / summary.interval_s) - 1);
      expect(run.intervals.at(-1)!.t_s).toBeGreaterThanOrEqual(minutes * 60 - summary.interval_s);
      for (const row of run.intervals) expect(row.p95_ms).toBeGreaterThan(0);
      // The load was mixed, and the bars hold.
      for (const kind of ['chat', 'chat-stream', 'search', 'feedback', 'upload', 'delete']) {
        expect(summary.by_kind[kind].ok, kind).toBeGreaterThan(0);
        expect(summary.by_kind[kind].errors, kind).toBe(0);
      }
      // Each upload is deleted in the same cycle: only the cycles cut off by the end are left.
      expect(summary.by_kind.upload.ok - summary.by_kind.delete.ok).toBeGreaterThanOrEqual(0);
      expect(summary.by_kind.upload.ok - summary.by_kind.delete.ok).toBeLessThanOrEqual(summary.connections);
      expect(summary.errors).toBe(0);
      expect(summary.rate_limited).toBeGreaterThan(0);
      expect(summary.rss_growth_pct).toBeLessThan(10);
      // The table of latency and memory over time, for the CI log.
      console.log(run.stderr.slice(run.stderr.indexOf('| t (s)')));
      console.log(
        `soak: ${summary.requests} requests in ${minutes} min, ${summary.errors} errors, ${summary.rate_limited} intended 429s, p95 ${summary.p95_ms} ms, RSS after GC lowest ${summary.rss_base_mb} → end ${summary.rss_end_mb} MiB (${summary.rss_growth_pct}%)`,
      );
    },
    minutes * 60_000 + 120_000,
  );
});
