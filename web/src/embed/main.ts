/**
 * The chat page (`/embed`), inside the widget's iframe or a plain `<iframe>`. Plain DOM; every
 * text from the server, the model or a document goes through `textContent` (see markdown.ts).
 */
import type { EmbedConfig } from '../../../src/contract/index.js';
import { errorOf } from '../error-body.js';
import { isPageMessage, type FrameMessage } from '../frame-messages.js';
import type { ChatMessage as Message, Cite } from './chat-message.js';
import { renderMarkdown } from './markdown.js';
import { readEvents } from './sse.js';
import { strings, type Lang, type Strings } from './i18n.js';
import { learnerPanel } from './learner-panel.js';
import { startPractice } from './practice.js';

/** `CC-BY-4.0` → `CC BY 4.0` (how Creative Commons writes its licences). */
const licenceLabel = (code: string) => code.replace(/-(?=\d)/, ' ').replace(/-/g, ' ');

interface State {
  conversationId?: string;
  messages: Message[];
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const make = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

const icons = {
  up: 'M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1.2-.7v-2z',
  copy: 'M16 1H4a2 2 0 0 0-2 2v14h2V3h12V1zm3 4H8a2 2 0 0 0-2 2v14c0 1.1.9 2 2 2h11a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11v14z',
  new: 'M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z',
  close: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  moon: 'M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z',
  sun: 'M12 7a5 5 0 1 0 0 10 5 5 0 0 0 0-10zM11 1h2v3h-2zm0 19h2v3h-2zM1 11h3v2H1zm19 0h3v2h-3z',
  grow: 'M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 0h2v6h-6v-2h4z',
  shrink: 'M8 4h2v6H4V8h4zm6 0h2v4h4v2h-6zM4 14h6v6H8v-4H4zm10 0h6v2h-4v4h-2z',
  info: 'M11 7h2v2h-2zm0 4h2v6h-2zm1-9a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16z',
  check: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  history: 'M13 3a9 9 0 0 0-9 9H1l4 4 4-4H6a7 7 0 1 1 2 4.9l-1.4 1.4A9 9 0 1 0 13 3zm-1 5v5l4.3 2.5.7-1.2-3.5-2.1V8z',
};
/** An inline SVG icon (no icon font, no emoji: old PCs lack both). */
function icon(name: keyof typeof icons | 'down'): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', icons[name === 'down' ? 'up' : name]);
  if (name === 'down') path.setAttribute('transform', 'rotate(180 12 12)');
  svg.append(path);
  return svg;
}

// Written by the server into the page (src/routes/web-routes.ts), not by anyone else.
const cfg = JSON.parse($('tg-config').textContent || '{}') as EmbedConfig;
const root = document.documentElement;
let lang: Lang = cfg.lang === 'en' ? 'en' : 'vi';
let t: Strings = strings[lang];
const storeKey = `trogiang:v1:${cfg.site || 'self'}`;
let state: State = { messages: [] };
/** The host page's signed user token (`data-user-token`), passed in the fragment and then removed from the address. */
function userTokenFromFragment(): string | null {
  const token = new URLSearchParams(location.hash.slice(1)).get('ut');
  if (token) history.replaceState(null, '', location.pathname + location.search);
  return token && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) ? token : null;
}
// A known learner's conversations live on the server (any device); a shared computer's storage
// must not show one learner's questions to the next.
const learnerToken = cfg.lti?.token ?? userTokenFromFragment();
try {
  const saved: unknown = learnerToken ? null : JSON.parse(localStorage.getItem(storeKey) || 'null');
  if (saved && Array.isArray((saved as State).messages)) state = saved as State;
} catch {}
const save = () => {
  state.messages = state.messages.slice(-40);
  if (learnerToken) return;
  try {
    localStorage.setItem(storeKey, JSON.stringify(state));
  } catch {}
};

const log = $('log');
const form = $<HTMLFormElement>('form');
const input = $<HTMLTextAreaElement>('q');
const sendButton = $<HTMLButtonElement>('send');
const live = $('live');
const notice = $('notice');
let busy = false;
let practising = false;
let large = false;
let phone = false;

