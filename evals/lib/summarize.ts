import { percentile } from '../../src/eval/index.js';
import type { EvalConfig, QuestionRun, QuestionScores } from './eval-types.js';
import { refusalMetrics, type RefusalMetrics } from './refusal-metrics.js';

/** Mean of the non-null values; null when there are none. */
export function meanOf(values: ReadonlyArray<number | null | undefined>): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** A few metrics for a slice of the questions (one language, one type). */
export interface SliceSummary {
  questions: number;
  answerable: number;
  hit5: number | null;
  mrr10: number | null;
  containment: number | null;
  keyphraseRecall: number | null;
  citationPrecision: number | null;
  /** Answerable questions answered. */
  answerRate: number | null;
  /** Unanswerable questions declined. */
  declineRate: number | null;
}

/** hit@5 of variant questions against the same questions as originally written. */
export interface VariantGap {
  pairs: number;
  hit5Original: number | null;
  hit5Variant: number | null;
  /** hit@5 of the originals minus hit@5 of the variants (positive = the variants lose). */
  gap: number | null;
}

export interface ConfigSummary extends EvalConfig {
  dataset: string;
  questions: number;
  answerable: number;
  unanswerable: number;
  declined: number;
  /** Answers that fell back to the extractive answerer after a model failure. */
  fallbacks: number;
  retrieval: { hit1: number | null; hit5: number | null; mrr10: number | null; ndcg10: number | null; recall10: number | null };
  answers: { containment: number | null; tokenF1: number | null; keyphraseRecall: number | null };
  citations: { precision: number | null; recall: number | null };
  grounding: number | null;
  refusals: RefusalMetrics;
  diacritics: VariantGap;
  typos: VariantGap;
  latency: { p50: number; p95: number; mean: number };
  judge: { faithfulness: number | null; relevance: number | null; judged: number; failed: number } | null;
  /** How many questions each metric averages over (for baseline tolerances). */
  counts: Record<string, number>;
  byLang: Record<string, SliceSummary>;
  byType: Record<string, SliceSummary>;
}

const scoreOf = (runs: readonly QuestionRun[], key: keyof QuestionScores) => runs.map((r) => r.scores[key]);
const countOf = (runs: readonly QuestionRun[], key: keyof QuestionScores) => runs.filter((r) => r.scores[key] !== null).length;

export function summarizeSlice(runs: readonly QuestionRun[]): SliceSummary {
  const answerable = runs.filter((r) => r.answerable);
  const unanswerable = runs.filter((r) => !r.answerable);
  return {
    questions: runs.length,
    answerable: answerable.length,
    hit5: meanOf(scoreOf(runs, 'hit5')),
    mrr10: meanOf(scoreOf(runs, 'mrr10')),
    containment: meanOf(scoreOf(runs, 'containment')),
    keyphraseRecall: meanOf(scoreOf(runs, 'keyphraseRecall')),
    citationPrecision: meanOf(scoreOf(runs, 'citationPrecision')),
    answerRate: answerable.length ? answerable.filter((r) => !r.declined).length / answerable.length : null,
    declineRate: unanswerable.length ? unanswerable.filter((r) => r.declined).length / unanswerable.length : null,
  };
}

/** hit@5 of the questions of `type` that name an original (`variantOf`), against those originals. */
export function variantGap(runs: readonly QuestionRun[], type: string): VariantGap {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const pairs = runs.flatMap((r) => {
    const original = r.type === type && r.variantOf !== undefined ? byId.get(r.variantOf) : undefined;
    return original && r.scores.hit5 !== null && original.scores.hit5 !== null ? [[original.scores.hit5, r.scores.hit5] as const] : [];
  });
  const hit5Original = meanOf(pairs.map((p) => p[0]));
  const hit5Variant = meanOf(pairs.map((p) => p[1]));
  return {
    pairs: pairs.length,
    hit5Original,
    hit5Variant,
    gap: hit5Original !== null && hit5Variant !== null ? hit5Original - hit5Variant : null,
  };
}

