/**
 * The teachers' page (`/admin`). Token login kept in sessionStorage; every call carries
 * `Authorization: Bearer`. Everything is rendered with DOM APIs and `textContent`: a document
 * holding `<script>` or `<img onerror>` shows as text here.
 */
import { accountHeaders, applyAccountStrings, initAccounts, resumeSession, showAccount, signOut, unauthorizedMessage } from './account.js';
import { initAuditTab, loadAudit } from './audit-tab.js';
import { initCatalogueTab, loadCatalogue } from './catalogue-tab.js';
import { adminStrings, type AdminStrings } from './i18n.js';
import { initUsersTab, loadUsers } from './users-tab.js';
import { verifiedStrings } from './verified-i18n.js';
import { applyVerifiedStrings, initVerifiedTab, loadVerified, prefillVerified, validityBadge } from './verified-tab.js';
import { applyLtiStrings, initLtiTab, loadLti } from './lti-tab.js';
import { initPracticeTab, loadPractice } from './practice-tab.js';
import { ocrBadge, watchOcrProgress, type DocumentOcr } from './ocr-status.js';

type Lang = 'vi' | 'en';
interface Doc { id: string; collection: string; title: string; fileName: string; bytes: number; pages: number; chunkCount: number; updatedAt: string; status?: 'valid' | 'expired' | 'not_yet_valid'; validFrom?: string | null; validUntil?: string | null; ocr?: DocumentOcr | null }
interface SiteKey { key: string; title: string; allowedOrigins: string[]; collections: string[]; rateLimitPerMinute: number; welcomeText: string; starterQuestions: string[]; color: string | null; lang: Lang }

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: Array<Node | string | null | undefined | false>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = String(v);
    else if (k.startsWith('on')) (e as any)[k] = v;
    else if (k in e && typeof (e as any)[k] !== 'function' && k !== 'list') (e as any)[k] = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

let lang: Lang = localStorage.getItem('trogiang:admin-lang') === 'en' ? 'en' : 'vi';
let t: AdminStrings = adminStrings[lang];
const fmt = (s: string, v: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (_m, k: string) => String(v[k] ?? ''));
let token = sessionStorage.getItem('trogiang:admin-token') || '';
const docStatus = new Map<string, string>();
let collections: string[] = [];
let current = 'docs';

class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: any) {
    super(message);
  }
}

async function api(path: string, init: RequestInit = {}): Promise<any> {
  let r: Response;
  try {
    r = await fetch(`/api/admin${path}`, { ...init, headers: { ...accountHeaders(token), ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string>) } });
  } catch {
    throw new ApiError(0, t.offline, null);
  }
  if (r.status === 401) {
    const message = unauthorizedMessage(token, t.badToken);
    logout(message);
    throw new ApiError(401, message, null);
  }
  const type = r.headers.get('content-type') || '';
  const body = type.includes('json') ? await r.json() : await r.blob();
  if (!r.ok) throw new ApiError(r.status, body?.error?.message || r.statusText, body);
  return body;
}

const status = (text: string, error = false) => {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', error);
};
const fail = (e: unknown) => status(fmt(t.error, { m: (e as Error).message }), true);

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
const formatDate = (iso: string) => new Date(iso).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });

function applyStrings() {
  document.documentElement.lang = lang;
  document.title = t.appTitle;
  document.querySelectorAll<HTMLElement>('[data-t]').forEach((e) => (e.textContent = (t as any)[e.dataset.t!] ?? ''));
  $('lang').textContent = t.otherLang;
  applyAccountStrings();
  $('tab-catalogue').textContent = lang === 'en' ? 'Open materials' : 'Học liệu mở';
  applyVerifiedStrings();
  applyLtiStrings();
  $('try-q').setAttribute('placeholder', lang === 'vi' ? 'vd. hoc phi mot thang bao nhieu' : 'e.g. how much is the monthly fee');
}

// ---- login ----
function logout(message?: string) {
  void signOut();
  token = '';
  sessionStorage.removeItem('trogiang:admin-token');
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  $('token').focus();
}

async function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  await showAccount(token);
  await loadCollections();
  show('docs');
}

