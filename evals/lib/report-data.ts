import { cpus } from 'node:os';
import type { ChunkView, EvalConfig, QuestionRun } from './eval-types.js';
import type { BarOutcome } from './quality-bars.js';
import type { ResultLine } from './result-line.js';
import { questionQuality, worstQuestions, type ConfigSummary } from './summarize.js';

/** A worst question as the reports show it: what was asked, retrieved and answered. */
export interface WorstEntry {
  id: string;
  question: string;
  rewrittenQuestion: string;
  lang: string;
  type: string;
  answerable: boolean;
  declined: boolean;
  answerability: number;
  quality: number;
  retrieved: string[];
  cited: string[];
  answer: string;
}

/** One question's outcome in a few fields (the whole table is kept, for diffs between runs). */
export interface CompactRun {
  id: string;
  declined: boolean;
  hit5: number | null;
  mrr10: number | null;
  containment: number | null;
  keyphraseRecall: number | null;
  citationPrecision: number | null;
  grounding: number | null;
  top: string | null;
}

export interface ConfigReport {
  config: EvalConfig;
  line: ResultLine;
  summary: ConfigSummary;
  /** Quality bars (golden sets only). */
  bars: BarOutcome[] | null;
  worst: WorstEntry[];
  questions: CompactRun[];
}

export interface DatasetReport {
  name: string;
  kind: 'golden' | 'beir';
  documents: number;
  chunks: number;
  questions: number;
  configs: ConfigReport[];
  /** Golden-set problems found before asking (a gold passage no chunk matches, …). */
  warnings: string[];
}

export interface EvalReport {
  generatedAt: string;
  machine: { cpus: number; cpu: string; node: string; platform: string };
  runtimeMs: number;
  datasets: DatasetReport[];
  baseline: { checked: boolean; ok: boolean | null; problems: string[] };
}

/** `doc p6 · section` with a check mark when the chunk matches a gold passage. */
export function describeChunk(c: ChunkView): string {
  const where = [c.page !== null ? `p${c.page}` : null, c.section].filter(Boolean).join(' · ');
  return `${c.gold ? '✓ ' : ''}${c.doc}${where ? ` ${where}` : ''}`;
}

const round = (x: number | null) => (x === null ? null : Number(x.toFixed(4)));

export function configReport(
  config: EvalConfig,
  line: ResultLine,
  summary: ConfigSummary,
  bars: BarOutcome[] | null,
  runs: readonly QuestionRun[],
  worstCount: number,
): ConfigReport {
  return {
    config,
    line,
    summary,
    bars,
    worst: worstQuestions(runs, worstCount).map((r) => ({
      id: r.id,
      question: r.question,
      rewrittenQuestion: r.rewrittenQuestion,
      lang: r.lang,
      type: r.type,
      answerable: r.answerable,
      declined: r.declined,
      answerability: r.answerability,
      quality: Number(questionQuality(r).toFixed(4)),
      retrieved: r.retrieved.slice(0, 5).map(describeChunk),
      cited: r.citations.map((c) => `[${c.n}] ${describeChunk(c)}`),
      answer: r.answer.length > 600 ? `${r.answer.slice(0, 599)}…` : r.answer,
    })),
    questions: runs.map((r) => ({
      id: r.id,
      declined: r.declined,
      hit5: r.scores.hit5,
      mrr10: round(r.scores.mrr10),
      containment: r.scores.containment,
      keyphraseRecall: round(r.scores.keyphraseRecall),
      citationPrecision: round(r.scores.citationPrecision),
      grounding: round(r.scores.grounding),
      top: r.retrieved[0] ? describeChunk(r.retrieved[0]) : null,
    })),
  };
}

export function machineInfo(): EvalReport['machine'] {
  const list = cpus();
  return {
    cpus: list.length,
    cpu: list[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** The configuration the quality bars speak of: hybrid retrieval with the extractive answerer, else the first. */
export function primaryConfig(dataset: DatasetReport): ConfigReport | undefined {
  return dataset.configs.find((c) => c.config.mode === 'hybrid' && c.config.answerer === 'extractive') ?? dataset.configs[0];
}
