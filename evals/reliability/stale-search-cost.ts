/**
 * What stale nodes cost a graph search: the same graph searched with no stale node (no filter
 * callback) and after removing some vectors (each search then passes hnswlib a filter that calls
 * into JavaScript per candidate). Dense random vectors (the graph path, not the exact scan).
 * Prints one JSON line per case.
 *
 * Run: npx tsx evals/reliability/stale-search-cost.ts [--size 20000] [--dims 128] [--queries 2000]
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../perf/corpus-gen.js';
import { latencyStats } from '../perf/measure.js';
import { VectorIndex } from '../../src/indexes/vector-index.js';
import { randomUnitVector } from '../../test/support/random-vectors.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    dims: { type: 'string', default: '128' },
    queries: { type: 'string', default: '2000' },
  },
});
const size = Number(values.size);
const dims = Number(values.dims);
const rand = mulberry32(11);
const index = VectorIndex.create(dims, undefined, size);
for (let id = 0; id < size; id++) index.add(id, randomUnitVector(rand, dims), id % 2 ? 'a' : 'b');
const queries = Array.from({ length: Number(values.queries) }, () => randomUnitVector(rand, dims));

function measure(label: string): void {
  for (const q of queries.slice(0, 200)) index.search(q, 10); // warm-up
  const ms: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    index.search(q, 10);
    ms.push(performance.now() - started);
  }
  const stats = latencyStats(ms);
  process.stdout.write(
    `${JSON.stringify({ case: label, size, dims, stale: index.staleCount, p50Ms: stats.p50_ms, p95Ms: stats.p95_ms })}\n`,
  );
}

measure('no stale nodes');
for (let id = 0; id < size; id += 20) index.remove(id);
measure('5% stale');
for (let id = 1; id < size; id += 4) index.remove(id);
measure('30% stale');