function groupBy(runs: readonly QuestionRun[], key: (r: QuestionRun) => string): Record<string, SliceSummary> {
  const groups = new Map<string, QuestionRun[]>();
  for (const r of runs) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return Object.fromEntries([...groups.keys()].sort().map((k) => [k, summarizeSlice(groups.get(k)!)]));
}

/** Every metric of one dataset × configuration, averaged as evals/README.md defines. */
export function summarizeRuns(dataset: string, config: EvalConfig, runs: readonly QuestionRun[]): ConfigSummary {
  const latencies = runs.map((r) => r.latencyMs);
  const judged = runs.filter((r) => r.judge !== undefined);
  const keys: Array<keyof QuestionScores> = [
    'hit1',
    'hit5',
    'mrr10',
    'ndcg10',
    'recall10',
    'containment',
    'tokenF1',
    'keyphraseRecall',
    'citationPrecision',
    'citationRecall',
    'grounding',
  ];
  const counts: Record<string, number> = Object.fromEntries(keys.map((k) => [k, countOf(runs, k)]));
  const answerable = runs.filter((r) => r.answerable).length;
  const unanswerable = runs.length - answerable;
  const declined = runs.filter((r) => r.declined).length;
  counts.refusalPrecision = declined;
  counts.refusalRecall = unanswerable;
  counts.falseRefusalRate = answerable;
  counts.answerRate = answerable;
  const diacritics = variantGap(runs, 'no-diacritics');
  counts.diacriticsGap = diacritics.pairs;
  return {
    dataset,
    ...config,
    questions: runs.length,
    answerable,
    unanswerable,
    declined,
    fallbacks: runs.filter((r) => r.mode === 'extractive-fallback').length,
    retrieval: {
      hit1: meanOf(scoreOf(runs, 'hit1')),
      hit5: meanOf(scoreOf(runs, 'hit5')),
      mrr10: meanOf(scoreOf(runs, 'mrr10')),
      ndcg10: meanOf(scoreOf(runs, 'ndcg10')),
      recall10: meanOf(scoreOf(runs, 'recall10')),
    },
    answers: {
      containment: meanOf(scoreOf(runs, 'containment')),
      tokenF1: meanOf(scoreOf(runs, 'tokenF1')),
      keyphraseRecall: meanOf(scoreOf(runs, 'keyphraseRecall')),
    },
    citations: { precision: meanOf(scoreOf(runs, 'citationPrecision')), recall: meanOf(scoreOf(runs, 'citationRecall')) },
    grounding: meanOf(scoreOf(runs, 'grounding')),
    refusals: refusalMetrics(runs.map((r) => ({ answerable: r.answerable, declined: r.declined }))),
    diacritics,
    typos: variantGap(runs, 'typo'),
    latency: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), mean: meanOf(latencies) ?? 0 },
    judge: judged.length
      ? {
          faithfulness: meanOf(judged.map((r) => r.judge?.faithfulness)),
          relevance: meanOf(judged.map((r) => r.judge?.relevance)),
          judged: judged.filter((r) => r.judge).length,
          failed: judged.filter((r) => !r.judge).length,
        }
      : null,
    counts,
    byLang: groupBy(runs, (r) => r.lang),
    byType: groupBy(runs, (r) => r.type),
  };
}

/**
 * How well one question went, 0 (worst) to 1, to list the worst questions: for an answerable
 * question the mean of MRR@10, containment, key-phrase recall and citation precision (a
 * declined one scores 0); for an unanswerable one, 1 if declined, else 0.
 */
export function questionQuality(r: QuestionRun): number {
  if (!r.answerable) return r.declined ? 1 : 0;
  if (r.declined) return 0;
  const s = r.scores;
  return meanOf([s.mrr10, s.containment, s.keyphraseRecall, s.citationPrecision]) ?? 0;
}

/** The `n` worst questions, worst first (ties by id). */
export function worstQuestions(runs: readonly QuestionRun[], n: number): QuestionRun[] {
  return [...runs].sort((a, b) => questionQuality(a) - questionQuality(b) || a.id.localeCompare(b.id)).slice(0, n);
}
