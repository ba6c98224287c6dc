/**
 * Fits the answer-or-decline model (src/answer/answerability-model.ts): a logistic regression over
 * the features of src/answer/answerability-features.ts, on the TUNING sets only — the golden sets
 * (evals/golden, answerable or not) and the tuning conversation sets (evals/tune/conversations.jsonl,
 * follow-up-validation.jsonl, out-of-scope-validation.jsonl: a turn is answerable unless it expects
 * "decline"). Every question is asked through `answerQuestion` over the shipped corpus, each
 * conversation turn with the earlier turns as history (as searched, at most three, as the server
 * keeps them), so the features are those the service computes.
 *
 * Deterministic: features standardised, L2-regularised batch gradient descent from zero for a fixed
 * number of steps. The threshold is the one with the best accuracy over all tuning examples (ties:
 * the lowest); the unseen validation sets (--validate) are scored with it and never fitted on.
 *
 * Run: npx tsx evals/fit-answerability.ts [--write] [--validate a.jsonl,b.jsonl] [--cache file.json]
 *   --write     write src/answer/answerability-weights.json
 *   --cache f   reuse (or save) the collected features of the tuning sets
 * Never pass evals/heldout/ here.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { answerQuestion, type AnswerRecord, type Turn } from '../src/answer/index.js';
import { answerabilityFeatureNames } from '../src/answer/answerability-features.js';
import type { AnswerabilityModel } from '../src/answer/answerability-model.js';
import { openCorpus, type CorpusView } from './lib/corpus-engine.js';
import { loadConversations } from './lib/conversation-schema.js';
import { loadGoldenSets } from './lib/golden-schema.js';

export interface Example {
  set: string;
  id: string;
  question: string;
  answerable: boolean;
  features: number[];
  /** The decision of the model in use when collected (for the before/after comparison). */
  answeredBefore: boolean;
}

export const tuningConversationSets = [
  'evals/tune/conversations.jsonl',
  'evals/tune/follow-up-validation.jsonl',
  'evals/tune/out-of-scope-validation.jsonl',
];

async function ask(view: CorpusView, question: string, history: Turn[]): Promise<AnswerRecord> {
  const events = answerQuestion(
    { question, history: history.slice(-3), collections: null },
    { retrieve: (query, o) => view.engine.retrieve(query, { ...o, mode: 'hybrid' }), idf: view.engine.idf, chat: null, timeoutMs: 10_000 },
  );
  let result = await events.next();
  while (!result.done) result = await events.next();
  return result.value;
}

function example(set: string, id: string, question: string, answerable: boolean, record: AnswerRecord): Example {
  return { set, id, question, answerable, features: record.decision?.features ?? [], answeredBefore: record.answerable };
}

/** Every golden question, a follow-up after the turns it follows (as the golden runner asks them). */
export async function goldenExamples(view: CorpusView, dir = 'evals/golden'): Promise<Example[]> {
  const questions = loadGoldenSets(dir);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const records = new Map<string, AnswerRecord>();
  const out: Example[] = [];
  for (const q of questions) {
    const history: Turn[] = [];
    for (let at = q.followUpOf; at !== undefined && history.length < 3; at = byId.get(at)?.followUpOf) {
      const previous = records.get(at);
      if (previous) history.unshift({ question: previous.rewrittenQuestion, answer: previous.answer });
    }
    const record = await ask(view, q.question, history);
    records.set(q.id, record);
    out.push(example('golden', q.id, q.question, q.answerable, record));
  }
  return out;
}

/** Every turn of a conversation set, asked in order with the conversation's earlier turns. */
export async function conversationExamples(view: CorpusView, file: string): Promise<Example[]> {
  const out: Example[] = [];
  for (const conversation of loadConversations(file)) {
    const history: Turn[] = [];
    for (const [i, turn] of conversation.turns.entries()) {
      const record = await ask(view, turn.q, history);
      history.push({ question: record.rewrittenQuestion, answer: record.answer });
      out.push(example(file, `${conversation.id}#${i + 1}`, turn.q, turn.expect !== 'decline', record));
    }
  }
  return out;
}

/** Standardised L2 logistic regression by batch gradient descent (deterministic). */
export function fitLogistic(xs: readonly number[][], ys: readonly number[], { steps = 4000, rate = 0.5, l2 = 0.01 } = {}) {
  const n = xs.length;
  const d = xs[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => xs.reduce((s, x) => s + x[j]!, 0) / n);
  const scale = Array.from({ length: d }, (_, j) => Math.sqrt(xs.reduce((s, x) => s + (x[j]! - mean[j]!) ** 2, 0) / n) || 1);
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]!) / scale[j]!));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let step = 0; step < steps; step++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-(b + z[i]!.reduce((s, v, j) => s + v * w[j]!, 0))));
      const e = p - ys[i]!;
      gb += e;
      for (let j = 0; j < d; j++) gw[j]! += e * z[i]![j]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= rate * (gw[j]! / n + l2 * w[j]!);
    b -= rate * (gb / n);
  }
  return { mean, scale, weights: w, bias: b };
}

