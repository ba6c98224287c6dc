import { escapeHtml as e } from './escape-html.js';
import { configLabel } from './eval-types.js';
import { qualityBars } from './quality-bars.js';
import { primaryConfig, type ConfigReport, type DatasetReport, type EvalReport } from './report-data.js';
import { fmt, formatMetric, metricRows } from './report-markdown.js';
import type { ResultLine } from './result-line.js';
import type { SliceSummary } from './summarize.js';
import { groupedBarChart, palette } from './svg-charts.js';

const style = `
:root{color-scheme:light;--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--pass:#15803d;--fail:#b91c1c}
*{box-sizing:border-box}body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:24px 0 8px}
.muted{color:var(--muted)}table{border-collapse:collapse;margin:8px 0 16px;width:100%}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}td.text,th.text{text-align:left}thead th{background:#f9fafb;position:sticky;top:0}
.badge{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;color:#fff}.pass{background:var(--pass)}.fail{background:var(--fail)}
.bars{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.bar{border:1px solid var(--line);border-radius:8px;padding:8px 12px;min-width:200px}.bar strong{display:block;font-size:18px}
.chart{max-width:100%;height:auto;font:12px system-ui,sans-serif}.chart .label{fill:#374151}.chart .value{fill:#111827;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}.chart .legend{fill:#374151}.chart .na{fill:#9ca3af;font-style:italic}
.chart .axis{stroke:#9ca3af}.chart .target{stroke:#b91c1c;stroke-width:2;stroke-dasharray:4 3}
details{border:1px solid var(--line);border-radius:8px;padding:6px 12px;margin:8px 0}summary{cursor:pointer;font-weight:600}
.q{border-top:1px solid var(--line);padding:8px 0}.q:first-of-type{border-top:0}.q .answer{white-space:pre-wrap;background:#f9fafb;border-radius:6px;padding:6px 8px;margin:4px 0}
.q ol{margin:4px 0;padding-left:22px}.gold{color:var(--pass);font-weight:600}.warn{color:var(--fail)}
`;

const rateKeys: ReadonlyArray<[string, keyof ResultLine]> = metricRows.filter(
  ([, k]) => !k.endsWith('_ms') && k !== 'fallbacks' && !k.startsWith('judge_') && k !== 'hit5_diacritics' && k !== 'hit5_no_diacritics',
);

function sideBySide(dataset: DatasetReport): string {
  const targets = rateKeys.map(([, key]) => {
    const bar = qualityBars.find((b) => b.metric === key);
    return bar ? bar.target : null;
  });
  const rates = groupedBarChart({
    title: `${dataset.name}: configurations side by side`,
    categories: rateKeys.map(([label]) => label),
    series: dataset.configs.map((c, i) => ({
      name: configLabel(c.config),
      values: rateKeys.map(([, k]) => (typeof c.line[k] === 'number' ? (c.line[k] as number) : null)),
      color: palette[i % palette.length]!,
    })),
    targets,
  });
  const latencyMax = Math.max(1, ...dataset.configs.map((c) => c.line.p95_ms));
  const latency = groupedBarChart({
    title: `${dataset.name}: latency per question`,
    categories: ['p50 (ms)', 'p95 (ms)'],
    series: dataset.configs.map((c, i) => ({
      name: configLabel(c.config),
      values: [c.line.p50_ms, c.line.p95_ms],
      color: palette[i % palette.length]!,
    })),
    max: latencyMax * 1.15,
    format: (v) => v.toFixed(1),
  });
  const judged = dataset.configs.filter((c) => c.line.judge_faithfulness !== null);
  const judge = judged.length
    ? groupedBarChart({
        title: `${dataset.name}: LLM judge (1-5)`,
        categories: ['faithfulness', 'relevance'],
        series: judged.map((c, i) => ({
          name: configLabel(c.config),
          values: [c.line.judge_faithfulness, c.line.judge_relevance],
          color: palette[i % palette.length]!,
        })),
        max: 5,
        format: (v) => v.toFixed(2),
      })
    : '';
  return `<h3>Configurations side by side</h3><p class="muted">Dashed red lines: quality bars. Definitions in evals/README.md.</p>${rates}${latency}${judge}`;
}

