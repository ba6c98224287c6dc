import type { Context } from 'hono';
import { loadDocument } from '../ingest/index.js';
import type { DocumentRecord } from '../store/index.js';
import { escapeHtml } from '../text/index.js';
import { headingAnchor } from './links.js';

/**
 * Version of the rendered body: part of the cache key (`page-v1-<format>`), so a change to the
 * markup below is picked up by every stored document at its next read. Bump it with the markup.
 */
export const pageRenderVersion = 1;

/** The cache kind of a rendered page of a document in `format`. */
export const pageKind = (format: string) => `page-v${pageRenderVersion}-${format}` as const;

/**
 * The body of a non-PDF source as clean HTML: the loaders re-read it and every block becomes a
 * paragraph or a heading with an anchor (what citations link to), so no script or style of an
 * uploaded file ever runs. Costly on big files (a 10 MB Markdown took 2.4 s): done once per
 * version of a document and stored, never per request.
 */
export async function renderDocumentBody(source: Uint8Array, fileName: string): Promise<string> {
  const loaded = await loadDocument(source, fileName, { maxBytes: Number.MAX_SAFE_INTEGER, maxPages: Number.MAX_SAFE_INTEGER });
  const used = new Map<string, number>();
  return loaded.blocks
    .map((block) => {
      if (block.kind === 'paragraph') return `<p>${escapeHtml(block.text)}</p>`;
      const base = headingAnchor(block.text);
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      const anchor = n === 0 ? base : `${base}-${n + 1}`;
      const level = Math.min(6, Math.max(1, block.level));
      return `<h${level} id="${anchor}">${escapeHtml(block.text)}</h${level}>`;
    })
    .join('\n');
}

const style = `body{font:16px/1.6 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}
h1,h2,h3{line-height:1.3}:target{background:#fff3c4;scroll-margin-top:1rem}a{color:#0b57d0}
@media (prefers-color-scheme:dark){body{background:#151515;color:#e8e8e8}:target{background:#4a3d00}a{color:#8ab4f8}}`;

/** What goes before and after a document's stored body (its title and file name are per document, the body per content). */
export function documentPageShell(doc: Pick<DocumentRecord, 'title' | 'fileName'>): { head: string; tail: string } {
  return {
    head: `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${style}</style></head>
<body><p><small>${escapeHtml(doc.fileName)}</small></p>
`,
    tail: `
</body></html>`,
  };
}

/** The learner's language for a page: `?lang=`, else the first of vi/en in Accept-Language, else Vietnamese. */
export function pageLanguage(c: Context): 'vi' | 'en' {
  const asked = c.req.query('lang');
  if (asked === 'vi' || asked === 'en') return asked;
  const ranked = (c.req.header('accept-language') ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(/q=([\d.]+)/.exec(params.join(';'))?.[1] ?? '1');
      return { lang: tag!.split('-')[0], q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((x) => (x.lang === 'vi' || x.lang === 'en') && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked[0]?.lang === 'en' ? 'en' : 'vi';
}

const messages = {
  removed: {
    vi: {
      title: 'Tài liệu không còn nữa',
      lead: 'Tài liệu bạn mở từ câu trả lời đã được trung tâm gỡ xuống hoặc thay bằng bản khác, nên không xem được nữa.',
      next: 'Bạn có thể đóng thẻ này để quay lại cuộc trò chuyện và hỏi lại: trợ giảng sẽ trả lời theo tài liệu hiện có.',
      back: 'Quay lại trợ giảng',
    },
    en: {
      title: 'This document is no longer available',
      lead: 'The document you opened from an answer has been removed by the center, or replaced by another version, so it cannot be shown.',
      next: 'You can close this tab to return to the conversation and ask again: the assistant will answer from the current materials.',
      back: 'Back to the assistant',
    },
  },
  unreadable: {
    vi: {
      title: 'Không hiển thị được tài liệu',
      lead: 'Tài liệu này không còn đọc được bằng phiên bản trợ giảng hiện tại.',
      next: 'Hãy báo cho trung tâm để tải tài liệu lên lại. Bạn có thể đóng thẻ này để quay lại cuộc trò chuyện.',
      back: 'Quay lại trợ giảng',
    },
    en: {
      title: 'This document cannot be shown',
      lead: 'This document can no longer be read by the current version of the assistant.',
      next: 'Please tell the center so they can upload it again. You can close this tab to return to the conversation.',
      back: 'Back to the assistant',
    },
  },
} as const;

/**
 * A small page in the learner's language instead of a JSON error, for a citation whose document
 * is gone (deleted, or its id changed) or cannot be shown. The way back is the page the link was
 * clicked on (the chat iframe, the demo or admin page) when it is on this server; citations open
 * in a new tab, so the page also says that closing it returns to the conversation.
 */
export function documentProblemPage(c: Context, problem: keyof typeof messages, ownOrigin: string): string {
  const lang = pageLanguage(c);
  const text = messages[problem][lang];
  let back: string | undefined;
  try {
    const referer = new URL(c.req.header('referer') ?? '');
    if (referer.origin === ownOrigin && !referer.pathname.startsWith('/docs/')) back = referer.pathname + referer.search;
  } catch {
    // no referer, or not a URL: no link
  }
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(text.title)}</title>
<style>${style}main{margin-top:3rem}.muted{color:#5f6670}@media (prefers-color-scheme:dark){.muted{color:#a8afb8}}</style></head>
<body><main role="alert"><h1>${escapeHtml(text.title)}</h1>
<p>${escapeHtml(text.lead)}</p>
<p class="muted">${escapeHtml(text.next)}</p>
${back ? `<p><a id="back" href="${escapeHtml(back)}">← ${escapeHtml(text.back)}</a></p>` : ''}
</main></body></html>`;
}
