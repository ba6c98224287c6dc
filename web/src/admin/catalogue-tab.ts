/**
 * The catalogue tab (issue 16 item 4): every open collection of the service, searchable, with its
 * owner center and licence; subscribe / unsubscribe; publish one of the center's own collections
 * under an open licence, or unpublish it. Built with DOM APIs and text only.
 */
import type { CatalogueView as Entry } from '../../../src/contract/index.js';
import { listCatalogue, listCollections, publishCollection, subscribe, unpublishCollection, unsubscribe } from './api.js';
import { byId, currentLang, el } from './dom.js';

const strings = {
  vi: {
    tab: 'Học liệu mở',
    search: 'Tìm học liệu mở',
    find: 'Tìm',
    name: 'Bộ tài liệu',
    owner: 'Trung tâm',
    licence: 'Giấy phép',
    documents: 'Tài liệu',
    subscribe: 'Đăng ký dùng',
    unsubscribe: 'Huỷ đăng ký',
    ours: 'Của trung tâm mình',
    none: 'Chưa có bộ tài liệu mở nào.',
    shareTitle: 'Chia sẻ một bộ tài liệu của trung tâm',
    attribution: 'Dòng ghi công',
    publish: 'Chia sẻ',
    unpublish: 'Ngừng chia sẻ',
    subscribed: 'Đã đăng ký: học viên của trung tâm sẽ nhận câu trả lời từ bộ tài liệu này.',
    published: 'Đã chia sẻ.',
    unpublished: 'Đã ngừng chia sẻ.',
  },
  en: {
    tab: 'Open materials',
    search: 'Search open collections',
    find: 'Search',
    name: 'Collection',
    owner: 'Center',
    licence: 'Licence',
    documents: 'Documents',
    subscribe: 'Subscribe',
    unsubscribe: 'Unsubscribe',
    ours: 'Ours',
    none: 'No open collection yet.',
    shareTitle: 'Share one of our collections',
    attribution: 'Attribution line',
    publish: 'Publish',
    unpublish: 'Unpublish',
    subscribed: "Subscribed: this center's learners now get answers from it.",
    published: 'Published.',
    unpublished: 'Unpublished.',
  },
};
const s = () => strings[currentLang()];
const openLicences = ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0'];
const licenceLabel = (code: string) => code.replace(/-(?=\d)/, ' ').replace(/-/g, ' ');

/** Builds the panel's content (once) and sets the tab's label in the page's language. */
function ensurePanel(): void {
  byId('tab-catalogue').textContent = s().tab;
  const panel = byId('p-catalogue');
  if (panel.childElementCount > 0) return;
  panel.append(
    el(
      'div',
      { class: 'card' },
      el(
        'form',
        { id: 'cat-form', class: 'row' },
        el('label', { for: 'cat-q', id: 'cat-q-label' }),
        el('input', { id: 'cat-q', type: 'search', maxLength: 200 }),
        el('button', { type: 'submit', id: 'cat-find' }),
      ),
      el('table', { id: 'catalogue' }, el('thead'), el('tbody')),
      el('p', { id: 'cat-empty', class: 'muted', hidden: true }),
    ),
    el(
      'div',
      { class: 'card' },
      el('h2', { id: 'cat-share-title' }),
      el(
        'form',
        { id: 'cat-share', class: 'row' },
        el('select', { id: 'cat-collection', 'aria-label': 'collection' }),
        el(
          'select',
          { id: 'cat-licence', 'aria-label': 'licence' },
          ...openLicences.map((l) => el('option', { value: l }, licenceLabel(l))),
        ),
        el('input', { id: 'cat-attribution', maxLength: 300 }),
        el('button', { type: 'submit', id: 'cat-publish' }),
      ),
      el('ul', { id: 'cat-own' }),
    ),
  );
}

/** Loads the catalogue (with the search box's words) and the center's own collections. */
export async function loadCatalogue(): Promise<void> {
  ensurePanel();
  const t = s();
  byId('cat-q-label').textContent = t.search;
  byId('cat-find').textContent = t.find;
  byId('cat-share-title').textContent = t.shareTitle;
  byId('cat-publish').textContent = t.publish;
  byId<HTMLInputElement>('cat-attribution').placeholder = t.attribution;
  const q = byId<HTMLInputElement>('cat-q').value.trim();
  const entries = (await listCatalogue(q)).collections;
  const table = byId('catalogue');
  table.querySelector('thead')!.replaceChildren(el('tr', {}, ...[t.name, t.owner, t.licence, t.documents, ''].map((h) => el('th', {}, h))));
  const tbody = table.querySelector('tbody')!;
  tbody.textContent = '';
  for (const e of entries) {
    const action = e.own
      ? el('span', { class: 'muted' }, t.ours)
      : el(
          'button',
          { type: 'button', class: e.subscribed ? 'ghost' : '', onclick: () => void toggle(e) },
          e.subscribed ? t.unsubscribe : t.subscribe,
        );
    tbody.append(
      el(
        'tr',
        { 'data-collection': e.id },
        el('td', { class: 'text' }, el('strong', {}, e.name), e.description ? el('div', { class: 'small' }, e.description) : null),
        el('td', {}, e.centerName, e.attribution ? el('div', { class: 'small' }, e.attribution) : null),
        el('td', { class: 'nowrap' }, licenceLabel(e.licence)),
        el('td', {}, String(e.documents)),
        el('td', {}, action),
      ),
    );
  }
  const empty = byId('cat-empty');
  empty.textContent = t.none;
  empty.hidden = entries.length > 0;

  const own = (await listCollections()).collections;
  const select = byId<HTMLSelectElement>('cat-collection');
  select.replaceChildren(...own.filter((c) => !c.publishedAt).map((c) => el('option', { value: c.id }, c.name)));
  // Nothing of ours left to publish (or no collection yet): no empty form.
  byId('cat-share').hidden = select.options.length === 0;
  byId('cat-own').replaceChildren(
    ...own
      .filter((c) => c.publishedAt)
      .map((c) =>
        el('li', {}, `${c.name} `, el('button', { type: 'button', class: 'ghost', onclick: () => void unpublish(c.id) }, t.unpublish)),
      ),
  );
}

let report: (e: unknown) => void = () => {};
let say: (message: string) => void = () => {};

async function toggle(e: Entry): Promise<void> {
  try {
    if (e.subscribed) await unsubscribe(e.id);
    else {
      await subscribe(e.id);
      say(s().subscribed);
    }
    await loadCatalogue();
  } catch (error) {
    report(error);
  }
}

async function unpublish(id: string): Promise<void> {
  try {
    await unpublishCollection(id);
    say(s().unpublished);
    await loadCatalogue();
  } catch (error) {
    report(error);
  }
}

/** Wires the search and publish forms. `fail` shows an error, `status` a confirmation. */
export function initCatalogueTab(fail: (e: unknown) => void, status: (message: string) => void): void {
  report = fail;
  say = status;
  ensurePanel();
  byId<HTMLFormElement>('cat-form').onsubmit = (e) => {
    e.preventDefault();
    void loadCatalogue().catch(fail);
  };
  byId<HTMLFormElement>('cat-share').onsubmit = async (e) => {
    e.preventDefault();
    const id = byId<HTMLSelectElement>('cat-collection').value;
    if (!id) return;
    const attribution = byId<HTMLInputElement>('cat-attribution').value.trim();
    try {
      await publishCollection(id, { licence: byId<HTMLSelectElement>('cat-licence').value, ...(attribution && { attribution }) });
      status(s().published);
      await loadCatalogue();
    } catch (error) {
      fail(error);
    }
  };
}
