/**
 * Calibrates the answerability threshold on data nobody on the project wrote: each Vietnamese
 * BEIR corpus is asked its own questions (answerable) and another set's questions (not covered:
 * COVID-19 FAQs against university regulations, football against regulations, …). Prints the
 * answer rate and decline rate per threshold and the threshold with the widest margin over both
 * quality bars (answerable answered ≥ 0.90, not covered declined ≥ 0.80).
 *
 * Then the same on the shipped corpus with questions that share words with it: the golden
 * sets' standalone answerable questions against their unanswerable ones and the out-of-scope
 * turns of evals/tune/conversations.jsonl ("Thủ đô của Pháp là gì?" against the history lesson,
 * "Học phí trường Đại học Bách khoa…" against the handbook), the near misses a threshold alone
 * cannot separate and the salient-word check is for (docs/answers.md, "Out of scope").
 * Run: npx tsx evals/calibrate-answerability.ts [evaldata folder]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../src/engine/index.js';
import { readBeirDataset, type BeirDataset } from '../src/eval/index.js';
import { readFileSync } from 'node:fs';
import { defaultAnswerability } from '../src/retrieve/index.js';
import { openCorpus } from './lib/corpus-engine.js';
import { loadGoldenSets } from './lib/golden-schema.js';
import { openSqliteStore } from '../src/store/index.js';

const root = process.argv[2] ?? join(import.meta.dirname, '../../shared/evaldata');
const sets = Object.fromEntries(['uit-regulation', 'xquad/vi', 'uit-vicov19qa'].map((d) => [d, readBeirDataset(join(root, d), d)]));
const pairs: Array<[string, string[]]> = [
  ['uit-regulation', ['uit-vicov19qa', 'xquad/vi']],
  ['xquad/vi', ['uit-regulation', 'uit-vicov19qa']],
];
const sample = <T>(xs: T[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);

const positives: number[] = [];
const negatives: number[] = [];
for (const [corpusName, others] of pairs) {
  const corpus = sets[corpusName] as BeirDataset;
  const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-calibrate-'));
  const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
  await engine.ingest(
    corpus.passages.map((p) => ({
      bytes: Buffer.from(p.text),
      fileName: p.id,
      collection: 'c',
      loaded: { format: 'text', title: p.title, pages: 1, blocks: [{ kind: 'paragraph', text: p.text }] },
    })),
  );
  for (const q of sample(corpus.queries, 300)) positives.push((await engine.retrieve(q.text)).answerability);
  for (const other of others)
    for (const q of sample((sets[other] as BeirDataset).queries, 150)) negatives.push((await engine.retrieve(q.text)).answerability);
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
}
/** Prints the rates per threshold and returns the widest-margin threshold and the configured one. */
function sweep(label: string, positives: number[], negatives: number[]) {
  let best = { threshold: 0, answered: 0, declined: 0, margin: -Infinity };
  for (let t = 0.2; t <= 0.8001; t += 0.02) {
    const answered = positives.filter((s) => s >= t).length / positives.length;
    const declined = negatives.filter((s) => s < t).length / negatives.length;
    console.log(
      `${label} threshold ${t.toFixed(2)}  answerable answered ${answered.toFixed(3)}  not-covered declined ${declined.toFixed(3)}`,
    );
    const margin = Math.min(answered - 0.9, declined - 0.8);
    if (margin > best.margin) best = { threshold: Number(t.toFixed(2)), answered, declined, margin };
  }
  const configured = defaultAnswerability.threshold;
  const atConfigured = {
    threshold: configured,
    answered: positives.filter((s) => s >= configured).length / positives.length,
    declined: negatives.filter((s) => s < configured).length / negatives.length,
  };
  return { label, positives: positives.length, negatives: negatives.length, widestMargin: best, configured: atConfigured };
}

const beir = sweep('beir', positives, negatives);

// The shipped corpus, with near misses that share its words.
const repo = join(import.meta.dirname, '..');
const corpus = await openCorpus('corpus', join(repo, 'corpus'), 'chung');
const golden = loadGoldenSets(join(repo, 'evals/golden')).filter((q) => !q.followUpOf);
const tuning = readFileSync(join(repo, 'evals/tune/conversations.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .flatMap((l) => (JSON.parse(l) as { turns: Array<{ q: string; kind: string }> }).turns)
  .filter((t) => t.kind === 'out-of-scope')
  .map((t) => t.q);
const shippedPositives: number[] = [];
const shippedNegatives: number[] = [];
for (const q of golden) (q.answerable ? shippedPositives : shippedNegatives).push((await corpus.engine.retrieve(q.question)).answerability);
for (const q of new Set(tuning)) shippedNegatives.push((await corpus.engine.retrieve(q)).answerability);
await corpus.engine.close();
const shipped = sweep('corpus', shippedPositives, shippedNegatives);
console.log(JSON.stringify(beir));
console.log(JSON.stringify(shipped));
