import type { ConfigSummary } from './summarize.js';

/**
 * One line of the machine-readable output: one dataset × configuration, always these keys in
 * this order, rates rounded to 4 decimals, null where a metric does not apply.
 */
export interface ResultLine {
  dataset: string;
  mode: string;
  answerer: string;
  questions: number;
  answerable: number;
  unanswerable: number;
  hit1: number | null;
  hit5: number | null;
  mrr10: number | null;
  ndcg10: number | null;
  recall10: number | null;
  containment: number | null;
  token_f1: number | null;
  keyphrase_recall: number | null;
  citation_precision: number | null;
  citation_recall: number | null;
  grounding: number | null;
  refusal_precision: number | null;
  refusal_recall: number | null;
  false_refusal_rate: number | null;
  answer_rate: number | null;
  hit5_diacritics: number | null;
  hit5_no_diacritics: number | null;
  diacritics_gap: number | null;
  fallbacks: number;
  p50_ms: number;
  p95_ms: number;
  judge_faithfulness: number | null;
  judge_relevance: number | null;
}

/** Metrics where lower is better (for the baseline gate). */
export const lowerIsBetter: ReadonlySet<string> = new Set(['false_refusal_rate', 'diacritics_gap', 'p50_ms', 'p95_ms', 'fallbacks']);

const round = (x: number | null, digits = 4): number | null => (x === null ? null : Number(x.toFixed(digits)));

export function resultLine(s: ConfigSummary): ResultLine {
  return {
    dataset: s.dataset,
    mode: s.mode,
    answerer: s.answerer,
    questions: s.questions,
    answerable: s.answerable,
    unanswerable: s.unanswerable,
    hit1: round(s.retrieval.hit1),
    hit5: round(s.retrieval.hit5),
    mrr10: round(s.retrieval.mrr10),
    ndcg10: round(s.retrieval.ndcg10),
    recall10: round(s.retrieval.recall10),
    containment: round(s.answers.containment),
    token_f1: round(s.answers.tokenF1),
    keyphrase_recall: round(s.answers.keyphraseRecall),
    citation_precision: round(s.citations.precision),
    citation_recall: round(s.citations.recall),
    grounding: round(s.grounding),
    refusal_precision: round(s.refusals.precision),
    refusal_recall: round(s.refusals.recall),
    false_refusal_rate: round(s.refusals.falseRefusalRate),
    answer_rate: round(s.refusals.answerRate),
    hit5_diacritics: round(s.diacritics.hit5Original),
    hit5_no_diacritics: round(s.diacritics.hit5Variant),
    diacritics_gap: round(s.diacritics.gap),
    fallbacks: s.fallbacks,
    p50_ms: round(s.latency.p50, 2)!,
    p95_ms: round(s.latency.p95, 2)!,
    judge_faithfulness: round(s.judge?.faithfulness ?? null),
    judge_relevance: round(s.judge?.relevance ?? null),
  };
}

/** The number of questions behind each result-line metric (from the summary's counts). */
export function metricSampleSizes(s: ConfigSummary): Record<string, number> {
  const c = s.counts;
  return {
    hit1: c.hit1 ?? 0,
    hit5: c.hit5 ?? 0,
    mrr10: c.mrr10 ?? 0,
    ndcg10: c.ndcg10 ?? 0,
    recall10: c.recall10 ?? 0,
    containment: c.containment ?? 0,
    token_f1: c.tokenF1 ?? 0,
    keyphrase_recall: c.keyphraseRecall ?? 0,
    citation_precision: c.citationPrecision ?? 0,
    citation_recall: c.citationRecall ?? 0,
    grounding: c.grounding ?? 0,
    refusal_precision: c.refusalPrecision ?? 0,
    refusal_recall: c.refusalRecall ?? 0,
    false_refusal_rate: c.falseRefusalRate ?? 0,
    answer_rate: c.answerRate ?? 0,
    diacritics_gap: c.diacriticsGap ?? 0,
  };
}
