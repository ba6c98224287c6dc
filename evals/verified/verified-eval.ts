/**
 * The verified-answer matching evaluation (docs/curation.md): the verified answers of
 * evals/verified/answers.json, learners' paraphrases that must get their answer
 * (paraphrases.jsonl) and near-miss questions that must get none (near-misses.jsonl). Each list
 * is split in two halves, alternating in file order: the threshold (and the
 * vector weight) are chosen on the tuning half, and both halves are reported at that choice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifiedAnswer } from '../../src/store/index.js';
import {
  VerifiedMatcher,
  defaultMatchSettings,
  type MatcherDeps,
  type MatchSettings,
  type VerifiedMatch,
} from '../../src/verified/index.js';

const dir = import.meta.dirname;

interface SetAnswer {
  id: string;
  question: string;
  answer: string;
  phrasings: string[];
}
interface Item {
  q: string;
  /** The answer a paraphrase must get, or the one a near miss resembles. */
  id: string;
  half: 'tuning' | 'heldout';
}

export interface HalfFigures {
  paraphrases: number;
  nearMisses: number;
  /** Paraphrases answered with their own verified answer. */
  hitRate: number;
  /** Paraphrases answered with another verified answer (counted as misses too). */
  wrongAnswers: number;
  /** Near misses answered with any verified answer. */
  falseMatchRate: number;
}

