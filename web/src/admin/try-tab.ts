/** The "try a question" tab: what a question retrieves (scores, matched terms highlighted) and the answer learners would get. */
import { tryQuestion } from './api.js';
import { byId, el } from './dom.js';
import { fail, pageStrings as t } from './page.js';

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/** `text` with the (diacritic-folded) `terms` wrapped in <mark>, matched on folded text. */
function highlight(text: string, terms: string[]): Node {
  const out = document.createDocumentFragment();
  const chars = Array.from(text);
  const folded = chars.map((c) => fold(c)[0] ?? c);
  const lower = folded.join('');
  const marks = new Array<boolean>(chars.length).fill(false);
  for (const term of terms) {
    const f = fold(term);
    if (!f.trim()) continue;
    let at = lower.indexOf(f);
    while (at >= 0) {
      const before = at === 0 || !/[\p{L}\p{N}]/u.test(lower[at - 1]!);
      const after = at + f.length >= lower.length || !/[\p{L}\p{N}]/u.test(lower[at + f.length]!);
      if (before && after) for (let i = at; i < at + f.length; i++) marks[i] = true;
      at = lower.indexOf(f, at + 1);
    }
  }
  let i = 0;
  while (i < chars.length) {
    let j = i;
    while (j < chars.length && marks[j] === marks[i]) j++;
    const piece = chars.slice(i, j).join('');
    out.append(marks[i] ? el('mark', {}, piece) : piece);
    i = j;
  }
  return out;
}

/** Wires the question form. */
export function initTryTab(): void {
  byId<HTMLFormElement>('try-form').onsubmit = async (e) => {
    e.preventDefault();
    const question = byId<HTMLInputElement>('try-q').value.trim();
    const collection = byId<HTMLSelectElement>('try-collection').value;
    const out = byId('try-out');
    try {
      const r = await tryQuestion({ question, ...(collection ? { collection } : {}), k: 8 });
      out.textContent = '';
      const answer = r.answer;
      const card = el(
        'div',
        { class: `card answer${answer && !answer.answerable ? ' nocover' : ''}` },
        el('h2', { tabIndex: -1, id: 'try-answer' }, t().answerLearners),
        answer && !answer.answerable ? el('p', { class: 'strong' }, t().notCovered) : null,
        el('p', { class: 'text' }, answer?.text ?? ''),
        // The answer's citations carry no link (the server sends none here); the ranked passages below do.
        answer?.citations.length
          ? el(
              'ol',
              { class: 'cites' },
              ...answer.citations.map((c) =>
                el(
                  'li',
                  {},
                  `[${c.n}] `,
                  el('a', { target: '_blank', rel: 'noopener' }, c.title + (c.page !== null ? `, ${t().page} ${c.page}` : '')),
                ),
              ),
            )
          : null,
        el('p', { class: 'muted small' }, `${t().answerability}: ${Number(r.answerability).toFixed(3)} · ${answer?.mode ?? ''}`),
      );
      const rows = r.results.map((x) =>
        el(
          'tr',
          {},
          el('td', { class: 'num' }, String(x.rank)),
          el(
            'td',
            { class: 'num' },
            el('strong', {}, Number(x.score).toFixed(4)),
            el('div', { class: 'muted small' }, `BM25 ${x.bm25Score === null ? '–' : Number(x.bm25Score).toFixed(2)}`),
            el('div', { class: 'muted small' }, `cos ${x.vectorScore === null ? '–' : Number(x.vectorScore).toFixed(3)}`),
          ),
          el(
            'td',
            {},
            el('a', { href: x.link, target: '_blank', rel: 'noopener' }, x.title),
            el(
              'div',
              { class: 'muted small' },
              [x.headingPath.join(' › '), x.page !== null ? `${t().page} ${x.page}` : ''].filter(Boolean).join(' · '),
            ),
          ),
          el('td', { class: 'text' }, highlight(x.text, x.matchedTerms)),
        ),
      );
      const table = el(
        'div',
        { class: 'card' },
        el('h2', {}, t().ranked),
        el(
          'div',
          { class: 'scroll' },
          el(
            'table',
            { id: 'try-results' },
            el(
              'thead',
              {},
              el('tr', {}, el('th', {}, t().rank), el('th', {}, t().score), el('th', {}, t().source), el('th', {}, t().text)),
            ),
            el('tbody', {}, ...rows),
          ),
        ),
      );
      out.append(card, table);
      byId('try-answer').focus();
    } catch (error) {
      fail(error);
    }
  };
}
