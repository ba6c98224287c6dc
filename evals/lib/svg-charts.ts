import { escapeHtml } from './escape-html.js';

/** One coloured series of a grouped bar chart. */
export interface BarSeries {
  name: string;
  values: ReadonlyArray<number | null>;
  color: string;
}

export interface BarChartOptions {
  title: string;
  /** One group of bars per category (a metric, a language, a question type). */
  categories: readonly string[];
  series: readonly BarSeries[];
  /** Value of a full-length bar (default: 1, for rates). */
  max?: number;
  /** Per category, a target drawn as a dashed line (a quality bar), or null. */
  targets?: ReadonlyArray<number | null>;
  format?: (value: number) => string;
  width?: number;
}

export const palette = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#4b5563'];

/**
 * A self-contained horizontal grouped bar chart as inline SVG: category labels on the left, one
 * bar per series in each group with its value at the end, a legend on top. Missing values are
 * drawn as "n/a". All text is escaped.
 */
export function groupedBarChart(options: BarChartOptions): string {
  const { title, categories, series } = options;
  const width = options.width ?? 760;
  const max = options.max ?? 1;
  const format = options.format ?? ((v: number) => v.toFixed(3));
  const labelWidth = 190;
  const valueWidth = 64;
  const plot = width - labelWidth - valueWidth - 10;
  const barHeight = 14;
  const barGap = 3;
  const groupGap = 12;
  const legendHeight = 24 + Math.ceil(series.length / 4) * 18;
  const groupHeight = series.length * (barHeight + barGap) - barGap;
  const height = legendHeight + categories.length * (groupHeight + groupGap) + 8;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" class="chart">`,
  );
  parts.push(`<title>${escapeHtml(title)}</title>`);
  series.forEach((s, i) => {
    const x = labelWidth + (i % 4) * 150;
    const y = 8 + Math.floor(i / 4) * 18;
    parts.push(
      `<rect x="${x}" y="${y}" width="12" height="12" fill="${s.color}"/><text x="${x + 17}" y="${y + 10}" class="legend">${escapeHtml(s.name)}</text>`,
    );
  });
  categories.forEach((category, c) => {
    const top = legendHeight + c * (groupHeight + groupGap);
    parts.push(
      `<text x="${labelWidth - 8}" y="${top + groupHeight / 2 + 4}" text-anchor="end" class="label">${escapeHtml(category)}</text>`,
    );
    parts.push(`<line x1="${labelWidth}" y1="${top - 3}" x2="${labelWidth}" y2="${top + groupHeight + 3}" class="axis"/>`);
    series.forEach((s, i) => {
      const value = s.values[c] ?? null;
      const y = top + i * (barHeight + barGap);
      if (value === null) {
        parts.push(`<text x="${labelWidth + 4}" y="${y + barHeight - 3}" class="na">n/a</text>`);
        return;
      }
      const w = Math.max(1, Math.min(1, value / max) * plot);
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${s.color}"><title>${escapeHtml(`${s.name} · ${category}: ${format(value)}`)}</title></rect>`,
      );
      parts.push(`<text x="${(labelWidth + w + 4).toFixed(1)}" y="${y + barHeight - 3}" class="value">${escapeHtml(format(value))}</text>`);
    });
    const target = options.targets?.[c] ?? null;
    if (target !== null) {
      const x = labelWidth + Math.min(1, target / max) * plot;
      parts.push(
        `<line x1="${x.toFixed(1)}" y1="${top - 3}" x2="${x.toFixed(1)}" y2="${top + groupHeight + 3}" class="target"><title>${escapeHtml(`target ${format(target)}`)}</title></line>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}