$<HTMLFormElement>('login-form').onsubmit = async (e) => {
  e.preventDefault();
  token = $<HTMLInputElement>('token').value.trim();
  try {
    await api('/documents');
    sessionStorage.setItem('trogiang:admin-token', token);
    $<HTMLInputElement>('token').value = '';
    await start();
  } catch (error) {
    if ((error as ApiError).status !== 401) logout((error as Error).message);
  }
};
$('logout').onclick = () => logout();
$('lang').onclick = () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('trogiang:admin-lang', lang);
  t = adminStrings[lang];
  applyStrings();
  if (!$('app').hidden) show(current);
};

// ---- tabs ----
const panels: Record<string, () => Promise<void> | void> = {
  docs: () => loadDocs(),
  try: () => {},
  questions: () => loadQuestions(),
  verified: () => loadVerified(api),
  practice: () => loadPractice(api),
  keys: () => loadKeys(),
  stats: () => loadStats(),
  lti: () => loadLti(api, status),
  audit: () => loadAudit(api),
  catalogue: () => loadCatalogue(api),
  users: () => loadUsers(api),
};
function show(name: string) {
  current = name;
  for (const key of Object.keys(panels)) {
    const on = key === name;
    $(`p-${key}`).hidden = !on;
    const tab = $(`tab-${key}`);
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  status('');
  void Promise.resolve(panels[name]!()).catch(fail);
}
const tabNames = Object.keys(panels);
for (const name of tabNames) {
  const tab = $(`tab-${name}`);
  tab.onclick = () => show(name);
  tab.onkeydown = (e) => {
    // Tabs hidden from this account (audit, accounts for a teacher) are skipped.
    const names = tabNames.filter((n) => !$(`tab-${n}`).hidden);
    const i = names.indexOf(name);
    const next = e.key === 'ArrowRight' ? names[(i + 1) % names.length] : e.key === 'ArrowLeft' ? names[(i + names.length - 1) % names.length] : null;
    if (next) {
      e.preventDefault();
      show(next);
      $(`tab-${next}`).focus();
    }
  };
}

async function loadCollections() {
  try {
    const body = await api('/collections');
    collections = (body.collections as Array<{ id: string }>).map((c) => c.id);
  } catch {
    collections = [];
  }
  const list = $('collections');
  list.textContent = '';
  for (const c of collections) list.append(h('option', { value: c }));
  document.querySelectorAll<HTMLSelectElement>('.collection-select').forEach((s) => {
    const value = s.value;
    s.textContent = '';
    s.append(h('option', { value: '' }, t.allCollections), ...collections.map((c) => h('option', { value: c }, c)));
    s.value = value;
  });
}

// ---- documents ----
async function loadDocs() {
  const { documents } = (await api('/documents')) as { documents: Doc[] };
  const body = $('docs').querySelector('tbody')!;
  body.textContent = '';
  if (!documents.length) body.append(h('tr', {}, h('td', { colSpan: 8, class: 'muted' }, t.noDocs)));
  for (const d of documents) {
    const del = h('button', { type: 'button', class: 'ghost danger' }, t.del);
    del.onclick = async () => {
      if (!confirm(fmt(t.confirmDelete, { t: d.title }))) return;
      try {
        await api(`/documents/${encodeURIComponent(d.id)}`, { method: 'DELETE' });
        status(fmt(t.deleted, { t: d.title }));
        await loadDocs();
        $('reindex-all').focus();
      } catch (e) {
        fail(e);
      }
    };
    const re = h('button', { type: 'button', class: 'ghost' }, t.reindex);
    re.onclick = async () => {
      re.disabled = true;
      try {
        await api(`/documents/${encodeURIComponent(d.id)}/reindex`, { method: 'POST' });
        docStatus.set(d.id, t.reindexed.replace('"{t}"', '').trim());
        status(fmt(t.reindexed, { t: d.title }));
        await loadDocs();
      } catch (e) {
        fail(e);
        re.disabled = false;
      }
    };
    const open = h('button', { type: 'button', class: 'link', 'aria-label': fmt(t.showChunks, { t: d.title }) }, d.title);
    open.onclick = () => void showChunks(d).catch(fail);
    body.append(
      h('tr', { 'data-id': d.id },
        h('td', {}, open, h('div', { class: 'muted small' }, d.fileName)),
        h('td', {}, d.collection),
        h('td', { class: 'num' }, String(d.pages)),
        h('td', { class: 'num' }, String(d.chunkCount)),
        h('td', { class: 'num' }, formatBytes(d.bytes)),
        h('td', {}, formatDate(d.updatedAt)),
        h('td', {}, h('span', { class: 'badge ok' }, docStatus.get(d.id) || t.ready), ' ', validityBadge(d), ' ', ocrBadge(d)),
        h('td', { class: 'actions' }, re, del),
      ),
    );
  }
}

async function showChunks(d: Doc) {
  const { chunks } = (await api(`/documents/${encodeURIComponent(d.id)}`)) as { chunks: Array<{ ordinal: number; headingPath: string[]; pageStart: number | null; pageEnd: number | null; text: string }> };
  $('chunks-card').hidden = false;
  $('chunks-title').textContent = fmt(t.chunksOf, { t: d.title });
  const list = $('chunks');
  list.textContent = '';
  for (const c of chunks) {
    const where = [c.headingPath.join(' › '), c.pageStart !== null ? `${t.page} ${c.pageStart}${c.pageEnd && c.pageEnd !== c.pageStart ? `–${c.pageEnd}` : ''}` : ''].filter(Boolean).join(' · ');
    list.append(h('li', {}, h('div', { class: 'muted small' }, `#${c.ordinal} ${where}`), h('div', { class: 'text' }, c.text)));
  }
  $('chunks-title').focus();
}
$('chunks-close').onclick = () => {
  $('chunks-card').hidden = true;
  ($('docs').querySelector('button.link') as HTMLElement | null)?.focus();
};
$('reindex-all').onclick = async () => {
  try {
    await api('/reindex', { method: 'POST' });
    status(t.saved);
    await loadDocs();
  } catch (e) {
    fail(e);
  }
};

// Upload: one request per file, so each has its own progress bar and result.
function uploadOne(file: File, collection: string): Promise<void> {
  const bar = h('progress', { max: 100, value: 0 });
  const result = h('span', { class: 'result' }, t.uploading);
  const item = h('li', {}, h('span', { class: 'name' }, file.name), bar, result);
  $('uploads').append(item);
  return new Promise((resolve) => {
    const form = new FormData();
    form.append('files', file);
    if (collection) form.append('collection', collection);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/admin/documents');
    for (const [name, value] of Object.entries(accountHeaders(token))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      if (e.loaded === e.total) result.textContent = t.processing;
    };
    const stopOcr = watchOcrProgress(file.name, collection, accountHeaders(token), bar, result);
    xhr.onloadend = stopOcr;
    xhr.onload = () => {
      bar.value = 100;
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      const r = body?.results?.[0] ?? body?.error?.results?.[0];
      if (xhr.status === 401) logout(unauthorizedMessage(token, t.badToken));
      if (xhr.status < 300 && r && r.status !== 'failed') {
        const text = r.status === 'unchanged' || r.status === 'skipped' ? t.unchanged : fmt(r.status === 'replaced' || r.status === 'updated' ? t.replaced : t.added, { p: r.pages ?? '?', c: r.chunks ?? '?' });
        result.textContent = `✓ ${text}`;
        item.className = 'ok';
      } else {
        result.textContent = `✗ ${t.failed}: ${(lang === 'vi' ? r?.messageVi : null) || r?.message || body?.error?.message || xhr.statusText}`;
        item.className = 'bad';
      }
      resolve();
    };
    xhr.onerror = () => {
      result.textContent = `✗ ${t.offline}`;
      item.className = 'bad';
      resolve();
    };
    xhr.send(form);
  });
}
async function uploadAll(files: FileList | File[]) {
  const collection = $<HTMLInputElement>('up-collection').value.trim();
  for (const f of Array.from(files)) await uploadOne(f, collection);
  await loadCollections();
  await loadDocs().catch(fail);
}
const drop = $('drop');
drop.ondragover = (e) => {
  e.preventDefault();
  drop.classList.add('over');
};
drop.ondragleave = () => drop.classList.remove('over');
drop.ondrop = (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer?.files.length) void uploadAll(e.dataTransfer.files);
};
$<HTMLInputElement>('files').onchange = () => {
  const input = $<HTMLInputElement>('files');
  if (input.files?.length) void uploadAll(input.files).then(() => (input.value = ''));
};

