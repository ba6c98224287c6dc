import { lowerIsBetter, type ResultLine } from './result-line.js';

/** One gated metric: the value it had and how far it may move the wrong way. */
export interface BaselineMetric {
  value: number;
  tolerance: number;
  /** `higher` (default): a drop beyond the tolerance fails; `lower`: a rise beyond it fails. */
  direction?: 'higher' | 'lower';
}

/** `evals/baseline.json`: per configuration (`mode/answerer`), metric → baseline. */
export interface Baseline {
  version: 1;
  dataset: string;
  configs: Record<string, Record<string, BaselineMetric>>;
}

export interface Regression {
  config: string;
  metric: string;
  baseline: number;
  tolerance: number;
  current: number | null;
  direction: 'higher' | 'lower';
}

export interface CheckResult {
  ok: boolean;
  checked: number;
  regressions: Regression[];
  /** Baseline configurations the run did not produce. */
  missingConfigs: string[];
}

/** Metrics written into a baseline; judge scores and counts are not gated. */
export const gatedMetrics = [
  'hit1',
  'hit5',
  'mrr10',
  'ndcg10',
  'recall10',
  'containment',
  'token_f1',
  'keyphrase_recall',
  'citation_precision',
  'citation_recall',
  'grounding',
  'refusal_precision',
  'refusal_recall',
  'false_refusal_rate',
  'answer_rate',
  'diacritics_gap',
  'p95_ms',
] as const;

const configKey = (l: Pick<ResultLine, 'mode' | 'answerer'>) => `${l.mode}/${l.answerer}`;

/**
 * The tolerance of a metric: for a rate averaged over `n` questions, 0.02 or the weight of one
 * question (1/n), whichever is larger, so one question changing its outcome on a small slice
 * (30 diacritics pairs, 35 unanswerable questions) does not fail the gate but two do; for the
 * p95 latency, 4× the baseline or 100 ms, whichever is larger (machines differ).
 */
export function defaultTolerance(metric: string, value: number, n: number): number {
  if (metric.endsWith('_ms')) return Math.max(100, Math.ceil(value * 4));
  const oneQuestion = n > 0 ? 1 / n : 0;
  return Number(Math.max(0.02, oneQuestion + 0.0001).toFixed(4));
}

/** A baseline from a run's result lines (`sampleSizes`: per configuration, questions behind each metric). */
export function makeBaseline(
  dataset: string,
  lines: readonly ResultLine[],
  sampleSizes: ReadonlyMap<string, Record<string, number>>,
): Baseline {
  const configs: Baseline['configs'] = {};
  for (const line of lines.filter((l) => l.dataset === dataset)) {
    const key = configKey(line);
    const sizes = sampleSizes.get(key) ?? {};
    const metrics: Record<string, BaselineMetric> = {};
    for (const metric of gatedMetrics) {
      const value = line[metric];
      if (value === null) continue;
      metrics[metric] = {
        value,
        tolerance: defaultTolerance(metric, value, sizes[metric] ?? 0),
        ...(lowerIsBetter.has(metric) ? { direction: 'lower' as const } : {}),
      };
    }
    configs[key] = metrics;
  }
  return { version: 1, dataset, configs };
}

/**
 * Compares a run with the baseline: a `higher` metric fails when it drops more than its
 * tolerance below the baseline value, a `lower` one when it rises more than its tolerance above
 * it; a metric missing from the run (null) fails too. Configurations of the run that the
 * baseline does not know are not checked; baseline configurations the run lacks fail.
 */
export function checkBaseline(baseline: Baseline, lines: readonly ResultLine[]): CheckResult {
  const byKey = new Map(lines.filter((l) => l.dataset === baseline.dataset).map((l) => [configKey(l), l]));
  const regressions: Regression[] = [];
  const missingConfigs: string[] = [];
  let checked = 0;
  for (const [config, metrics] of Object.entries(baseline.configs)) {
    const line = byKey.get(config);
    if (!line) {
      missingConfigs.push(config);
      continue;
    }
    for (const [metric, b] of Object.entries(metrics)) {
      checked++;
      const raw = (line as unknown as Record<string, unknown>)[metric];
      const current = typeof raw === 'number' ? raw : null;
      const direction = b.direction ?? 'higher';
      const eps = 1e-9;
      const failed =
        current === null || (direction === 'higher' ? current < b.value - b.tolerance - eps : current > b.value + b.tolerance + eps);
      if (failed) regressions.push({ config, metric, baseline: b.value, tolerance: b.tolerance, current, direction });
    }
  }
  return { ok: regressions.length === 0 && missingConfigs.length === 0, checked, regressions, missingConfigs };
}

/** One line per problem, for the console. */
export function describeCheck(result: CheckResult, dataset: string): string[] {
  const lines = result.missingConfigs.map(
    (c) => `MISSING ${dataset} ${c}: in the baseline but not in this run (run with the same --mode/--answerer)`,
  );
  for (const r of result.regressions) {
    const now = r.current === null ? 'missing' : String(r.current);
    const bound = r.direction === 'higher' ? `${r.baseline} − ${r.tolerance}` : `${r.baseline} + ${r.tolerance}`;
    lines.push(`REGRESSION ${dataset} ${r.config} ${r.metric}: ${now} ${r.direction === 'higher' ? '<' : '>'} ${bound}`);
  }
  return lines;
}
