/**
 * The practice tab: the items generated from a collection, by document and section, with their
 * keys, distractors and checks; approve, edit, reject, exclude a section, generate again, and
 * export the approved items for Moodle (GIFT, Moodle XML). See docs/practice.md.
 */
import type { PracticeItemReview as Item } from '../../../src/contract/index.js';
import {
  excludeSection,
  exportPractice,
  generatePractice,
  includeSection,
  listCollections,
  listPracticeItems,
  updatePracticeItem,
} from './api.js';
import { byId, currentLang, el, fill, saveFile } from './dom.js';

const strings = {
  vi: {
    tab: 'Luyện tập',
    collection: 'Bộ sưu tập',
    generate: 'Tạo lại câu hỏi',
    gift: 'Xuất GIFT',
    xml: 'Xuất Moodle XML',
    summary: '{n} câu, {p} câu đạt kiểm tra tự động. {r}',
    reviewed: 'Đã duyệt: học viên chỉ nhận câu đã duyệt.',
    notReviewed: 'Chưa duyệt: học viên nhận các câu đạt kiểm tra.',
    approve: 'Duyệt',
    reject: 'Bỏ',
    edit: 'Sửa',
    save: 'Lưu',
    exclude: 'Loại trừ mục này',
    include: 'Dùng lại mục này',
    answer: 'Đáp án',
    distractors: 'Phương án nhiễu (ngăn bằng |)',
    prompt: 'Câu hỏi',
    failed: 'Chưa đạt: {c}',
    status: { generated: 'mới tạo', approved: 'đã duyệt', rejected: 'đã bỏ', edited: 'đã sửa' } as Record<string, string>,
    excluded: 'Các mục đã loại trừ',
    none: 'Chưa có câu nào.',
    page: 'tr.',
  },
  en: {
    tab: 'Practice',
    collection: 'Collection',
    generate: 'Generate again',
    gift: 'Export GIFT',
    xml: 'Export Moodle XML',
    summary: '{n} items, {p} pass the automatic checks. {r}',
    reviewed: 'Reviewed: learners get approved items only.',
    notReviewed: 'Not reviewed yet: learners get the items that pass the checks.',
    approve: 'Approve',
    reject: 'Reject',
    edit: 'Edit',
    save: 'Save',
    exclude: 'Exclude this section',
    include: 'Use this section again',
    answer: 'Answer',
    distractors: 'Distractors (separated by |)',
    prompt: 'Question',
    failed: 'Failed: {c}',
    status: { generated: 'generated', approved: 'approved', rejected: 'rejected', edited: 'edited' } as Record<string, string>,
    excluded: 'Excluded sections',
    none: 'No items yet.',
    page: 'p.',
  },
};
const s = () => strings[currentLang()];
const collection = () => byId<HTMLSelectElement>('pr-collection').value;

function labels() {
  byId('tab-practice').textContent = s().tab;
  byId('pr-collection-label').textContent = s().collection;
  byId('pr-generate').textContent = s().generate;
  byId('pr-gift').textContent = s().gift;
  byId('pr-xml').textContent = s().xml;
}

function editForm(item: Item, reload: () => Promise<void>): HTMLFormElement {
  const prompt = el('input', { value: item.prompt, class: 'grow', 'aria-label': s().prompt });
  const answer = el('input', { value: item.answer, 'aria-label': s().answer });
  const distractors = el('input', { value: item.distractors.join(' | '), class: 'grow', 'aria-label': s().distractors });
  const form = el('form', { class: 'row pr-edit' }, prompt, answer, distractors, el('button', { type: 'submit' }, s().save));
  form.onsubmit = async (e) => {
    e.preventDefault();
    const list = distractors.value
      .split('|')
      .map((d) => d.trim())
      .filter(Boolean);
    await updatePracticeItem(item.id, { prompt: prompt.value, answer: answer.value, distractors: list });
    await reload();
  };
  return form;
}