// ---- try a question ----
function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}
/** `text` with the (diacritic-folded) `terms` wrapped in <mark>, matched on folded text. */
function highlight(text: string, terms: string[]): Node {
  const out = document.createDocumentFragment();
  const chars = Array.from(text);
  const folded = chars.map((c) => (fold(c)[0] ?? c));
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
    out.append(marks[i] ? h('mark', {}, piece) : piece);
    i = j;
  }
  return out;
}

$<HTMLFormElement>('try-form').onsubmit = async (e) => {
  e.preventDefault();
  const question = $<HTMLInputElement>('try-q').value.trim();
  const collection = $<HTMLSelectElement>('try-collection').value;
  const out = $('try-out');
  try {
    const r = await api('/try', { method: 'POST', body: JSON.stringify({ question, ...(collection ? { collection } : {}), k: 8 }) });
    out.textContent = '';
    const answer = r.answer as { text: string; citations: Array<{ n: number; title: string; page: number | null; link: string }>; mode: string; answerable: boolean } | null;
    const card = h('div', { class: `card answer${answer && !answer.answerable ? ' nocover' : ''}` },
      h('h2', { tabIndex: -1, id: 'try-answer' }, t.answerLearners),
      answer && !answer.answerable ? h('p', { class: 'strong' }, t.notCovered) : null,
      h('p', { class: 'text' }, answer?.text ?? ''),
      answer?.citations.length
        ? h('ol', { class: 'cites' }, ...answer.citations.map((c) => h('li', {}, `[${c.n}] `, h('a', { href: c.link, target: '_blank', rel: 'noopener' }, c.title + (c.page !== null ? `, ${t.page} ${c.page}` : '')))))
        : null,
      h('p', { class: 'muted small' }, `${t.answerability}: ${Number(r.answerability).toFixed(3)} · ${answer?.mode ?? ''}`),
    );
    const rows = (r.results as any[]).map((x) =>
      h('tr', {},
        h('td', { class: 'num' }, String(x.rank)),
        h('td', { class: 'num' }, h('strong', {}, Number(x.score).toFixed(4)), h('div', { class: 'muted small' }, `BM25 ${x.bm25Score === null ? '–' : Number(x.bm25Score).toFixed(2)}`), h('div', { class: 'muted small' }, `cos ${x.vectorScore === null ? '–' : Number(x.vectorScore).toFixed(3)}`)),
        h('td', {}, h('a', { href: x.link, target: '_blank', rel: 'noopener' }, x.title), h('div', { class: 'muted small' }, [x.headingPath.join(' › '), x.page !== null ? `${t.page} ${x.page}` : ''].filter(Boolean).join(' · '))),
        h('td', { class: 'text' }, highlight(x.text, x.matchedTerms)),
      ),
    );
    const table = h('div', { class: 'card' }, h('h2', {}, t.ranked), h('div', { class: 'scroll' }, h('table', { id: 'try-results' }, h('thead', {}, h('tr', {}, h('th', {}, t.rank), h('th', {}, t.score), h('th', {}, t.source), h('th', {}, t.text))), h('tbody', {}, ...rows))));
    out.append(card, table);
    $('try-answer').focus();
  } catch (error) {
    fail(error);
  }
};

