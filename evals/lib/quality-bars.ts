import type { ResultLine } from './result-line.js';

/** A quality bar of the design (DESIGN.md, "Quality bars") on the shipped golden sets. */
export interface QualityBar {
  name: string;
  metric: keyof ResultLine;
  /** `min`: value ≥ target; `max`: value ≤ target. */
  kind: 'min' | 'max';
  target: number;
}

export const qualityBars: readonly QualityBar[] = [
  { name: 'hit@5 ≥ 0.90', metric: 'hit5', kind: 'min', target: 0.9 },
  { name: 'MRR@10 ≥ 0.75', metric: 'mrr10', kind: 'min', target: 0.75 },
  { name: 'unanswerable declined ≥ 0.80', metric: 'refusal_recall', kind: 'min', target: 0.8 },
  { name: 'answerable answered ≥ 0.90', metric: 'answer_rate', kind: 'min', target: 0.9 },
  { name: 'no-diacritics within 0.05 hit@5', metric: 'diacritics_gap', kind: 'max', target: 0.05 },
  { name: 'citation precision ≥ 0.85', metric: 'citation_precision', kind: 'min', target: 0.85 },
];

export interface BarOutcome {
  name: string;
  metric: string;
  target: number;
  value: number | null;
  pass: boolean;
}

/** Which bars one result line meets (a missing value fails). */
export function checkBars(line: ResultLine): BarOutcome[] {
  return qualityBars.map((bar) => {
    const raw = line[bar.metric];
    const value = typeof raw === 'number' ? raw : null;
    const pass = value !== null && (bar.kind === 'min' ? value >= bar.target : value <= bar.target);
    return { name: bar.name, metric: bar.metric, target: bar.target, value, pass };
  });
}