function itemRow(item: Item, reload: () => Promise<void>): HTMLElement {
  const set = (status: string) => async () => {
    await updatePracticeItem(item.id, { status });
    await reload();
  };
  const failed = Object.entries(item.checks)
    .filter(([, ok]) => !ok)
    .map(([c]) => c);
  const li: HTMLElement = el(
    'li',
    { class: `pr-item ${item.status}`, 'data-id': item.id },
    el('p', {}, item.prompt),
    el(
      'p',
      { class: 'muted' },
      el('strong', {}, `${s().answer}: ${item.answer}`),
      item.type === 'choice' ? ` — ${item.distractors.join(' · ')}` : '',
      ' ',
      el('span', { class: `badge${item.status === 'rejected' ? ' bad' : ''}` }, s().status[item.status] ?? item.status),
      failed.length ? el('span', { class: 'badge bad' }, fill(s().failed, { c: failed.join(', ') })) : null,
    ),
    el(
      'div',
      { class: 'row' },
      el('button', { type: 'button', class: 'ghost pr-approve', onclick: () => void set('approved')() }, s().approve),
      el('button', { type: 'button', class: 'ghost pr-edit-open', onclick: () => li.append(editForm(item, reload)) }, s().edit),
      el('button', { type: 'button', class: 'ghost danger pr-reject', onclick: () => void set('rejected')() }, s().reject),
    ),
  );
  return li;
}

async function download(kind: 'gift' | 'xml') {
  saveFile(await exportPractice(kind, collection()), `practice-${collection()}.${kind === 'gift' ? 'gift.txt' : 'xml'}`);
}

/** Loads the collection's items, grouped by document, then by section. */
export async function loadPractice(): Promise<void> {
  labels();
  const select = byId<HTMLSelectElement>('pr-collection');
  const { collections } = await listCollections();
  const chosen = select.value;
  select.replaceChildren(...collections.map((c) => el('option', { value: c.id }, c.name ?? c.id)));
  if (collections.some((c) => c.id === chosen)) select.value = chosen;
  const out = byId('pr-items');
  if (!select.value) return void out.replaceChildren(el('p', { class: 'muted' }, s().none));
  const reload = () => loadPractice();
  const body = await listPracticeItems(select.value);
  const summary = fill(s().summary, {
    n: body.items.length,
    p: body.items.filter((i) => i.passed).length,
    r: body.reviewed ? s().reviewed : s().notReviewed,
  });
  const docs = new Map<string, Item[]>();
  for (const item of body.items) docs.set(item.documentId, [...(docs.get(item.documentId) ?? []), item]);
  const exclude = (documentId: string, heading: string, method: 'POST' | 'DELETE') => async () => {
    await (method === 'POST' ? excludeSection : includeSection)(documentId, heading);
    await reload();
  };
  out.replaceChildren(
    el('p', { class: 'muted', id: 'pr-summary' }, summary),
    ...(body.exclusions.length
      ? [
          el(
            'div',
            { class: 'card' },
            el('h3', {}, s().excluded),
            el(
              'ul',
              {},
              ...body.exclusions.map((e) =>
                el(
                  'li',
                  { class: 'row' },
                  el('span', { class: 'grow' }, e.heading),
                  el(
                    'button',
                    { type: 'button', class: 'ghost', onclick: () => void exclude(e.documentId, e.heading, 'DELETE')() },
                    s().include,
                  ),
                ),
              ),
            ),
          ),
        ]
      : []),
    ...[...docs.values()].map((items) => {
      const sections = new Map<string, Item[]>();
      for (const item of items) {
        const heading = item.headingPath.at(-1) ?? '';
        sections.set(heading, [...(sections.get(heading) ?? []), item]);
      }
      return el(
        'div',
        { class: 'card pr-doc' },
        el('h3', {}, `${items[0]!.title} (${items.filter((i) => i.passed).length}/${items.length})`),
        ...[...sections.entries()].map(([heading, list]) =>
          el(
            'section',
            {},
            heading
              ? el(
                  'div',
                  { class: 'row spread' },
                  el('h4', {}, heading),
                  el(
                    'button',
                    { type: 'button', class: 'ghost', onclick: () => void exclude(list[0]!.documentId, heading, 'POST')() },
                    s().exclude,
                  ),
                )
              : null,
            el('ol', { class: 'pr-list' }, ...list.map((item) => itemRow(item, reload))),
          ),
        ),
      );
    }),
  );
}

/** Wires the collection picker, the generate button and the exports. */
export function initPracticeTab(fail: (e: unknown) => void): void {
  labels();
  new MutationObserver(labels).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  byId('pr-collection').onchange = () => void loadPractice().catch(fail);
  byId('pr-generate').onclick = () =>
    void generatePractice(collection())
      .then(() => loadPractice())
      .catch(fail);
  byId('pr-gift').onclick = () => void download('gift').catch(fail);
  byId('pr-xml').onclick = () => void download('xml').catch(fail);
}