function metricsTable(dataset: DatasetReport): string {
  const head = `<tr><th>metric</th>${dataset.configs.map((c) => `<th>${e(configLabel(c.config))}</th>`).join('')}</tr>`;
  const rows = metricRows
    .map(
      ([label, key]) =>
        `<tr><td>${e(label)}</td>${dataset.configs.map((c) => `<td>${e(formatMetric(key, c.line[key]))}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

function barsSection(primary: ConfigReport): string {
  if (!primary.bars) return '';
  const items = primary.bars
    .map(
      (b) =>
        `<div class="bar"><span class="badge ${b.pass ? 'pass' : 'fail'}">${b.pass ? 'pass' : 'FAIL'}</span> ${e(b.name)}<strong>${e(b.value === null ? '–' : b.value.toFixed(3))}</strong></div>`,
    )
    .join('');
  return `<h3>Quality bars (${e(configLabel(primary.config))}, the offline default)</h3><div class="bars">${items}</div>`;
}

const sliceMetrics: ReadonlyArray<[string, keyof SliceSummary]> = [
  ['hit@5', 'hit5'],
  ['MRR@10', 'mrr10'],
  ['containment', 'containment'],
  ['key-phrase recall', 'keyphraseRecall'],
  ['citation precision', 'citationPrecision'],
  ['answered (answerable)', 'answerRate'],
  ['declined (unanswerable)', 'declineRate'],
];

function sliceSection(
  title: string,
  dataset: DatasetReport,
  primary: ConfigReport,
  pick: (c: ConfigReport) => Record<string, SliceSummary>,
): string {
  const slices = Object.keys(pick(primary));
  const chart = groupedBarChart({
    title: `${dataset.name}: ${title.toLowerCase()} (${configLabel(primary.config)})`,
    categories: sliceMetrics.map(([label]) => label),
    series: slices.map((name, i) => {
      const s = pick(primary)[name]!;
      return {
        name: `${name} (${s.questions})`,
        values: sliceMetrics.map(([, k]) => s[k] as number | null),
        color: palette[i % palette.length]!,
      };
    }),
  });
  const head = `<tr><th>configuration</th><th class="text">slice</th><th>questions</th>${sliceMetrics.map(([l]) => `<th>${e(l)}</th>`).join('')}</tr>`;
  const rows = dataset.configs
    .flatMap((c) =>
      Object.entries(pick(c)).map(
        ([name, s]) =>
          `<tr><td>${e(configLabel(c.config))}</td><td class="text">${e(name)}</td><td>${s.questions}</td>${sliceMetrics.map(([, k]) => `<td>${e(fmt(s[k]))}</td>`).join('')}</tr>`,
      ),
    )
    .join('');
  return `<h3>${e(title)}</h3>${chart}<details><summary>Table, every configuration</summary><table><thead>${head}</thead><tbody>${rows}</tbody></table></details>`;
}

function worstSection(dataset: DatasetReport, primary: ConfigReport): string {
  const blocks = dataset.configs.map((c) => {
    const items = c.worst
      .map((w) => {
        const verdict = w.answerable
          ? w.declined
            ? 'declined, should answer'
            : 'answered'
          : w.declined
            ? 'declined'
            : 'answered, should decline';
        const retrieved = w.retrieved.map((r) => `<li${r.startsWith('✓') ? ' class="gold"' : ''}>${e(r)}</li>`).join('');
        return `<div class="q"><div><strong>${e(w.id)}</strong> <span class="muted">${e(w.lang)} · ${e(w.type)} · quality ${w.quality.toFixed(2)} · answerability ${w.answerability.toFixed(2)} · ${e(verdict)}</span></div>
<div>${e(w.question)}</div>${w.rewrittenQuestion !== w.question ? `<div class="muted">rewritten: ${e(w.rewrittenQuestion)}</div>` : ''}
<div class="muted">retrieved (✓ = gold):</div><ol>${retrieved}</ol>${w.cited.length ? `<div class="muted">cited: ${e(w.cited.join('; '))}</div>` : ''}
<div class="answer">${e(w.answer)}</div></div>`;
      })
      .join('');
    return `<details${c === primary ? ' open' : ''}><summary>${e(configLabel(c.config))}: ${c.worst.length} worst questions</summary>${items}</details>`;
  });
  return `<h3>Worst questions</h3><p class="muted">Ranked by a quality score: for answerable questions the mean of MRR@10, containment, key-phrase recall and citation precision (0 when declined); for unanswerable ones 1 when declined, else 0.</p>${blocks.join('')}`;
}

/** The self-contained HTML report: inline CSS and SVG, no script, every text escaped. */
export function renderHtml(report: EvalReport): string {
  const sections = report.datasets.map((dataset) => {
    const primary = primaryConfig(dataset);
    const warnings = dataset.warnings.length ? `<ul>${dataset.warnings.map((w) => `<li class="warn">${e(w)}</li>`).join('')}</ul>` : '';
    return `<section><h2>${e(dataset.name)}</h2><p class="muted">${dataset.questions} questions · ${dataset.documents} documents · ${dataset.chunks} chunks</p>${warnings}
${primary ? barsSection(primary) : ''}${sideBySide(dataset)}${metricsTable(dataset)}
${primary ? sliceSection('Per language', dataset, primary, (c) => c.summary.byLang) : ''}
${primary ? sliceSection('Per question type', dataset, primary, (c) => c.summary.byType) : ''}
${primary ? worstSection(dataset, primary) : ''}</section>`;
  });
  const check = report.baseline.checked
    ? `<p><span class="badge ${report.baseline.ok ? 'pass' : 'fail'}">baseline ${report.baseline.ok ? 'passed' : 'FAILED'}</span>${report.baseline.problems.map((p) => `<br><span class="warn">${e(p)}</span>`).join('')}</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>trogiang evaluation report</title><style>${style}</style></head>
<body><header><h1>trogiang evaluation report</h1>
<p class="muted">Generated ${e(report.generatedAt)} · ${report.machine.cpus} × ${e(report.machine.cpu)} · Node ${e(report.machine.node)} · run ${(report.runtimeMs / 1000).toFixed(1)} s</p>${check}</header>
${sections.join('\n')}
</body></html>
`;
}
