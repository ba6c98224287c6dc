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
import { VerifiedMatcher, defaultMatchSettings, type MatcherDeps, type MatchSettings, type VerifiedMatch } from '../../src/verified/index.js';

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
  chosen: Pick<MatchSettings, 'threshold' | 'vectorWeight'>;
  tuning: HalfFigures;
  heldout: HalfFigures;
  /** The figures of the settings the code ships (`defaultMatchSettings`), on the held-out half. */
  shipped: { settings: Pick<MatchSettings, 'threshold' | 'vectorWeight'>; heldout: HalfFigures };
}

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(dir, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
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
  id: a.id, centerId: 'default', question: a.question, answer: a.answer, phrasings: a.phrasings, collections: [], documentId: null, page: null,
  validFrom: null, validUntil: null, lastChecked: null, hitCount: 0, thumbsUp: 0, thumbsDown: 0, createdBy: 'eval', updatedBy: 'eval', createdAt: '', updatedAt: '',
});

/** Each item's best match (any score), for one vector weight. */
async function bestMatches(items: Item[], matcher: VerifiedMatcher): Promise<Array<VerifiedMatch | undefined>> {
  const out: Array<VerifiedMatch | undefined> = [];
  for (const item of items) out.push((await matcher.scores(item.q, { today: '2026-01-01' }))[0]);
  return out;
}

function figures(paraphrases: Item[], pBest: Array<VerifiedMatch | undefined>, nearMisses: Item[], nBest: Array<VerifiedMatch | undefined>, threshold: number, half: Item['half']): HalfFigures {
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

/** Vector weights and thresholds tried on the tuning half. */
const vectorWeights = [0, 0.1, 0.2, 0.3];
const thresholds = Array.from({ length: 71 }, (_, i) => Math.round((0.25 + i * 0.01) * 100) / 100);
/** The false-match rate a choice may not exceed on the tuning half. */
export const falseMatchBudget = 0.02;

/**
 * Chooses the vector weight and threshold on the tuning half (the highest hit rate with false
 * matches within {@link falseMatchBudget}; among equals, the highest threshold) and reports both
 * halves at that choice, and the held-out half at the shipped defaults.
 */
export async function runVerifiedEval(deps: MatcherDeps): Promise<VerifiedEvalReport> {
  const set = loadVerifiedSet();
  const answers = set.answers.map(asVerified);
  let best: { vectorWeight: number; threshold: number; tuning: HalfFigures; heldout: HalfFigures } | null = null;
  let shipped: HalfFigures | null = null;
  for (const vectorWeight of vectorWeights) {
    const matcher = await VerifiedMatcher.build(answers, deps, { ...defaultMatchSettings, vectorWeight });
    const pBest = await bestMatches(set.paraphrases, matcher);
    const nBest = await bestMatches(set.nearMisses, matcher);
    if (vectorWeight === defaultMatchSettings.vectorWeight) shipped = figures(set.paraphrases, pBest, set.nearMisses, nBest, defaultMatchSettings.threshold, 'heldout');
    for (const threshold of thresholds) {
      const tuning = figures(set.paraphrases, pBest, set.nearMisses, nBest, threshold, 'tuning');
      if (tuning.falseMatchRate > falseMatchBudget) continue;
      if (!best || tuning.hitRate > best.tuning.hitRate || (tuning.hitRate === best.tuning.hitRate && threshold > best.threshold)) {
        best = { vectorWeight, threshold, tuning, heldout: figures(set.paraphrases, pBest, set.nearMisses, nBest, threshold, 'heldout') };
      }
    }
  }
  if (!best || !shipped) throw new Error('no threshold keeps false matches within the budget on the tuning half');
  return {
    answers: answers.length,
    chosen: { threshold: best.threshold, vectorWeight: best.vectorWeight },
    tuning: best.tuning,
    heldout: best.heldout,
    shipped: { settings: { threshold: defaultMatchSettings.threshold, vectorWeight: defaultMatchSettings.vectorWeight }, heldout: shipped },
  };
}

const pct = (x: number) => x.toFixed(3);

/** The report as printed by `npm run eval` and `npm run eval:verified`. */
export function renderVerifiedEval(r: VerifiedEvalReport): string {
  const row = (name: string, f: HalfFigures) =>
    `  ${name.padEnd(26)} hit rate ${pct(f.hitRate)} (${f.paraphrases} paraphrases, ${f.wrongAnswers} wrong answer${f.wrongAnswers === 1 ? '' : 's'})  false-match rate ${pct(f.falseMatchRate)} (${f.nearMisses} near misses)`;
  return [
    `verified answers (${r.answers} answers; targets: hits >= 0.90, false matches <= 0.02)`,
    `  chosen on the tuning half: threshold ${r.chosen.threshold}, vector weight ${r.chosen.vectorWeight}`,
    row('tuning half', r.tuning),
    row('held-out half', r.heldout),
    row(`shipped (${r.shipped.settings.threshold}, ${r.shipped.settings.vectorWeight}) held-out`, r.shipped.heldout),
    '',
  ].join('\n');
}
