/**
 * How many searches and how long the follow-up decision takes for the later turns of a
 * conversation set: each turn's question after the previous turn's (as asked), through
 * `resolveFollowUp` on the shipped corpus, `--reps` times (the first pass runs on cold caches).
 * Uses only `resolveFollowUp`'s public signature, so the same file runs on an older commit.
 * Run: npx tsx evals/tune/follow-up-searches.ts [--set evals/tune/conversations.jsonl] [--reps 5]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFollowUp } from '../../src/answer/rewrite-question.js';
import { loadConfig } from '../../src/config.js';
import { defaultAnswerability } from '../../src/retrieve/index.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';

const { values } = parseArgs({ options: { set: { type: 'string' }, reps: { type: 'string' } } });
const root = resolve(import.meta.dirname, '../..');
const setFile = values.set ?? join(root, 'evals/tune/conversations.jsonl');
const reps = Number(values.reps ?? 5);
const pairs: Array<[string, string]> = [];
for (const line of readFileSync(setFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')) {
  const turns = (JSON.parse(line) as { turns: Array<{ q: string }> }).turns;
  for (let i = 1; i < turns.length; i++) pairs.push([turns[i - 1]!.q, turns[i]!.q]);
}
const temp = mkdtempSync(join(tmpdir(), 'trogiang-followup-'));
const config = loadConfig({ DATA_DIR: join(temp, 'data'), CORPUS_DIR: join(root, 'corpus'), LOG_LEVEL: 'silent' });
const { deps } = await openService(config, createLogger('silent'));
const engine = deps.engine;
let searches = 0;
const times: number[] = [];
for (let rep = 0; rep < reps; rep++) {
  for (const [previous, question] of pairs) {
    const started = performance.now();
    await resolveFollowUp(
      [{ question: previous, answer: '' }],
      question,
      (q: string) => (searches++, engine.retrieve(q, { k: 5 })),
      engine.idf,
      defaultAnswerability.threshold,
    );
    times.push(performance.now() - started);
  }
}
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(2);
console.log(
  `${pairs.length} later turns x ${reps}: ${(searches / times.length).toFixed(2)} searches a turn, p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`,
);
await engine.close();
rmSync(temp, { recursive: true, force: true });
process.exit(0);
