import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../evals/lib/report-data.js';
import { renderHtml } from '../../evals/lib/report-html.js';
import { renderMarkdown } from '../../evals/lib/report-markdown.js';
import { resultLine } from '../../evals/lib/result-line.js';
import { summarizeRuns } from '../../evals/lib/summarize.js';
import { configReport } from '../../evals/lib/report-data.js';
import { checkBars } from '../../evals/lib/quality-bars.js';
import { groupedBarChart } from '../../evals/lib/svg-charts.js';
import { parseEvalArgs, UsageError } from '../../evals/lib/parse-eval-args.js';
import type { QuestionRun } from '../../evals/lib/eval-types.js';

const hostile = '<script>alert("x")</script> & \'quote\'';
const runs: QuestionRun[] = [
  {
    id: 'q1',
    question: hostile,
    lang: 'vi',
    type: 'factoid',
    answerable: true,
    rewrittenQuestion: hostile,
    answer: `${hostile} [1]`,
    mode: 'extractive',
    declined: false,
    answerability: 0.6,
    retrieved: [{ doc: 'a<b>.pdf', page: 2, section: null, gold: false, score: 1 }],
    citations: [],
    latencyMs: 1.5,
    scores: {
      hit1: 0,
      hit5: 0,
      mrr10: 0,
      ndcg10: 0,
      recall10: 0,
      containment: 0,
      tokenF1: 0,
      keyphraseRecall: 0,
      citationPrecision: null,
      citationRecall: null,
      grounding: 0,
    },
  },
];
const config = { mode: 'hybrid' as const, answerer: 'extractive' as const };
const summary = summarizeRuns('golden', config, runs);
const line = resultLine(summary);
const report: EvalReport = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  machine: { cpus: 2, cpu: 'cpu <x>', node: 'v20', platform: 'linux-x64' },
  runtimeMs: 1000,
  datasets: [
    {
      name: 'golden',
      kind: 'golden',
      documents: 1,
      chunks: 1,
      questions: 1,
      configs: [configReport(config, line, summary, checkBars(line), runs, 5)],
      warnings: [hostile],
    },
  ],
  baseline: { checked: true, ok: false, problems: [hostile] },
};

describe('the HTML report', () => {
  const html = renderHtml(report);

  it('is self-contained: inline style and SVG, no script, no external resource', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src=|href=|@import|url\(/i);
  });

  it('escapes every text it shows', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quote&#39;');
    expect(html).toContain('a&lt;b&gt;.pdf');
  });

  it('shows the bars, the breakdowns and the worst questions', () => {
    expect(html).toContain('hit@5 ≥ 0.90');
    expect(html).toContain('Per language');
    expect(html).toContain('Per question type');
    expect(html).toContain('Worst questions');
  });
});

describe('the Markdown report', () => {
  it('has a table per dataset with one column per configuration', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| metric | hybrid/extractive |');
    expect(md).toContain('| hit@5 | 0.000 |');
    expect(md).toContain('| latency p50 (ms) | 1.50 |');
    expect(md).toContain('**Baseline check: FAILED.**');
  });
});

describe('groupedBarChart', () => {
  it('draws one bar per series and category, n/a for a missing value, and a target line', () => {
    const svg = groupedBarChart({
      title: 't',
      categories: ['a', 'b'],
      series: [{ name: 's', values: [0.5, null], color: '#000' }],
      targets: [0.9, null],
    });
    expect(svg.match(/<rect [^>]*height="14"/g)).toHaveLength(1);
    expect(svg).toContain('n/a');
    expect(svg.match(/class="target"/g)).toHaveLength(1);
  });
});

describe('parseEvalArgs', () => {
  it('compares every mode with the extractive answerer by default', () => {
    const args = parseEvalArgs([], '/repo');
    expect(args.configs.map((c) => `${c.mode}/${c.answerer}`)).toEqual(['bm25/extractive', 'vector/extractive', 'hybrid/extractive']);
    expect(args.baselinePath).toBe('/repo/evals/baseline.json');
  });

  it('rejects unknown modes and answerers, and --check with --beir', () => {
    expect(() => parseEvalArgs(['--mode', 'fuzzy'], '/r')).toThrow(UsageError);
    expect(() => parseEvalArgs(['--answerer', 'gpt'], '/r')).toThrow(/unknown answerer/);
    expect(() => parseEvalArgs(['--check', '--beir', 'x'], '/r')).toThrow(/golden sets/);
    expect(parseEvalArgs(['--mode', 'hybrid', '--answerer', 'extractive,llm'], '/r').configs).toHaveLength(2);
  });
});
