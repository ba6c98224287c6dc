/**
 * Why questions miss their gold chunk: for each question whose gold chunk is not in the top 10,
 * counts whether a chunk ranked above the gold holds every word of the question too (folded: the
 * question then matches another chunk as well as its own, a property of the generated corpus), and
 * where the gold chunk ranks.
 *
 *   node --import tsx evals/perf/explain-misses.ts --data evals/perf/.cache/data-1m \
 *     --questions evals/perf/.cache/corpus-v1-1m.questions-1000.jsonl [--count 200] [--mode hybrid]
 */
import { parseArgs } from 'node:util';
import { Engine } from '../../src/engine/index.js';
import type { RetrievalMode } from '../../src/retrieve/index.js';
import { foldDiacritics } from '../../src/text/fold-diacritics.js';
import { chunkKey, readQuestions, storedChunkKey } from './corpus-gen.js';
import { openSqliteStore } from '../../src/store/index.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    questions: { type: 'string' },
    count: { type: 'string', default: '200' },
    mode: { type: 'string', default: 'hybrid' },
  },
});
if (!values.data || !values.questions) throw new Error('usage: explain-misses.ts --data DIR --questions FILE [--count N] [--mode M]');
const words = (text: string) =>
  foldDiacritics(text.normalize('NFC').toLowerCase())
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

const engine = await Engine.open({ store: openSqliteStore(values.data), dataDir: values.data });
const questions = readQuestions(values.questions).slice(0, Number(values.count));
let misses = 0;
let coveredElsewhere = 0;
const goldRanks: number[] = [];
for (const q of questions) {
  const results = (await engine.retrieve(q.text, { k: 100, mode: values.mode as RetrievalMode })).results;
  const keys = results.map((r) => storedChunkKey(r.chunk.documentId, r.chunk.ordinal));
  const gold = chunkKey(q.doc, q.section);
  const rank = keys.indexOf(gold);
  if (rank >= 0 && rank < 10) continue;
  misses++;
  goldRanks.push(rank < 0 ? Infinity : rank + 1);
  const asked = words(q.text);
  const above = results.slice(0, rank < 0 ? 10 : rank);
  if (
    above.some((r) => {
      const have = new Set(words(`${r.chunk.title} ${r.chunk.headingPath.join(' ')} ${r.chunk.text}`));
      return asked.every((w) => have.has(w));
    })
  )
    coveredElsewhere++;
}
await engine.close();
const ranks = goldRanks.map((r) => (Number.isFinite(r) ? String(r) : '>100')).join(', ');
process.stdout.write(
  `${JSON.stringify({ bench: 'explain-misses', mode: values.mode, questions: questions.length, misses, above_gold_with_every_word: coveredElsewhere, gold_ranks: ranks })}\n`,
);