function probability(model: Omit<AnswerabilityModel, 'features' | 'threshold'>, x: readonly number[]): number {
  const z = model.bias + x.reduce((s, v, j) => s + model.weights[j]! * ((v - model.mean[j]!) / model.scale[j]!), 0);
  return 1 / (1 + Math.exp(-z));
}

interface Tally {
  answerable: number;
  answered: number;
  unanswerable: number;
  declined: number;
}

function tally(examples: readonly Example[], decide: (e: Example) => boolean): Tally {
  const t = { answerable: 0, answered: 0, unanswerable: 0, declined: 0 };
  for (const e of examples) {
    const answers = decide(e);
    if (e.answerable) {
      t.answerable++;
      if (answers) t.answered++;
    } else {
      t.unanswerable++;
      if (!answers) t.declined++;
    }
  }
  return t;
}

function line(name: string, t: Tally): string {
  const acc = (t.answered + t.declined) / Math.max(1, t.answerable + t.unanswerable);
  return `${name.padEnd(48)} answered ${t.answered}/${t.answerable}  declined ${t.declined}/${t.unanswerable}  accuracy ${acc.toFixed(3)}`;
}

function bySet(examples: readonly Example[]): Map<string, Example[]> {
  const groups = new Map<string, Example[]>();
  for (const e of examples) groups.set(e.set, [...(groups.get(e.set) ?? []), e]);
  return groups;
}

async function main() {
  const { values } = parseArgs({
    options: {
      write: { type: 'boolean' },
      wrong: { type: 'boolean' },
      validate: { type: 'string' },
      cache: { type: 'string' },
      corpus: { type: 'string', default: 'corpus' },
    },
  });
  const validate = (values.validate ?? '').split(',').filter((f) => f !== '');
  if ([...validate, ...tuningConversationSets].some((f) => f.includes('heldout')))
    throw new Error('the held-out set is never fitted on nor validated here');
  const view = await openCorpus('corpus', values.corpus!, 'default');
  try {
    let tuning: Example[];
    if (values.cache && existsSync(values.cache)) tuning = JSON.parse(readFileSync(values.cache, 'utf8')) as Example[];
    else {
      tuning = [...(await goldenExamples(view))];
      for (const file of tuningConversationSets) tuning.push(...(await conversationExamples(view, file)));
      if (values.cache) writeFileSync(values.cache, JSON.stringify(tuning));
    }
    const fitted = fitLogistic(
      tuning.map((e) => e.features),
      tuning.map((e) => (e.answerable ? 1 : 0)),
    );
    // The threshold with the best accuracy on the tuning examples; ties go to the lowest.
    const scores = tuning.map((e) => probability(fitted, e.features));
    let threshold = 0.5;
    let best = -1;
    for (let t = 0.05; t <= 0.951; t += 0.01) {
      const right = tuning.filter((e, i) => scores[i]! >= t === e.answerable).length;
      if (right > best) {
        best = right;
        threshold = Number(t.toFixed(2));
      }
    }
    const model: AnswerabilityModel = { features: [...answerabilityFeatureNames], ...fitted, threshold };
    const decide = (e: Example) => probability(model, e.features) >= model.threshold;
    console.log(`features: ${answerabilityFeatureNames.length}, tuning examples: ${tuning.length}, threshold ${threshold}`);
    answerabilityFeatureNames.forEach((name, j) =>
      console.log(`  ${name.padEnd(18)} ${model.weights[j]! >= 0 ? ' ' : ''}${model.weights[j]!.toFixed(3)}`),
    );
    console.log(`  bias               ${model.bias.toFixed(3)}`);
    console.log('\ntuning sets (fitted on): before = the model in use when collected, after = this fit');
    for (const [set, examples] of bySet(tuning)) {
      console.log(
        line(
          `${set} before`,
          tally(examples, (e) => e.answeredBefore),
        ),
      );
      console.log(line(`${set} after`, tally(examples, decide)));
    }
    for (const file of validate) {
      const examples = await conversationExamples(view, file);
      console.log(`\nvalidation (not fitted on): ${file}`);
      console.log(
        line(
          'before',
          tally(examples, (e) => e.answeredBefore),
        ),
      );
      console.log(line('after', tally(examples, decide)));
      if (values.wrong)
        for (const e of examples.filter((x) => decide(x) !== x.answerable))
          console.log(
            `  wrong ${e.id} ${e.answerable ? 'answerable' : 'decline'} p=${probability(model, e.features).toFixed(2)} ${e.question} [${e.features.map((v) => v.toFixed(2)).join(' ')}]`,
          );
    }
    if (values.write) {
      const out = {
        note: 'Fitted by `npx tsx evals/fit-answerability.ts --write` on the golden sets and evals/tune/{conversations,follow-up-validation,out-of-scope-validation}.jsonl; see docs/answers.md.',
        ...model,
        mean: model.mean.map((v) => Number(v.toFixed(6))),
        scale: model.scale.map((v) => Number(v.toFixed(6))),
        weights: model.weights.map((v) => Number(v.toFixed(6))),
        bias: Number(model.bias.toFixed(6)),
      };
      writeFileSync('src/answer/answerability-weights.json', `${JSON.stringify(out, null, 2)}\n`);
      console.log('\nwrote src/answer/answerability-weights.json');
    }
  } finally {
    view.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
