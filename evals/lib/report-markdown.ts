import { configLabel } from './eval-types.js';
import { primaryConfig, type DatasetReport, type EvalReport } from './report-data.js';
import type { ResultLine } from './result-line.js';
import type { SliceSummary } from './summarize.js';

/** Rows of the side-by-side table: label and result-line key. */
export const metricRows: ReadonlyArray<[string, keyof ResultLine]> = [
  ['hit@1', 'hit1'],
  ['hit@5', 'hit5'],
  ['MRR@10', 'mrr10'],
  ['nDCG@10', 'ndcg10'],
  ['recall@10', 'recall10'],
  ['containment', 'containment'],
  ['token F1', 'token_f1'],
  ['key-phrase recall', 'keyphrase_recall'],
  ['citation precision', 'citation_precision'],
  ['citation recall', 'citation_recall'],
  ['grounding', 'grounding'],
  ['refusal precision', 'refusal_precision'],
  ['refusal recall (declined)', 'refusal_recall'],
  ['false-refusal rate', 'false_refusal_rate'],
  ['answer rate', 'answer_rate'],
  ['hit@5 with diacritics', 'hit5_diacritics'],
  ['hit@5 without diacritics', 'hit5_no_diacritics'],
  ['diacritics gap', 'diacritics_gap'],
  ['LLM fallbacks', 'fallbacks'],
  ['latency p50 (ms)', 'p50_ms'],
  ['latency p95 (ms)', 'p95_ms'],
  ['judge faithfulness (1-5)', 'judge_faithfulness'],
  ['judge relevance (1-5)', 'judge_relevance'],
];

/** A rate with 3 decimals, '–' when missing. */
export const fmt = (v: unknown, digits = 3): string => (typeof v === 'number' ? v.toFixed(digits) : '–');

/** A result-line value as the tables show it: rates with 3 decimals, milliseconds with 2, counts whole. */
export function formatMetric(key: keyof ResultLine, v: unknown): string {
  if (typeof v !== 'number') return '–';
  if (key === 'fallbacks' || key === 'questions' || key === 'answerable' || key === 'unanswerable') return String(v);
  if (key.endsWith('_ms')) return v.toFixed(2);
  if (key.startsWith('judge_')) return v.toFixed(2);
  return v.toFixed(3);
}
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ⏎ ');

function sliceTable(
  title: string,
  dataset: DatasetReport,
  pick: (c: DatasetReport['configs'][number]) => Record<string, SliceSummary>,
): string[] {
  const out = [
    `### ${title}`,
    '',
    '| configuration | slice | questions | hit@5 | MRR@10 | containment | key-phrase recall | citation precision | answered (answerable) | declined (unanswerable) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const c of dataset.configs) {
    for (const [name, s] of Object.entries(pick(c))) {
      out.push(
        `| ${configLabel(c.config)} | ${cell(name)} | ${s.questions} | ${fmt(s.hit5)} | ${fmt(s.mrr10)} | ${fmt(s.containment)} | ${fmt(s.keyphraseRecall)} | ${fmt(s.citationPrecision)} | ${fmt(s.answerRate)} | ${fmt(s.declineRate)} |`,
      );
    }
  }
  out.push('');
  return out;
}

/** The Markdown report: tables of every metric, the bars, the breakdowns and the worst questions. */
export function renderMarkdown(report: EvalReport): string {
  const out: string[] = ['# trogiang evaluation report', ''];
  out.push(
    `Generated ${report.generatedAt} on ${report.machine.cpus} × ${report.machine.cpu}, Node ${report.machine.node}; run took ${(report.runtimeMs / 1000).toFixed(1)} s.`,
  );
  out.push('Metric definitions: [evals/README.md](../README.md).', '');
  if (report.baseline.checked) {
    out.push(report.baseline.ok ? '**Baseline check: passed.**' : '**Baseline check: FAILED.**', '');
    for (const p of report.baseline.problems) out.push(`- ${cell(p)}`);
    if (report.baseline.problems.length) out.push('');
  }
  for (const dataset of report.datasets) {
    out.push(`## ${dataset.name}`, '');
    out.push(`${dataset.questions} questions; ${dataset.documents} documents, ${dataset.chunks} chunks.`, '');
    for (const w of dataset.warnings) out.push(`- warning: ${cell(w)}`);
    if (dataset.warnings.length) out.push('');
    out.push('### Configurations side by side', '');
    out.push(`| metric | ${dataset.configs.map((c) => configLabel(c.config)).join(' | ')} |`);
    out.push(`|---|${dataset.configs.map(() => '---:').join('|')}|`);
    for (const [label, key] of metricRows)
      out.push(`| ${label} | ${dataset.configs.map((c) => formatMetric(key, c.line[key])).join(' | ')} |`);
    out.push('');
    const primary = primaryConfig(dataset);
    if (primary?.bars) {
      out.push(`### Quality bars (${configLabel(primary.config)}, the offline default)`, '', '| bar | value | result |', '|---|---:|---|');
      for (const b of primary.bars) out.push(`| ${b.name} | ${fmt(b.value)} | ${b.pass ? 'pass' : '**FAIL**'} |`);
      out.push('');
    }
    out.push(...sliceTable('Per language', dataset, (c) => c.summary.byLang));
    out.push(...sliceTable('Per question type', dataset, (c) => c.summary.byType));
    out.push('### Worst questions', '');
    for (const c of dataset.configs) {
      out.push(`#### ${configLabel(c.config)}`, '');
      for (const w of c.worst) {
        const verdict = w.answerable
          ? w.declined
            ? 'declined (should answer)'
            : 'answered'
          : w.declined
            ? 'declined'
            : 'answered (should decline)';
        out.push(
          `- **${w.id}** (${w.lang}, ${w.type}, quality ${w.quality.toFixed(2)}, answerability ${w.answerability.toFixed(2)}, ${verdict}): ${cell(w.question)}`,
        );
        if (w.rewrittenQuestion !== w.question) out.push(`  - rewritten: ${cell(w.rewrittenQuestion)}`);
        out.push(`  - retrieved: ${w.retrieved.map(cell).join('; ') || '–'}`);
        if (w.cited.length) out.push(`  - cited: ${w.cited.map(cell).join('; ')}`);
        out.push(`  - answer: ${cell(w.answer.length > 300 ? `${w.answer.slice(0, 299)}…` : w.answer)}`);
      }
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