// ---- questions log ----
function questionQuery(): string {
  const p = new URLSearchParams();
  if ($<HTMLInputElement>('q-unanswered').checked) p.set('unanswered', 'true');
  if ($<HTMLInputElement>('q-down').checked) p.set('thumbsDown', 'true');
  const from = $<HTMLInputElement>('q-from').value;
  const to = $<HTMLInputElement>('q-to').value;
  if (from) p.set('from', from);
  if (to) p.set('to', `${to}T23:59:59.999Z`);
  const c = $<HTMLSelectElement>('q-collection').value;
  if (c) p.set('collection', c);
  return p.toString();
}
async function loadQuestions() {
  const q = questionQuery();
  const body = await api(`/questions?${q}${q ? '&' : ''}limit=200`);
  $('q-total').textContent = fmt(t.total, { n: body.total });
  const tbody = $('questions').querySelector('tbody')!;
  tbody.textContent = '';
  for (const m of body.items as any[]) {
    const fb = m.feedback as { rating: string; comment: string | null } | null;
    tbody.append(
      h('tr', { class: !m.answerable ? 'unanswered' : fb?.rating === 'down' ? 'down' : '' },
        h('td', { class: 'nowrap' }, formatDate(m.createdAt)),
        h('td', {}, m.question, m.rewrittenQuestion ? h('div', { class: 'small muted' }, fmt(t.searchedAs, { q: m.rewrittenQuestion })) : null),
        h('td', { class: 'text clip' }, m.answer),
        h('td', {}, m.answerable ? t.yes : h('span', { class: 'badge warn' }, t.no)),
        h('td', {}, fb ? h('span', { class: `badge ${fb.rating === 'down' ? 'bad' : 'ok'}` }, fb.rating === 'down' ? t.down : t.up) : '', fb?.comment ? h('div', { class: 'small' }, fb.comment) : null),
        // An unanswered question or a thumbs-down answer: the teacher writes the verified answer.
        h('td', {}, !m.answerable || fb?.rating === 'down' ? h('button', { type: 'button', class: 'ghost write-answer', onclick: () => { show('verified'); prefillVerified(m.question); } }, verifiedStrings[lang].writeAnswer) : null),
      ),
    );
  }
}
$<HTMLFormElement>('q-form').onsubmit = (e) => {
  e.preventDefault();
  void loadQuestions().catch(fail);
};
$('q-csv').onclick = async () => {
  try {
    const blob = (await api(`/questions.csv?${questionQuery()}`)) as Blob;
    const a = h('a', { href: URL.createObjectURL(blob), download: `cau-hoi-${new Date().toISOString().slice(0, 10)}.csv` });
    document.body.append(a);
    a.click();
    setTimeout(() => {
      URL.revokeObjectURL(a.href);
      a.remove();
    }, 1000);
  } catch (e) {
    fail(e);
  }
};