export interface VerifiedEvalReport {
  answers: number;
  chosen: ChosenSettings;
  tuning: HalfFigures;
  heldout: HalfFigures;
  /** The figures of the settings the code ships (`defaultMatchSettings`), on the held-out half. */
  shipped: { settings: ChosenSettings; heldout: HalfFigures };
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** Alternates the items between the halves in file order (each answer's items are consecutive, so both halves hold every answer). */
function split<T extends { q: string }>(items: T[], idOf: (t: T) => string): Item[] {
  return items.map((t, i) => ({ q: t.q, id: idOf(t), half: i % 2 === 0 ? 'tuning' : 'heldout' }));
}

export function loadVerifiedSet() {
  const answers = JSON.parse(readFileSync(join(dir, 'answers.json'), 'utf8')) as SetAnswer[];
  const paraphrases = split(readJsonl<{ q: string; answer: string }>('paraphrases.jsonl'), (p) => p.answer);
  const nearMisses = split(readJsonl<{ q: string; near: string }>('near-misses.jsonl'), (p) => p.near);
  return { answers, paraphrases, nearMisses };
}

const asVerified = (a: SetAnswer): VerifiedAnswer => ({
  id: a.id,
  centerId: 'default',
  question: a.question,
  answer: a.answer,
  phrasings: a.phrasings,
  collections: [],
  documentId: null,
  page: null,
  validFrom: null,
  validUntil: null,
  lastChecked: null,
  hitCount: 0,
  thumbsUp: 0,
  thumbsDown: 0,
  createdBy: 'eval',
  updatedBy: 'eval',
  createdAt: '',
  updatedAt: '',
});

/** Each item's best match (any score), for one vector weight. */
async function bestMatches(items: Item[], matcher: VerifiedMatcher): Promise<Array<VerifiedMatch | undefined>> {
  const out: Array<VerifiedMatch | undefined> = [];
  for (const item of items) out.push((await matcher.scores(item.q, { today: '2026-01-01' }))[0]);
  return out;
}

function figures(
  paraphrases: Item[],
  pBest: Array<VerifiedMatch | undefined>,
  nearMisses: Item[],
  nBest: Array<VerifiedMatch | undefined>,
  threshold: number,
  half: Item['half'],
): HalfFigures {
  let n = 0;
  let hits = 0;
  let wrong = 0;
  paraphrases.forEach((p, i) => {
    if (p.half !== half) return;
    n++;
    const best = pBest[i];
    if (best && best.score >= threshold) {
      if (best.answer.id === p.id) hits++;
      else wrong++;
    }
  });
  let m = 0;
  let falseMatches = 0;
  nearMisses.forEach((q, i) => {
    if (q.half !== half) return;
    m++;
    const best = nBest[i];
    if (best && best.score >= threshold) falseMatches++;
  });
  return { paraphrases: n, nearMisses: m, hitRate: hits / n, wrongAnswers: wrong, falseMatchRate: falseMatches / m };
}

/** The matching settings tried on the tuning half (lexical ones first, then the vector weight). */
const betas = [0.5, 0.3, 0.7, 1];
const swapFactors = [0.5, 0.3, 0.7];
const vectorWeights = [0, 0.1, 0.2, 0.3];
const thresholds = Array.from({ length: 71 }, (_, i) => Math.round((0.25 + i * 0.01) * 100) / 100);
/** The false-match rate a choice may not exceed on the tuning half. */
export const falseMatchBudget = 0.02;

/** The settings the report names (the candidate depth is not tuned). */
export type ChosenSettings = Omit<MatchSettings, 'candidates'>;

interface Choice {
  settings: ChosenSettings;
  tuning: HalfFigures;
  heldout: HalfFigures;
}

/** Whether `a` beats `b` on the tuning half: more hits, then fewer false matches, then a higher threshold (earlier in the grid on a tie). */
const better = (a: Choice, b: Choice | null): boolean =>
  !b ||
  a.tuning.hitRate > b.tuning.hitRate ||
  (a.tuning.hitRate === b.tuning.hitRate &&
    (a.tuning.falseMatchRate < b.tuning.falseMatchRate ||
      (a.tuning.falseMatchRate === b.tuning.falseMatchRate && a.settings.threshold > b.settings.threshold)));

/** Scores every item with `settings` and returns the best threshold's choice on the tuning half. */
async function bestThreshold(
  set: ReturnType<typeof loadVerifiedSet>,
  answers: VerifiedAnswer[],
  deps: MatcherDeps,
  settings: MatchSettings,
): Promise<Choice | null> {
  const matcher = await VerifiedMatcher.build(answers, deps, settings);
  const pBest = await bestMatches(set.paraphrases, matcher);
  const nBest = await bestMatches(set.nearMisses, matcher);
  let best: Choice | null = null;
  for (const threshold of thresholds) {
    const tuning = figures(set.paraphrases, pBest, set.nearMisses, nBest, threshold, 'tuning');
    if (tuning.falseMatchRate > falseMatchBudget) continue;
    const { candidates: _, ...named } = { ...settings, threshold };
    const choice = { settings: named, tuning, heldout: figures(set.paraphrases, pBest, set.nearMisses, nBest, threshold, 'heldout') };
    if (better(choice, best)) best = choice;
  }
  return best;
}

/**
 * Chooses the settings on the tuning half: every lexical setting (beta, swap factor, folded
 * weights for questions without marks, pooled IDF; disagreeing numbers always veto) with its best
 * threshold, then the vector weight at the best of them; the highest hit rate with false matches
 * within {@link falseMatchBudget} wins (ties: fewer false matches, then the higher threshold, then
 * the earlier in the grid). Reports both halves at that choice, and the held-out half at the
 * shipped defaults. The held-out half plays no part in any choice.
 */
export async function runVerifiedEval(deps: MatcherDeps): Promise<VerifiedEvalReport> {
  const set = loadVerifiedSet();
  const answers = set.answers.map(asVerified);
  let best: Choice | null = null;
  for (const foldUnmarked of [false, true]) {
    for (const pooledIdf of [false, true]) {
      for (const beta of betas) {
        for (const swapFactor of swapFactors) {
          const choice = await bestThreshold(set, answers, deps, {
            ...defaultMatchSettings,
            vectorWeight: 0,
            numberVeto: true,
            foldUnmarked,
            pooledIdf,
            beta,
            swapFactor,
          });
          if (choice && better(choice, best)) best = choice;
        }
      }
    }
  }
  if (!best) throw new Error('no threshold keeps false matches within the budget on the tuning half');
  for (const vectorWeight of vectorWeights.slice(1)) {
    const choice = await bestThreshold(set, answers, deps, { ...defaultMatchSettings, ...best.settings, vectorWeight });
    if (choice && better(choice, best)) best = choice;
  }
  const shippedMatcher = await VerifiedMatcher.build(answers, deps, defaultMatchSettings);
  const shipped = figures(
    set.paraphrases,
    await bestMatches(set.paraphrases, shippedMatcher),
    set.nearMisses,
    await bestMatches(set.nearMisses, shippedMatcher),
    defaultMatchSettings.threshold,
    'heldout',
  );
  const { candidates: _, ...shippedSettings } = defaultMatchSettings;
  return {
    answers: answers.length,
    chosen: best.settings,
    tuning: best.tuning,
    heldout: best.heldout,
    shipped: { settings: shippedSettings, heldout: shipped },
  };
}

/** Settings as one line: `threshold 0.78, vector weight 0, beta 0.3, …`. */
const describe = (s: ChosenSettings): string =>
  `threshold ${s.threshold}, vector weight ${s.vectorWeight}, beta ${s.beta}, swap factor ${s.swapFactor}, folded when unmarked ${s.foldUnmarked ? 'yes' : 'no'}, pooled IDF ${s.pooledIdf ? 'yes' : 'no'}, number veto ${s.numberVeto ? 'yes' : 'no'}`;

const pct = (x: number) => x.toFixed(3);

/** The report as printed by `npm run eval` and `npm run eval:verified`. */
export function renderVerifiedEval(r: VerifiedEvalReport): string {
  const row = (name: string, f: HalfFigures) =>
    `  ${name.padEnd(26)} hit rate ${pct(f.hitRate)} (${f.paraphrases} paraphrases, ${f.wrongAnswers} wrong answer${f.wrongAnswers === 1 ? '' : 's'})  false-match rate ${pct(f.falseMatchRate)} (${f.nearMisses} near misses)`;
  return [
    `verified answers (${r.answers} answers; targets: hits >= 0.90, false matches <= 0.02)`,
    `  chosen on the tuning half: ${describe(r.chosen)}`,
    `  shipped (defaultMatchSettings): ${describe(r.shipped.settings)}`,
    row('tuning half', r.tuning),
    row('held-out half', r.heldout),
    row('shipped, held-out half', r.shipped.heldout),
    '',
  ].join('\n');
}