/** Messages to the embedding page: only to the origin the server checked, only in the widget. */
const toParent = (m: FrameMessage) => {
  if (cfg.parent && window.parent !== window) window.parent.postMessage({ ns: 'trogiang', ...m }, cfg.parent);
};

const announce = (text: string) => {
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 50);
};

const showNotice = (text: string) => {
  notice.textContent = text;
  notice.hidden = !text;
};

// Theme: light, dark or auto (follows the system), with the site's colour as `--accent`.
function setColor(color: string | null) {
  if (!color || !/^#([0-9a-f]{3}){1,2}$/i.test(color)) return;
  const hex = color.length === 4 ? color.replace(/[0-9a-f]/gi, (c) => c + c) : color;
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  root.style.setProperty('--accent', hex);
  root.style.setProperty('--on-accent', 0.2126 * r! + 0.7152 * g! + 0.0722 * b! > 0.4 ? '#111' : '#fff');
}
function setTheme(theme: string | null) {
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
  labels();
}
const isDark = () => root.dataset.theme === 'dark' || (!root.dataset.theme && matchMedia('(prefers-color-scheme: dark)').matches);

function labels() {
  root.lang = lang;
  document.title = cfg.title || t.title;
  $('title').textContent = cfg.title || t.title;
  input.placeholder = t.placeholder;
  $('q-label').textContent = t.inputLabel;
  sendButton.textContent = t.send;
  const button = (id: string, label: string, content: string | SVGSVGElement) => {
    const b = $(id);
    b.setAttribute('aria-label', label);
    b.title = label;
    b.textContent = '';
    b.append(content);
  };
  button('lang', t.otherLangLabel, t.otherLang);
  button('practice', practising ? t.chat : t.practice, practising ? t.chat : t.practice);
  button('theme', isDark() ? t.light : t.dark, icon(isDark() ? 'sun' : 'moon'));
  button('new', t.newChat, icon('new'));
  button('history', t.history, icon('history'));
  $('history').hidden = !learnerToken;
  if (learnerToken) learner?.labels(t);
  button('close', t.close, icon('close'));
  button('size', large ? t.shrink : t.enlarge, icon(large ? 'shrink' : 'grow'));
  $('close').hidden = !cfg.widget;
  $('size').hidden = !cfg.widget || phone;
}

function setLang(next: string) {
  if (next !== 'vi' && next !== 'en') return;
  lang = next;
  t = strings[lang];
  labels();
  renderAll();
}

function citeLink(c: Cite): HTMLAnchorElement {
  const a = make('a', 'cite', String(c.n));
  if (/^https?:/i.test(c.link)) a.href = c.link;
  a.target = '_blank';
  a.rel = 'noopener';
  const where = c.page !== null ? `, ${t.page} ${c.page}` : '';
  a.setAttribute('aria-label', `${t.sourceN} ${c.n}: ${c.title}${where}`);
  a.title = c.title + where;
  return a;
}

function renderBody(body: HTMLElement, m: Message, sources: Cite[]) {
  renderMarkdown(body, m.text, (n) => {
    const c = (m.cites?.length ? m.cites : sources).find((s) => s.n === n);
    return c ? citeLink(c) : null;
  });
}

/** One assistant answer: text, the sources it cites, and its actions. */
function renderBot(m: Message, sources: Cite[] = []): HTMLElement {
  const box = make('article', 'msg bot' + (m.answerable === false ? ' nocover' : ''));
  box.setAttribute('aria-label', t.answer);
  if (m.answerable === false) {
    // An SVG, not "ⓘ": fonts on many learners' PCs and phones lack that character (a box showed).
    const title = make('p', 'nocover-title');
    title.append(icon('info'), t.notCovered);
    box.append(title);
  }
  if (m.verified) {
    const mark = make('p', 'verified-mark');
    mark.append(icon('check'), t.verified);
    box.append(mark);
  }
  const body = make('div', 'body');
  renderBody(body, m, sources);
  box.append(body);
  if (m.cites?.length) {
    const list = make('ol', 'sources');
    list.setAttribute('aria-label', t.sources);
    for (const c of m.cites) {
      const li = make('li');
      const a = citeLink(c);
      a.className = 'source';
      a.textContent = '';
      a.append(
        make('span', 'n', String(c.n)),
        make(
          'span',
          '',
          c.title +
            (c.page !== null ? ` — ${t.page} ${c.page}` : c.headingPath?.length ? ` — ${c.headingPath[c.headingPath.length - 1]}` : ''),
        ),
      );
      li.append(a);
      if (c.sharedFrom) {
        const { centerName, licence, attribution } = c.sharedFrom;
        li.append(make('small', 'shared', [`${t.sharedBy} ${centerName}`, licenceLabel(licence), attribution].filter(Boolean).join(' · ')));
      }
      list.append(li);
    }
    box.append(list);
  }
  if (m.id) box.append(actions(m));
  return box;
}

function actions(m: Message): HTMLElement {
  const bar = make('div', 'actions');
  const thumb = (rating: 'up' | 'down', label: string) => {
    const b = make('button', 'icon');
    b.append(icon(rating));
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.title = label;
    b.setAttribute('aria-pressed', String(m.rating === rating));
    b.onclick = async () => {
      m.rating = rating;
      m.sent = false;
      save();
      bar.querySelectorAll('[aria-pressed]').forEach((x) => x.setAttribute('aria-pressed', String(x === b)));
      await sendFeedback(m, undefined);
      bar.querySelector('.comment')?.remove();
      bar.append(commentForm(m));
      (bar.querySelector('.comment textarea') as HTMLElement | null)?.focus();
    };
    return b;
  };
  const copy = make('button', 'icon');
  copy.append(icon('copy'));
  copy.type = 'button';
  copy.setAttribute('aria-label', t.copy);
  copy.title = t.copy;
  copy.onclick = async () => {
    const text =
      m.text +
      (m.cites?.length
        ? '\n\n' + m.cites.map((c) => `[${c.n}] ${c.title}${c.page !== null ? `, ${t.page} ${c.page}` : ''}: ${c.link}`).join('\n')
        : '');
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const area = make('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
      copy.focus();
    }
    announce(t.copied);
  };
  bar.append(thumb('up', t.helpful), thumb('down', t.notHelpful), copy);
  return bar;
}

function commentForm(m: Message): HTMLElement {
  const f = make('form', 'comment');
  const id = `c-${m.id}`;
  const label = make('label', '', t.comment);
  label.htmlFor = id;
  const area = make('textarea');
  area.id = id;
  area.rows = 2;
  area.maxLength = 1000;
  const b = make('button', 'small', t.sendComment);
  b.type = 'submit';
  f.append(label, area, b);
  f.onsubmit = async (e) => {
    e.preventDefault();
    if (await sendFeedback(m, area.value.trim() || undefined)) {
      const p = make('p', 'thanks', t.thanks);
      p.tabIndex = -1;
      f.replaceWith(p);
      p.focus();
    }
  };
  area.onkeydown = (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      f.requestSubmit();
    }
  };
  return f;
}

