/**
 * The widget loader (`/widget.js`). Centers paste:
 *   <script src="https://HOST/widget.js" data-site-key="…" data-lang="vi" data-title="…"
 *           data-color="#…" data-position="right" data-welcome="…" data-user-token="…" async></script>
 * `data-user-token`: a short-lived HS256 JWT the host page signs for its signed-in user (docs/lti.md);
 * it travels in the iframe URL's fragment, which is never sent to a server.
 * It adds a launcher button and an iframe to `HOST/embed?…`; all UI lives in the iframe.
 * Page ⇄ iframe messages: `{ ns: 'trogiang', type, … }` (frame-messages.ts), origin- and shape-checked on both sides.
 * No dependencies, no globals except `window.trogiang` (open, close, setLang, setTheme).
 */
import { isFrameMessage, type PageMessage } from './frame-messages.js';

/** What the host page's scripts may call. */
interface TrogiangApi {
  open: () => void;
  close: () => void;
  setLang: (lang: string) => void;
  setTheme: (theme: string, color?: string) => void;
}

((w: Window & { trogiang?: TrogiangApi }, d: Document) => {
  const script = d.currentScript as HTMLScriptElement | null;
  if (!script || w.trogiang) return;
  const data = script.dataset;
  const origin = new URL(script.src).origin;
  const right = data.position !== 'left';
  const color = /^#[0-9a-f]{3,6}$/i.test(data.color || '') ? data.color! : '#0b6bcb';
  const vi = (data.lang || 'vi') !== 'en';
  const q = new URLSearchParams({ parent: location.origin });
  for (const k of ['siteKey', 'lang', 'title', 'color', 'welcome', 'theme']) {
    const v = data[k];
    if (v) q.set(k === 'siteKey' ? 'site' : k, v);
  }
  q.set('widget', '1');

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, css: string) => {
    const e = d.createElement(tag);
    e.style.cssText = css + ';position:fixed;z-index:2147483000;' + (right ? 'right' : 'left') + ':16px;box-sizing:border-box';
    return e;
  };

  const button = el(
    'button',
    `bottom:16px;width:56px;height:56px;border-radius:50%;border:0;background:${color};color:#fff;cursor:pointer;box-shadow:0 2px 10px rgba(0,0,0,.3);padding:0`,
  );
  button.type = 'button';
  const ns = 'http://www.w3.org/2000/svg';
  const svg = d.createElementNS(ns, 'svg');
  const path = d.createElementNS(ns, 'path');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '28');
  svg.setAttribute('aria-hidden', 'true');
  svg.style.cssText = 'fill:currentColor;vertical-align:middle';
  path.setAttribute(
    'd',
    'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9zm4 0v2h2V9zm4 0v2h2V9z',
  );
  svg.append(path);
  button.append(svg);
  button.setAttribute('aria-expanded', 'false');
  const label = vi ? 'Mở trợ giảng' : 'Open the study assistant';
  button.setAttribute('aria-label', data.title ? `${label}: ${data.title}` : label);

  const frame = el('iframe', 'display:none;border:0;background:#fff;box-shadow:0 4px 24px rgba(0,0,0,.3);border-radius:12px');
  frame.title = data.title || (vi ? 'Trợ giảng' : 'Study assistant');
  frame.setAttribute('allow', 'clipboard-write');

  // The loader's own close button, for phones while the chat has not said "ready": a refusal
  // page (this page is not allowed), an error page or a frame the browser blocked cannot post
  // "close", and the launcher is hidden under the full-screen frame. Without it, only reloading
  // the page got the learner out.
  const shut = el(
    'button',
    'top:8px;width:44px;height:44px;border-radius:50%;border:2px solid #fff;background:#1c1e21;color:#fff;cursor:pointer;padding:0;display:none',
  );
  shut.type = 'button';
  const closeLabel = vi ? 'Đóng trợ giảng' : 'Close the study assistant';
  shut.setAttribute('aria-label', closeLabel);
  shut.title = closeLabel;
  const cross = svg.cloneNode() as SVGSVGElement;
  cross.setAttribute('width', '22');
  cross.setAttribute('height', '22');
  const line = d.createElementNS(ns, 'path');
  line.setAttribute('d', 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z');
  cross.append(line);
  shut.append(cross);

  let open = false;
  let large = false;
  let ready = false;
  let loaded = false;
  const post = (m: PageMessage) => frame.contentWindow?.postMessage({ ns: 'trogiang', ...m }, origin);
  const place = () => {
    const s = frame.style;
    const phone = w.innerWidth < 520 || w.innerHeight < 500;
    s.width = phone ? '100%' : large ? 'min(720px, calc(100vw - 32px))' : '380px';
    s.height = phone ? '100%' : large ? 'calc(100vh - 104px)' : 'min(600px, calc(100vh - 104px))';
    s.bottom = phone ? '0' : '84px';
    s[right ? 'right' : 'left'] = phone ? '0' : '16px';
    s.borderRadius = phone ? '0' : '12px';
    // Full screen on phones: the iframe's own close button replaces the launcher, or the
    // loader's until the chat is ready.
    button.style.display = phone && open ? 'none' : '';
    shut.style.display = phone && open && !ready ? 'block' : 'none';
    shut.style[right ? 'right' : 'left'] = '8px';
    return phone;
  };
  const setOpen = (value: boolean) => {
    if (open === value) return;
    open = value;
    button.setAttribute('aria-expanded', String(value));
    frame.style.display = value ? 'block' : 'none';
    if (value) {
      if (!frame.src) frame.src = `${origin}/embed?${q}${data.userToken ? `#ut=${encodeURIComponent(data.userToken)}` : ''}`;
      const phone = place();
      (loaded && !ready ? (phone ? shut : button) : frame).focus();
      post({ type: 'open', phone });
    } else {
      place();
      post({ type: 'close' });
      button.focus();
    }
  };

  button.onclick = () => setOpen(!open);
  shut.onclick = () => setOpen(false);
  // A frame that loaded but never said "ready" holds no chat: keep the keyboard on this page,
  // where Escape closes it (keys pressed inside another origin's frame never reach us).
  frame.addEventListener('load', () =>
    setTimeout(() => {
      loaded = true;
      if (open && !ready && d.activeElement === frame) (place() ? shut : button).focus();
    }, 300),
  );
  w.addEventListener('resize', () => open && post({ type: 'resize', phone: place() }));
  d.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && open) setOpen(false);
  });
  w.addEventListener('message', (e: MessageEvent) => {
    const m: unknown = e.data;
    if (e.origin !== origin || e.source !== frame.contentWindow || !isFrameMessage(m)) return;
    if (m.type === 'ready') {
      ready = true;
      if (open) post({ type: 'open', phone: place() });
    }
    if (m.type === 'close') setOpen(false);
    if (m.type === 'open') setOpen(true);
    if (m.type === 'resize') {
      large = m.size === 'large';
      if (open) place();
    }
  });

  w.trogiang = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    setLang: (lang) => post({ type: 'set-lang', lang }),
    setTheme: (theme, color) => post({ type: 'set-theme', theme, color }),
  };
  const mount = () => d.body.append(frame, button, shut);
  if (d.body) mount();
  else d.addEventListener('DOMContentLoaded', mount);
})(window, document);