// ---- site keys ----
let editing: SiteKey | null = null;
const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);
function snippets(k: SiteKey): { script: string; iframe: string } {
  const o = location.origin;
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const script = `<script src="${o}/widget.js" data-site-key="${k.key}" data-lang="${k.lang}" data-title="${attr(k.title)}"${k.color ? ` data-color="${k.color}"` : ''} data-position="right" async></script>`;
  const iframe = `<iframe src="${o}/embed?site=${k.key}" title="${attr(k.title)}" style="width:100%;max-width:480px;height:600px;border:1px solid #ccc;border-radius:8px"></iframe>`;
  return { script, iframe };
}
function fillForm(k: SiteKey | null) {
  editing = k;
  $('key-form-title').textContent = k ? fmt(t.editKey, { t: k.title }) : t.newKey;
  $<HTMLInputElement>('k-title').value = k?.title ?? '';
  $<HTMLTextAreaElement>('k-origins').value = (k?.allowedOrigins ?? []).join('\n');
  $<HTMLInputElement>('k-collections').value = (k?.collections ?? []).join(', ');
  $<HTMLTextAreaElement>('k-starters').value = (k?.starterQuestions ?? []).join('\n');
  $<HTMLTextAreaElement>('k-welcome').value = k?.welcomeText ?? '';
  $<HTMLInputElement>('k-color').value = k?.color && k.color.length === 7 ? k.color : '#0b6bcb';
  $<HTMLInputElement>('k-color-on').checked = !!k?.color;
  $<HTMLSelectElement>('k-lang').value = k?.lang ?? 'vi';
  $<HTMLInputElement>('k-rate').value = String(k?.rateLimitPerMinute ?? 30);
  $('k-cancel').hidden = !k;
  $('k-origins').removeAttribute('aria-invalid');
}
async function loadKeys() {
  const { siteKeys } = (await api('/site-keys')) as { siteKeys: SiteKey[] };
  const box = $('keys');
  box.textContent = '';
  for (const k of siteKeys) {
    const { script, iframe } = snippets(k);
    const copyButton = (text: string) => {
      const b = h('button', { type: 'button', class: 'ghost' }, t.copy);
      b.onclick = async () => {
        try {
          await navigator.clipboard.writeText(text);
        } catch {}
        status(t.copied);
      };
      return b;
    };
    const edit = h('button', { type: 'button', class: 'ghost' }, t.edit);
    edit.onclick = () => {
      fillForm(k);
      $('k-title').focus();
    };
    const del = h('button', { type: 'button', class: 'ghost danger' }, t.del);
    del.onclick = async () => {
      if (!confirm(fmt(t.confirmDeleteKey, { t: k.title }))) return;
      try {
        await api(`/site-keys/${encodeURIComponent(k.key)}`, { method: 'DELETE' });
        await loadKeys();
      } catch (e) {
        fail(e);
      }
    };
    const dl = (label: string, value: Node | string) => [h('dt', {}, label), h('dd', {}, value)];
    box.append(
      h('article', { class: 'card key' },
        h('div', { class: 'row spread' }, h('h2', {}, k.title), h('div', { class: 'row' }, edit, del)),
        h('code', { class: 'small' }, k.key),
        h('dl', {},
          ...dl(t.originsShort, k.allowedOrigins.join(', ') || '—'),
          ...dl(t.collections, k.collections.join(', ') || t.allCollections),
          ...dl(t.starters, k.starterQuestions.join(' · ') || '—'),
          ...dl(t.welcome, k.welcomeText || '—'),
          ...dl(t.color, k.color ? h('span', {}, h('span', { class: 'swatch', 'data-color': k.color }), ` ${k.color}`) : '—'),
          ...dl(t.language, k.lang),
        ),
        h('p', { class: 'strong' }, t.snippetScript), h('pre', {}, script), copyButton(script),
        h('p', { class: 'strong' }, t.snippetIframe), h('pre', {}, iframe), copyButton(iframe),
      ),
    );
  }
  box.querySelectorAll<HTMLElement>('.swatch').forEach((s) => s.style.setProperty('background', s.dataset.color!));
}
type AddressProblem = 'no_scheme' | 'wildcard' | 'credentials' | 'invalid';
const problemText: Record<AddressProblem, 'originNoScheme' | 'originWildcard' | 'originCredentials' | 'originInvalid'> = {
  no_scheme: 'originNoScheme',
  wildcard: 'originWildcard',
  credentials: 'originCredentials',
  invalid: 'originInvalid',
};
/**
 * The origin of a pasted page address, as the server keeps it (src/store/site-key-store.ts
 * `originOfAddress`, which decides): teachers copy the course page's address from the address bar.
 */