/**
 * A random id for this browser, kept in localStorage (in memory when storage is blocked): the
 * server's rate limit counts per browser, so a computer room behind one address is not
 * throttled as one learner. Not a secret and not stored by the server; see docs/widget.md.
 */
const clientId = (() => {
  const key = 'trogiang:client';
  try {
    const kept = localStorage.getItem(key);
    if (kept && /^[\w-]{16,64}$/.test(kept)) return kept;
  } catch {}
  // getRandomValues, not randomUUID: an LMS on plain http (a LAN address) is not a secure context.
  const id = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  try {
    localStorage.setItem(key, id);
  } catch {}
  return id;
})();

function headers(): Record<string, string> {
  const base: Record<string, string> = { 'content-type': 'application/json', 'x-client-id': clientId };
  if (learnerToken) base['x-learner-token'] = learnerToken;
  return cfg.site ? { ...base, 'x-site-key': cfg.site } : base;
}

async function sendFeedback(m: Message, comment: string | undefined): Promise<boolean> {
  try {
    const r = await fetch('/api/feedback', {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ messageId: m.id, rating: m.rating, ...(comment ? { comment } : {}) }),
    });
    if (!r.ok) {
      await showError(r);
      return false;
    }
    announce(t.thanks);
    return true;
  } catch {
    showNotice(navigator.onLine ? t.network : t.offline);
    return false;
  }
}

