/**
 * The teachers' page (`/admin`). Token login kept in sessionStorage; every call carries
 * `Authorization: Bearer` (api.ts). Everything is rendered with DOM APIs and `textContent`: a
 * document holding `<script>` or `<img onerror>` shows as text here. One module per tab; this one
 * signs in and out, switches tabs and languages, and fills the collection pickers.
 */
import { applyAccountStrings, initAccounts, resumeSession, showAccount, signOut, unauthorizedMessage } from './account.js';
import { ApiError, configureApi, listCollections, listDocuments } from './api.js';
import { initAuditTab, loadAudit } from './audit-tab.js';
import { initCatalogueTab, loadCatalogue } from './catalogue-tab.js';
import { byId as $, el } from './dom.js';
import { initDocumentsTab, loadDocs } from './documents-tab.js';
import { adminStrings, type AdminStrings } from './i18n.js';
import { fillForm, initKeysTab, loadKeys } from './keys-tab.js';
import { applyLtiStrings, initLtiTab, loadLti } from './lti-tab.js';
import { fail, status } from './page.js';
import { initPracticeTab, loadPractice } from './practice-tab.js';
import { initQuestionsTab, loadQuestions } from './questions-tab.js';
import { initStatsTab, loadStats } from './stats-tab.js';
import { initTryTab } from './try-tab.js';
import { initUsersTab, loadUsers } from './users-tab.js';
import { applyVerifiedStrings, initVerifiedTab, loadVerified, prefillVerified } from './verified-tab.js';

type Lang = 'vi' | 'en';

let lang: Lang = localStorage.getItem('trogiang:admin-lang') === 'en' ? 'en' : 'vi';
let t: AdminStrings = adminStrings[lang];
let token = sessionStorage.getItem('trogiang:admin-token') || '';
let current = 'docs';

configureApi({
  token: () => token,
  unauthorized: () => {
    const message = unauthorizedMessage(token, t.badToken);
    logout(message);
    return message;
  },
  offline: () => t.offline,
});

function applyStrings() {
  document.documentElement.lang = lang;
  document.title = t.appTitle;
  const strings = t as unknown as Record<string, string>;
  document.querySelectorAll<HTMLElement>('[data-t]').forEach((e) => (e.textContent = strings[e.dataset.t!] ?? ''));
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
    await listDocuments();
    sessionStorage.setItem('trogiang:admin-token', token);
    $<HTMLInputElement>('token').value = '';
    await start();
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) logout((error as Error).message);
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
  verified: () => loadVerified(),
  practice: () => loadPractice(),
  keys: () => loadKeys(),
  stats: () => loadStats(),
  lti: () => loadLti(status),
  audit: () => loadAudit(),
  catalogue: () => loadCatalogue(),
  users: () => loadUsers(),
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
    const next =
      e.key === 'ArrowRight' ? names[(i + 1) % names.length] : e.key === 'ArrowLeft' ? names[(i + names.length - 1) % names.length] : null;
    if (next) {
      e.preventDefault();
      show(next);
      $(`tab-${next}`).focus();
    }
  };
}

/** The center's collections in the upload box's suggestions and in the filters' pickers. */
async function loadCollections() {
  let collections: string[] = [];
  try {
    collections = (await listCollections()).collections.map((c) => c.id);
  } catch {}
  const list = $('collections');
  list.textContent = '';
  for (const c of collections) list.append(el('option', { value: c }));
  document.querySelectorAll<HTMLSelectElement>('.collection-select').forEach((s) => {
    const value = s.value;
    s.textContent = '';
    s.append(el('option', { value: '' }, t.allCollections), ...collections.map((c) => el('option', { value: c }, c)));
    s.value = value;
  });
}

applyStrings();
fillForm(null);
initAccounts(start);
initDocumentsTab(loadCollections);
initTryTab();
initQuestionsTab((question) => {
  show('verified');
  prefillVerified(question);
});
initKeysTab();
initStatsTab();
initAuditTab(fail);
initCatalogueTab(fail, (m) => status(m));
initUsersTab(fail);
initVerifiedTab(fail);
initLtiTab(status, fail);
initPracticeTab(fail);
if (token) void start().catch(() => logout());
else
  void resumeSession().then(
    (open) => (open ? start() : logout()),
    () => logout(),
  );