function originOf(address: string): { origin: string } | { problem: AddressProblem } {
  if (address.includes('*')) return { problem: 'wildcard' };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(address)) return { problem: 'no_scheme' };
  try {
    const url = new URL(address);
    if (url.protocol !== 'http:' && url.protocol !== 'https:' || !url.hostname) return { problem: 'invalid' };
    if (url.username || url.password) return { problem: 'credentials' };
    return { origin: url.origin };
  } catch {
    return { problem: 'invalid' };
  }
}
const originsBox = () => $<HTMLTextAreaElement>('k-origins');
function originError(n: number, address: string, problem: AddressProblem) {
  const box = originsBox();
  box.setAttribute('aria-invalid', 'true');
  box.setAttribute('aria-describedby', 'status');
  status(fmt(t[problemText[problem]], { n, a: address }), true);
  box.focus();
}
$<HTMLFormElement>('key-form').onsubmit = async (e) => {
  e.preventDefault();
  const addresses = lines(originsBox().value);
  const origins: string[] = [];
  for (const [i, address] of addresses.entries()) {
    const result = originOf(address);
    if ('problem' in result) return originError(i + 1, address, result.problem);
    if (!origins.includes(result.origin)) origins.push(result.origin);
  }
  originsBox().removeAttribute('aria-invalid');
  const shortened = addresses.some((a) => !origins.includes(a.replace(/\/$/, '')));
  const body = {
    title: $<HTMLInputElement>('k-title').value.trim(),
    allowedOrigins: origins,
    collections: $<HTMLInputElement>('k-collections').value.split(',').map((x) => x.trim()).filter(Boolean),
    starterQuestions: lines($<HTMLTextAreaElement>('k-starters').value),
    welcomeText: $<HTMLTextAreaElement>('k-welcome').value.trim(),
    color: $<HTMLInputElement>('k-color-on').checked ? $<HTMLInputElement>('k-color').value : null,
    lang: $<HTMLSelectElement>('k-lang').value,
    rateLimitPerMinute: Number($<HTMLInputElement>('k-rate').value) || 30,
  };
  try {
    if (editing) await api(`/site-keys/${encodeURIComponent(editing.key)}`, { method: 'PATCH', body: JSON.stringify(body) });
    else await api('/site-keys', { method: 'POST', body: JSON.stringify(body) });
    fillForm(null);
    status(shortened ? `${t.saved} ${fmt(t.originsKept, { o: origins.join(', ') })}` : t.saved);
    await loadKeys();
  } catch (error) {
    // The server's check decides; its problem codes get this page's wording.
    const err = error instanceof ApiError ? error.body?.error : undefined;
    const at = /^allowedOrigins\.(\d+)$/.exec(err?.field ?? '');
    if (at && err.problem in problemText) originError(Number(at[1]) + 1, origins[Number(at[1])] ?? '', err.problem);
    else fail(error);
  }
};
$('k-cancel').onclick = () => fillForm(null);