function renderWelcome() {
  const box = make('div', 'msg bot welcome');
  box.append(make('p', '', cfg.welcome || t.welcome));
  if (cfg.starters.length) {
    const list = make('ul', 'starters');
    list.setAttribute('aria-label', t.starters);
    for (const q of cfg.starters) {
      const li = make('li');
      const b = make('button', 'starter', q);
      b.type = 'button';
      b.onclick = () => ask(q);
      li.append(b);
      list.append(li);
    }
    box.append(list);
  }
  log.append(box);
}

function renderUser(text: string): HTMLElement {
  const box = make('div', 'msg user');
  box.append(make('span', 'sr', t.you + ': '), text);
  return box;
}

function renderAll() {
  log.textContent = '';
  renderWelcome();
  for (const m of state.messages) log.append(m.role === 'user' ? renderUser(m.text) : renderBot(m));
  log.scrollTop = log.scrollHeight;
}

async function showError(r: Response): Promise<string> {
  let body: unknown = null;
  try {
    body = await r.json();
  } catch {}
  const error = errorOf(body);
  const code = error?.code;
  const wait = Number(r.headers.get('retry-after') || error?.retryAfter || 30);
  const text =
    code === 'learner_session_expired'
      ? t.sessionEnded
      : code === 'rate_limited' || r.status === 429
        ? t.rateLimited.replace('{n}', String(wait))
        : code === 'forbidden_origin' || code === 'unknown_site_key' || r.status === 403
          ? t.forbidden
          : t.failed;
  showNotice(text);
  announce(text);
  if (code === 'forbidden_origin' || code === 'unknown_site_key') refuse();
  return text;
}

/** The page may not use this key: say so politely, and take no more questions. */
function refuse() {
  form.hidden = true;
  log.hidden = true;
  notice.classList.add('refused');
}

async function ask(question: string) {
  question = question.trim();
  if (!question || busy) return;
  showNotice('');
  if (!navigator.onLine) {
    showNotice(t.offline);
    announce(t.offline);
    return;
  }
  busy = true;
  sendButton.disabled = true;
  input.value = '';
  const userMessage: Message = { role: 'user', text: question };
  const userBox = renderUser(question);
  log.append(userBox);
  const bot: Message = { role: 'bot', text: '' };
  let sources: Cite[] = [];
  const box = make('article', 'msg bot pending');
  box.setAttribute('aria-busy', 'true');
  const body = make('div', 'body', t.searching);
  box.append(body);
  log.append(box);
  log.scrollTop = log.scrollHeight;
  announce(t.searching);
  let failed = false;
  try {
    const r = await fetch('/api/chat', {
      method: 'POST',
      headers: { ...headers(), accept: 'text/event-stream' },
      body: JSON.stringify({ message: question, lang, ...(state.conversationId ? { conversationId: state.conversationId } : {}) }),
    });
    if (r.status === 404 && state.conversationId) {
      // The conversation is gone (e.g. the server's data was reset): start a new one.
      state.conversationId = undefined;
      busy = false;
      sendButton.disabled = false;
      box.remove();
      userBox.remove();
      return ask(question);
    }
    if (!r.ok || !r.body) {
      failed = true;
      box.remove();
      await showError(r);
      input.value = question;
    } else {
      await readEvents(r, (event) => {
        if (event.type === 'meta') {
          state.conversationId = event.conversationId;
          bot.id = event.messageId;
        } else if (event.type === 'sources') sources = event.sources;
        else if (event.type === 'reset') {
          bot.text = '';
          body.textContent = '';
        } else if (event.type === 'delta') {
          bot.text += event.text;
          renderBody(body, bot, sources);
          log.scrollTop = log.scrollHeight;
        } else if (event.type === 'done') {
          bot.text = event.answer;
          bot.cites = event.citations.map((c) => ({
            n: c.n,
            title: c.title,
            page: c.page,
            headingPath: c.headingPath,
            link: c.link,
            ...(c.sharedFrom && { sharedFrom: c.sharedFrom }),
          }));
          bot.answerable = event.answerable;
          if (event.mode === 'verified') bot.verified = true;
        } else if (event.type === 'error') failed = true;
      });
      if (failed || bot.answerable === undefined) {
        box.remove();
        showNotice(t.failed);
        announce(t.failed);
        failed = true;
      }
    }
  } catch {
    failed = true;
    box.remove();
    const text = navigator.onLine ? t.network : t.offline;
    showNotice(text);
    announce(text);
    input.value = question;
  }
  if (!failed) {
    state.messages.push(userMessage, bot);
    save();
    box.replaceWith(renderBot(bot));
    announce(
      `${bot.answerable === false ? t.notCovered + '. ' : ''}${bot.verified ? t.verified + '. ' : ''}${bot.text.replace(/\s*\[\d+\]/g, '')}`,
    );
  } else userBox.remove();
  log.scrollTop = log.scrollHeight;
  busy = false;
  sendButton.disabled = false;
  input.focus();
}

