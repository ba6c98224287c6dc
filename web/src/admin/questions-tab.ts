/**
 * The questions log tab: learners' questions with their answers and feedback, filtered; CSV
 * export; "write the answer" on an unanswered or thumbs-down question opens the verified tab.
 */
import { listQuestions, questionsCsv } from './api.js';
import { byId, currentLang, el, fill, saveFile } from './dom.js';
import { fail, formatDate, pageStrings } from './page.js';
import { verifiedStrings } from './verified-i18n.js';

/** The log's filters as a query string. */
function questionQuery(): string {
  const p = new URLSearchParams();
  if (byId<HTMLInputElement>('q-unanswered').checked) p.set('unanswered', 'true');
  if (byId<HTMLInputElement>('q-down').checked) p.set('thumbsDown', 'true');
  const from = byId<HTMLInputElement>('q-from').value;
  const to = byId<HTMLInputElement>('q-to').value;
  if (from) p.set('from', from);
  if (to) p.set('to', `${to}T23:59:59.999Z`);
  const c = byId<HTMLSelectElement>('q-collection').value;
  if (c) p.set('collection', c);
  return p.toString();
}

let writeAnswer: (question: string) => void = () => {};

/** Loads the log with the current filters (at most 200 rows). */
export async function loadQuestions(): Promise<void> {
  const t = pageStrings();
  const body = await listQuestions(questionQuery(), 200);
  byId('q-total').textContent = fill(t.total, { n: body.total });
  const tbody = byId('questions').querySelector('tbody')!;
  tbody.textContent = '';
  for (const m of body.items) {
    const fb = m.feedback;
    tbody.append(
      el(
        'tr',
        { class: !m.answerable ? 'unanswered' : fb?.rating === 'down' ? 'down' : '' },
        el('td', { class: 'nowrap' }, formatDate(m.createdAt)),
        el(
          'td',
          {},
          m.question,
          m.rewrittenQuestion ? el('div', { class: 'small muted' }, fill(t.searchedAs, { q: m.rewrittenQuestion })) : null,
        ),
        el('td', { class: 'text clip' }, m.answer),
        el('td', {}, m.answerable ? t.yes : el('span', { class: 'badge warn' }, t.no)),
        el(
          'td',
          {},
          fb ? el('span', { class: `badge ${fb.rating === 'down' ? 'bad' : 'ok'}` }, fb.rating === 'down' ? t.down : t.up) : '',
          fb?.comment ? el('div', { class: 'small' }, fb.comment) : null,
        ),
        // An unanswered question or a thumbs-down answer: the teacher writes the verified answer.
        el(
          'td',
          {},
          !m.answerable || fb?.rating === 'down'
            ? el(
                'button',
                { type: 'button', class: 'ghost write-answer', onclick: () => writeAnswer(m.question) },
                verifiedStrings[currentLang()].writeAnswer,
              )
            : null,
        ),
      ),
    );
  }
}

/** Wires the filters and the CSV export; `write` opens the verified tab on a question. */
export function initQuestionsTab(write: (question: string) => void): void {
  writeAnswer = write;
  byId<HTMLFormElement>('q-form').onsubmit = (e) => {
    e.preventDefault();
    void loadQuestions().catch(fail);
  };
  byId('q-csv').onclick = async () => {
    try {
      saveFile(await questionsCsv(questionQuery()), `cau-hoi-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (e) {
      fail(e);
    }
  };
}
