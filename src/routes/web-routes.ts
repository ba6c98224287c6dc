import { Hono, type Context } from 'hono';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../server/app-deps.js';
import { escapeHtml } from '../text/index.js';
import { requestOrigin } from '../server/request-origin.js';
import { isOriginAllowed, normalizeOrigin, type SiteKey } from '../store/index.js';
import type { EmbedConfig } from '../contract/index.js';

/** The built front end (`npm run build` writes it; it is committed, so a fresh clone serves it). */
export const defaultDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const pageCsp = (frameAncestors: string) =>
  `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; form-action 'none'; base-uri 'none'; frame-ancestors ${frameAncestors}`;

const types: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/**
 * A small, polite page in both languages, shown inside the iframe instead of the chat. On a
 * phone the frame is full screen and the loader puts its own close button over the top corner
 * (this page has no script to close it): the text starts below it. The media query matches the
 * loader's full-screen frame (under 520 px wide, or under 500 px high), not its 380 × 600 panel.
 */
function refusalPage(vi: string, en: string): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Trợ giảng</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:0;padding:24px 16px;color:#1c1e21;background:#fff}p{margin:0 0 12px}.en{color:#5f6670}
@media (prefers-color-scheme:dark){body{background:#15171a;color:#e9ebee}.en{color:#a8afb8}}
@media (max-width:519px) and (min-height:601px),(max-height:499px){body{padding-top:68px}}</style></head>
<body><main role="alert"><p>${escapeHtml(vi)}</p><p class="en" lang="en">${escapeHtml(en)}</p></main></body></html>`;
}

export interface WebRoutesOptions {
  /** Where the built files are; `web/dist` by default. */
  distDir?: string;
}

/**
 * The web front end: `/widget.js` (the loader centers paste), `/embed` (the chat page in the
 * iframe, framable only by the site key's allowed origins), `/admin` (teachers' page) and
 * `/demo` (an LMS-like course page with the widget, on a "Demo" site key created on first use).
 */
export function webRoutes(deps: AppDeps, options: WebRoutesOptions = {}): Hono {
  const app = new Hono();
  const dist = options.distDir ?? defaultDistDir;
  const cache = new Map<string, { text: string; version: string }>();
  const file = (name: string) => {
    let entry = cache.get(name);
    if (!entry) {
      const text = readFileSync(`${dist}/${name}`, 'utf8');
      entry = { text, version: createHash('sha256').update(text).digest('hex').slice(0, 12) };
      cache.set(name, entry);
    }
    return entry;
  };
  /** HTML with its own assets' URLs versioned, so they can be cached for long. */
  const html = (name: string) =>
    file(name).text.replace(
      /(src|href)="\/(embed|admin)\.(js|css)"/g,
      (_m, attr: string, base: string, ext: string) => `${attr}="/${base}.${ext}?v=${file(`${base}.${ext}`).version}"`,
    );

  const asset =
    (name: string, extra: Record<string, string> = {}) =>
    (c: Context) => {
      const { text, version } = file(name);
      const ext = name.split('.').pop()!;
      c.header('content-type', types[ext]!);
      c.header('cache-control', c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      c.header('etag', `"${version}"`);
      for (const [k, v] of Object.entries(extra)) c.header(k, v);
      if (c.req.header('if-none-match') === `"${version}"`) return c.body(null, 304);
      return c.body(text);
    };

  app.get('/widget.js', asset('widget.js', { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' }));
  app.get('/embed.js', asset('embed.js'));
  app.get('/embed.css', asset('embed.css'));
  app.get('/admin.js', asset('admin.js'));
  app.get('/admin.css', asset('admin.css'));

  app.get('/embed', async (c) => {
    const q = (name: string, max: number) => (c.req.query(name) ?? '').trim().slice(0, max) || null;
    const siteValue = q('site', 100);
    const siteKey: SiteKey | null = siteValue ? ((await deps.engine.store.siteKeys.get(siteValue)) ?? null) : null;
    c.header('cache-control', 'no-store');
    if (siteValue && !siteKey) {
      c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors *");
      return c.html(
        refusalPage(
          'Xin lỗi, mã nhúng trợ giảng này không còn hiệu lực. Vui lòng báo cho trung tâm để được cấp lại.',
          'Sorry, this study assistant embed code is no longer valid. Please tell the center so they can issue a new one.',
        ),
        403,
      );
    }
    if (siteKey && (await deps.engine.store.sharing.centerStatus(siteKey.centerId)) === 'suspended') {
      c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors *");
      return c.html(
        refusalPage(
          'Xin lỗi, trung tâm này đang tạm ngưng nên trợ giảng tạm thời không dùng được. Vui lòng liên hệ trung tâm.',
          'Sorry, this center is suspended, so its study assistant is not available for now. Please contact the center.',
        ),
        403,
      );
    }
    const parentValue = q('parent', 300);
    const parent = parentValue ? (normalizeOrigin(parentValue) ?? null) : null;
    // The demo key is also usable on this server's own pages (/demo), at any address they are
    // reached by: 'self' is checked by the browser, and nothing here is stored.
    const ownPages = siteKey !== null && siteKey.key === (await findDemoKey())?.key;
    const allowed = (origin: string | null) =>
      siteKey !== null && (isOriginAllowed(siteKey, origin) || (ownPages && origin === requestOrigin(c)));
    if (siteKey && parentValue && !allowed(parent)) {
      // The loader says which page it runs on; a page the key does not allow gets a polite
      // refusal (framable anywhere, it holds nothing). A loader that lies is still stopped by
      // `frame-ancestors` below, and the plain iframe without `parent` too.
      c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors *");
      return c.html(
        refusalPage(
          'Xin lỗi, trang này chưa được trung tâm cho phép dùng trợ giảng, nên trợ giảng không thể trả lời ở đây. Vui lòng liên hệ trung tâm để được hỗ trợ.',
          'Sorry, the center has not allowed this page to use the study assistant, so it cannot answer here. Please contact the center for help.',
        ),
        403,
      );
    }
    const origins = siteKey ? [...(ownPages ? ["'self'"] : []), ...siteKey.allowedOrigins] : ["'self'"];
    const ancestors = origins.length ? origins.join(' ') : "'none'";
    const lang = q('lang', 2) === 'en' || q('lang', 2) === 'vi' ? (q('lang', 2) as 'vi' | 'en') : (siteKey?.lang ?? 'vi');
    const color = q('color', 7);
    const theme = q('theme', 5);
    const config = {
      site: siteKey?.key ?? null,
      title: q('title', 120) ?? siteKey?.title ?? null,
      welcome: q('welcome', 500) ?? (siteKey?.welcomeText || null),
      starters: siteKey?.starterQuestions ?? [],
      color: color && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color : (siteKey?.color ?? null),
      lang,
      theme: theme === 'light' || theme === 'dark' ? theme : null,
      parent: parent && allowed(parent) ? parent : null,
      widget: c.req.query('widget') === '1',
    } satisfies EmbedConfig;
    c.header('content-security-policy', pageCsp(ancestors));
    const json = JSON.stringify(config)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
    return c.html(
      html('embed.html')
        .replace('__TG_LANG__', lang)
        .replace('__TG_CONFIG__', () => json),
    );
  });

  app.get('/admin', (c) => {
    c.header('content-security-policy', pageCsp("'none'"));
    c.header('x-frame-options', 'DENY');
    c.header('cache-control', 'no-store');
    return c.html(html('admin.html'));
  });

  /**
   * The "Demo" site key (recorded in the settings; before that, the key titled "Demo"). Its stored
   * origin comes from `PUBLIC_URL` or the address the server listens on, never from a request: it
   * used to be taken from the `Host` header and saved on every anonymous `GET /demo`, so twenty
   * forged hosts pushed the real origin out of the list. The page still works at whatever address
   * a browser reaches it by, as /embed lets this key be framed by this server's own pages ('self').
   */
  const findDemoKey = async (): Promise<SiteKey | undefined> => {
    const store = deps.engine.store;
    const saved = await store.getSetting('demo.siteKey');
    return (saved ? await store.siteKeys.get(saved) : undefined) ?? (await store.siteKeys.list()).find((k) => k.title === 'Demo');
  };
  /** The key being made by the first request that found none, so requests arriving meanwhile share it. */
  let creatingDemoKey: Promise<SiteKey> | undefined;
  const demoKey = async (): Promise<SiteKey> => {
    const existing = await findDemoKey();
    if (existing) return existing;
    creatingDemoKey ??= createDemoKey().finally(() => {
      creatingDemoKey = undefined;
    });
    return creatingDemoKey;
  };
  const createDemoKey = async (): Promise<SiteKey> => {
    const configured = deps.config.publicUrl ?? deps.state.listenOrigin;
    const origin = configured ? normalizeOrigin(new URL(configured).origin) : undefined;
    // 0.0.0.0 and [::] are where the server listens, never what a browser's page is on.
    const usable = origin && !/^http:\/\/(?:0\.0\.0\.0|\[::\])(?::|$)/.test(origin) ? [origin] : [];
    const created = await deps.engine.store.siteKeys.create({
      title: 'Demo',
      allowedOrigins: usable,
      welcomeText: 'Chào bạn! Mình là trợ giảng của trung tâm. Bạn có thể hỏi bằng tiếng Việt có dấu hoặc không dấu.',
      starterQuestions: ['Học phí một tháng là bao nhiêu?', 'Làm sao để gõ tiếng Việt có dấu?'],
      lang: 'vi',
    });
    await deps.engine.store.setSetting('demo.siteKey', created.key);
    deps.logger.info('created the "Demo" site key for /demo');
    return created;
  };

  app.get('/demo', async (c) => {
    const key = await demoKey();
    c.header(
      'content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    c.header('cache-control', 'no-store');
    return c.html(file('demo.html').text.replace('__TG_SITE_KEY__', escapeHtml(key.key)));
  });

  return app;
}