form.onsubmit = (e) => {
  e.preventDefault();
  void ask(input.value);
};
input.oninput = () => {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight + 2, 120)}px`;
};
input.onkeydown = (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    void ask(input.value);
  }
};
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && cfg.widget) toParent({ type: 'close' });
});
$('new').onclick = () => {
  state = { messages: [] };
  save();
  showNotice('');
  renderAll();
  announce(t.newStarted);
  input.focus();
};
$('lang').onclick = () => setLang(lang === 'vi' ? 'en' : 'vi');
// Practice mode replaces the conversation until the learner goes back to it.
$('practice').onclick = () => {
  practising = !practising;
  log.hidden = form.hidden = practising;
  $('drill').hidden = !practising;
  labels();
  if (practising)
    void startPractice({ root: $('drill'), t: () => t, headers, storeKey, known: !!learnerToken, make, onError: showError, announce });
  else input.focus();
};
$('theme').onclick = () => setTheme(isDark() ? 'light' : 'dark');
$('close').onclick = () => toParent({ type: 'close' });
$('size').onclick = () => {
  large = !large;
  labels();
  toParent({ type: 'resize', size: large ? 'large' : 'normal' });
};
addEventListener('offline', () => showNotice(t.offline));
addEventListener('online', () => notice.textContent === t.offline && showNotice(''));
addEventListener('message', (e: MessageEvent) => {
  const m: unknown = e.data;
  if (!cfg.parent || e.origin !== cfg.parent || e.source !== window.parent || !isPageMessage(m)) return;
  if (m.type === 'open' || m.type === 'resize') {
    phone = m.phone;
    labels();
    if (m.type === 'open') input.focus();
  } else if (m.type === 'set-lang') setLang(m.lang);
  else if (m.type === 'set-theme') {
    setColor(m.color ?? null);
    setTheme(m.theme ?? null);
  }
});

const learner = learnerToken
  ? learnerPanel({
      token: learnerToken,
      teacher: cfg.lti?.teacher === true,
      headers,
      strings: () => t,
      announce,
      open: (conversationId, messages) => {
        state = { conversationId, messages };
        renderAll();
      },
      reset: () => $('new').click(),
    })
  : undefined;
$('history').onclick = () => learner?.toggle();
setColor(cfg.color);
setTheme(cfg.theme);
labels();
renderAll();
if (!navigator.onLine) showNotice(t.offline);
toParent({ type: 'ready' });
