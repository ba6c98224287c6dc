import { Hono } from 'hono';
import { loadDocument } from '../ingest/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { headingAnchor } from './links.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/**
 * `GET /docs/:id`: the source of a citation. PDFs and page scans (PNG, JPEG) are sent as they are
 * (the link's `#page=N` opens the page); other formats are re-read by the loaders and shown as clean HTML, with an
 * anchor on every heading, so no script or style of an uploaded file ever runs here.
 */
export function docsRoute(deps: AppDeps): Hono {
  const app = new Hono();
  app.get('/docs/:id', async (c) => {
    const id = c.req.param('id');
    const doc = deps.engine.store.getDocument(id);
    const source = doc && deps.engine.store.getDocumentSource(id);
    if (!doc || !source) throw new AppError('not_found', 'no such document');
    if (doc.format === 'pdf') {
      c.header('content-type', 'application/pdf');
      c.header('content-disposition', `inline; filename="${encodeURIComponent(doc.fileName)}"`);
      c.header('content-security-policy', "default-src 'none'; frame-ancestors 'self'");
      c.header('cache-control', 'private, max-age=300');
      return c.body(new Uint8Array(source));
    }
    if (doc.format === 'image') {
      // A page scan is shown as it is: reading it again by OCR on every view would take seconds.
      const bytes = new Uint8Array(source);
      c.header('content-type', bytes[0] === 0x89 ? 'image/png' : 'image/jpeg');
      c.header('content-security-policy', "default-src 'none'; frame-ancestors 'self'");
      c.header('cache-control', 'private, max-age=300');
      return c.body(bytes);
    }
    const loaded = await loadDocument(new Uint8Array(source), doc.fileName, { maxBytes: Number.MAX_SAFE_INTEGER, maxPages: Number.MAX_SAFE_INTEGER });
    const used = new Map<string, number>();
    const body = loaded.blocks
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
    c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
    return c.html(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>body{font:16px/1.6 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}
h1,h2,h3{line-height:1.3}:target{background:#fff3c4;scroll-margin-top:1rem}
@media (prefers-color-scheme:dark){body{background:#151515;color:#e8e8e8}:target{background:#4a3d00}}</style></head>
<body><p><small>${escapeHtml(doc.fileName)}</small></p>
${body}
</body></html>`);
  });
  return app;
}
