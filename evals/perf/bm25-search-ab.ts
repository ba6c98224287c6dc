/**
 * BM25 `search` of this checkout against another's, in one process over the same saved index and
 * questions: rounds alternate between the two (so a noisy machine weighs on both alike), and every
 * question's hits must be the same ids with the same scores in both.
 *
 *   git worktree add /tmp/trogiang-before <rev>
 *   node --import tsx evals/perf/bm25-search-ab.ts --baseline /tmp/trogiang-before \
 *     --data evals/perf/.cache/data-100k --questions evals/perf/.cache/corpus-v1-100k.questions-1000.jsonl \
 *     [--count 500] [--rounds 3] [--k 50]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Bm25Index, type Bm25Params } from '../../src/indexes/index.js';
import { readWholeFile } from '../../src/indexes/atomic-write.js';
import { tokenize } from '../../src/text/index.js';
import { readQuestions } from './corpus-gen.js';
import { latencyStats } from './measure.js';

const { values: opts } = parseArgs({
  options: {
    baseline: { type: 'string' },
    data: { type: 'string', default: 'evals/perf/.cache/data-100k' },
    questions: { type: 'string', default: 'evals/perf/.cache/corpus-v1-100k.questions-1000.jsonl' },
    count: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
    k: { type: 'string', default: '50' },
  },
});
if (!opts.baseline) throw new Error('--baseline: a checkout of the version to compare with (git worktree add DIR REV)');
const before = (await import(join(resolve(opts.baseline), 'src/indexes/index.ts'))) as { Bm25Index: typeof Bm25Index };

const root = join(opts.data!, 'indexes');
const folder = join(root, readFileSync(join(root, 'CURRENT'), 'utf8').trim());
const params = (JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { bm25: Bm25Params }).bm25;
const versions = {
  new: Bm25Index.deserialize(readWholeFile(join(folder, 'bm25.bin')), params),
  old: before.Bm25Index.deserialize(readWholeFile(join(folder, 'bm25.bin')), params),
};
const count = Number(opts.count);
const all = readQuestions(opts.questions!);
const questions = all.slice(0, count).map((q) => tokenize(q.text));
const k = Number(opts.k);
for (const q of all.slice(count, count + 20)) for (const index of Object.values(versions)) index.search(tokenize(q.text), k);

// The same hits, in the same order, with the same scores (to the last bit).
let differing = 0;
for (const tokens of questions) {
  const a = versions.new.search(tokens, k);
  const b = versions.old.search(tokens, k);
  if (a.length !== b.length || a.some((hit, i) => hit.id !== b[i]!.id || hit.score !== b[i]!.score)) differing++;
}

const latencies: Record<string, number[][]> = { new: [], old: [] };
for (let round = 0; round < Number(opts.rounds); round++) {
  for (const name of round % 2 === 0 ? ['new', 'old'] : ['old', 'new']) {
    const index = versions[name as keyof typeof versions];
    const times: number[] = [];
    for (const tokens of questions) {
      const started = performance.now();
      index.search(tokens, k);
      times.push(performance.now() - started);
    }
    latencies[name]!.push(times);
  }
}
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const summary = Object.fromEntries(
  Object.entries(latencies).map(([name, rounds]) => {
    const stats = rounds.map((times) => latencyStats(times));
    return [
      name,
      {
        p50_ms: median(stats.map((s) => s.p50_ms)),
        p95_ms: median(stats.map((s) => s.p95_ms)),
        mean_ms: median(stats.map((s) => s.mean_ms)),
      },
    ];
  }),
);
process.stdout.write(
  `${JSON.stringify({ bench: 'bm25-search-ab', chunks: versions.new.size, questions: questions.length, k, rounds: Number(opts.rounds), differing, ...summary })}\n`,
);