// ---- stats ----
const svgNs = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}
async function loadStats() {
  const days = $<HTMLSelectElement>('s-days').value;
  const s = await api(`/stats?days=${days}`);
  const box = $('stats');
  box.textContent = '';
  const perDay = s.perDay as Array<{ day: string; questions: number; answered: number }>;
  const totals = s.totals as { questions: number; answered: number; shareAnswered: number; thumbsUp: number; thumbsDown: number };
  box.append(
    h('div', { class: 'tiles' },
      h('div', { class: 'tile' }, h('span', { class: 'big' }, String(totals.questions)), t.questionsTotal),
      h('div', { class: 'tile' }, h('span', { class: 'big' }, `${Math.round(totals.shareAnswered * 100)}%`), t.shareAnswered),
      h('div', { class: 'tile' }, h('span', { class: 'big' }, `${totals.thumbsUp} / ${totals.thumbsDown}`), t.thumbs),
    ),
  );
  const W = 720, H = 220, pad = 28;
  const max = Math.max(1, ...perDay.map((d) => d.questions));
  const bw = (W - pad * 2) / perDay.length;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': `${t.questionsPerDay}: ${perDay.map((d) => `${d.day} ${d.questions}/${d.answered}`).join(', ')}` });
  chart.append(svg('line', { x1: pad, y1: H - pad, x2: W - pad, y2: H - pad, class: 'axis' }), svg('text', { x: 2, y: pad - 10, class: 'label' }, String(max)));
  perDay.forEach((d, i) => {
    const x = pad + i * bw + bw * 0.15;
    const hq = ((H - pad * 2) * d.questions) / max;
    const ha = ((H - pad * 2) * d.answered) / max;
    const all = svg('rect', { x, y: H - pad - hq, width: bw * 0.7, height: hq, class: 'q' });
    all.append(svg('title', {}, `${d.day}: ${d.questions} / ${d.answered}`));
    chart.append(all, svg('rect', { x, y: H - pad - ha, width: bw * 0.7, height: ha, class: 'a' }));
    if (i % Math.ceil(perDay.length / 7) === 0) chart.append(svg('text', { x: x, y: H - 8, class: 'label' }, d.day.slice(5)));
  });
  box.append(h('h3', {}, t.questionsPerDay), chart);
  const top = s.topUnanswered as Array<{ question: string; count: number }>;
  box.append(h('h3', {}, t.topUnanswered), top.length ? h('ol', {}, ...top.map((q) => h('li', {}, `${q.question} (${q.count})`))) : h('p', { class: 'muted' }, t.none));
}
$('s-days').onchange = () => void loadStats().catch(fail);

applyStrings();
fillForm(null);
initAccounts(start);
initAuditTab(api, fail);
initCatalogueTab(api, fail, (m) => status(m));
initUsersTab(api, fail);
initVerifiedTab(api, fail);
initLtiTab(api, status, fail);
initPracticeTab(api, fail);
if (token) void start().catch(() => logout());
else void resumeSession().then((open) => (open ? start() : logout()), () => logout());
