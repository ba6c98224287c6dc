/** The statistics tab: totals, questions per day (an SVG bar chart) and the most asked unanswered questions. */
import { getStats } from './api.js';
import { byId, el } from './dom.js';
import { fail, pageStrings } from './page.js';

const svgNs = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Loads the statistics of the chosen window. */
export async function loadStats(): Promise<void> {
  const t = pageStrings();
  const { perDay, totals, topUnanswered: top } = await getStats(byId<HTMLSelectElement>('s-days').value);
  const box = byId('stats');
  box.textContent = '';
  box.append(
    el(
      'div',
      { class: 'tiles' },
      el('div', { class: 'tile' }, el('span', { class: 'big' }, String(totals.questions)), t.questionsTotal),
      el('div', { class: 'tile' }, el('span', { class: 'big' }, `${Math.round(totals.shareAnswered * 100)}%`), t.shareAnswered),
      el('div', { class: 'tile' }, el('span', { class: 'big' }, `${totals.thumbsUp} / ${totals.thumbsDown}`), t.thumbs),
    ),
  );
  const W = 720,
    H = 220,
    pad = 28;
  const max = Math.max(1, ...perDay.map((d) => d.questions));
  const bw = (W - pad * 2) / perDay.length;
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart',
    role: 'img',
    'aria-label': `${t.questionsPerDay}: ${perDay.map((d) => `${d.day} ${d.questions}/${d.answered}`).join(', ')}`,
  });
  chart.append(
    svg('line', { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, class: 'axis' }),
    svg('text', { x: 2, y: pad - 10, class: 'label' }, String(max)),
  );
  perDay.forEach((d, i) => {
    const x = pad + i * bw + bw * 0.15;
    const hq = ((H - pad * 2) * d.questions) / max;
    const ha = ((H - pad * 2) * d.answered) / max;
    const all = svg('rect', { x, y: H - pad - hq, width: bw * 0.7, height: hq, class: 'q' });
    all.append(svg('title', {}, `${d.day}: ${d.questions} / ${d.answered}`));
    chart.append(all, svg('rect', { x, y: H - pad - ha, width: bw * 0.7, height: ha, class: 'a' }));
    if (i % Math.ceil(perDay.length / 7) === 0) chart.append(svg('text', { x: x, y: H - 8, class: 'label' }, d.day.slice(5)));
  });
  box.append(el('h3', {}, t.questionsPerDay), chart);
  box.append(
    el('h3', {}, t.topUnanswered),
    top.length ? el('ol', {}, ...top.map((q) => el('li', {}, `${q.question} (${q.count})`))) : el('p', { class: 'muted' }, t.none),
  );
}

/** Wires the window picker. */
export function initStatsTab(): void {
  byId('s-days').onchange = () => void loadStats().catch(fail);
}
