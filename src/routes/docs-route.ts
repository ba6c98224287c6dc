import { Hono, type Context } from 'hono';
import { IngestError } from '../ingest/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { clientIp } from '../server/client-ip.js';
import { ConcurrencyGate } from '../server/concurrency-gate.js';
import { requestOrigin } from '../server/request-origin.js';
import { isDiskFull, type BlobKind, type BlobStore, type DocumentRecord } from '../store/index.js';
import { parseByteRange } from './byte-range.js';
import { mayOpenDocument } from './document-access.js';
import { documentPageShell, documentProblemPage, pageKind, renderDocumentBody } from './document-page.js';

/** Responses of `/docs` one client address may have open at once (a browser opens up to 6 per host). */
const perClient = 6;
/** All `/docs` responses open at once: each holds at most a few 64 KB parts. */
const overall = 256;

const pdfCsp = "default-src 'none'; frame-ancestors 'self'";
const pageCsp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'";

/** A page scan's type from its first bytes (its name may say otherwise). */
function imageType(bytes: Uint8Array | undefined): string {
  return bytes?.[0] === 0x89 ? 'image/png' : 'image/jpeg';
}

/**
 * A stream of stored bytes `[start, end)` between an optional head and tail, read one part at a
 * time as the client takes them (Node writes a part, waits for `drain`, then asks for the next):
 * memory per connection is a part or two, however large the file and however slow the reader.
 * A blob deleted or replaced mid-way ends the stream with an error (the connection is cut, and
 * the Content-Length tells the client it is incomplete) rather than splicing two versions.
 */
function blobStream(
  blobs: BlobStore,
  hash: string,
  kind: BlobKind,
  start: number,
  end: number,
  done: () => void,
  cut: () => boolean,
  head = '',
  tail = '',
): ReadableStream<Uint8Array> {
  let offset = start;
  let headSent = head === '';
  let tailSent = tail === '';
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headSent) {
          headSent = true;
          controller.enqueue(Buffer.from(head));
          return;
        }
        if (offset < end) {
          const part = await blobs.readFrom(hash, kind, offset);
          if (!part) {
            done();
            // Cutting the connection ourselves keeps the adapter from printing a stack trace.
            if (cut()) controller.close();
            else controller.error(new Error('the document changed while it was being sent'));
            return;
          }
          const piece = part.length > end - offset ? part.subarray(0, end - offset) : part;
          offset += piece.length;
          controller.enqueue(piece);
          return;
        }
        if (!tailSent) {
          tailSent = true;
          controller.enqueue(Buffer.from(tail));
          return;
        }
        done();
        controller.close();
      },
      cancel() {
        done();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * `GET /docs/:id`: the source of a citation, for anyone holding the link. PDFs are streamed from
 * the stored parts (with `Range` support, so a PDF viewer can fetch pages); other formats are
 * shown as clean HTML rendered once per version and stored, then streamed the same way. Both
 * used to cost per request what an anonymous client chose: a whole copy of the file in memory
 * (27 MB per connection) and a full re-parse (2.4 s of blocked event loop for a 10 MB Markdown).
 * Requests are rate-limited per address like the learner API, and each address may hold at most
 * `perClient` responses open. A missing document gets a page in the learner's language.
 */
export function docsRoute(deps: AppDeps): Hono {
  const app = new Hono();
  const store = deps.engine.store;
  const gate = new ConcurrencyGate(perClient, overall);
  /** Renders in progress, by cache key: concurrent first readers share one. */
  const rendering = new Map<string, Promise<number | undefined>>();
  /** One render at a time: each blocks the event loop while it parses. */
  let renderQueue: Promise<unknown> = Promise.resolve();

  /** The stored size of a document's rendered page, rendering and storing it first when needed. */
  const renderedSize = async (doc: DocumentRecord): Promise<number | undefined> => {
    const kind = pageKind(doc.format);
    const stored = await store.blobs.size(doc.contentHash, kind);
    if (stored !== undefined) return stored;
    const key = `${doc.contentHash}:${kind}`;
    let pending = rendering.get(key);
    if (!pending) {
      pending = renderQueue
        .catch(() => undefined)
        .then(async () => {
          const again = await store.blobs.size(doc.contentHash, kind);
          if (again !== undefined) return again;
          const source = (await store.blobs.readAll(doc.contentHash, 'source')) ?? (await store.getDocumentSource(doc.id));
          if (!source) return undefined;
          deps.metrics.documentRenders.inc();
          const body = Buffer.from(await renderDocumentBody(source, doc.fileName));
          try {
            if (await store.blobs.putDerived(doc.contentHash, kind, body)) return body.length;
          } catch (error) {
            if (!isDiskFull(error)) throw error;
            deps.logger.warn({ document: doc.id }, 'disk full: the rendered document is not cached');
          }
          // Not stored (deleted meanwhile, or no room): kept in memory, a few at most.
          if (inline.size >= 8) inline.delete(inline.keys().next().value!);
          inline.set(key, body);
          return body.length;
        })
        .finally(() => rendering.delete(key));
      renderQueue = pending;
      rendering.set(key, pending);
    }
    return pending;
  };
  /** Rendered bodies that could not be stored (a full disk), served from memory meanwhile. */
  const inline = new Map<string, Buffer>();

  const problem = (c: Context, which: 'removed' | 'unreadable', status: 404 | 422) => {
    // API clients asking for JSON keep the coded error; a browser following a citation gets a page.
    const accept = c.req.header('accept') ?? '';
    if (accept.includes('application/json') && !accept.includes('text/html')) throw new AppError('not_found', 'no such document');
    c.header('content-security-policy', pageCsp);
    c.header('cache-control', 'no-store');
    return c.html(documentProblemPage(c, which, requestOrigin(c)), status);
  };

  app.get('/docs/:id', async (c) => {
    const ip = clientIp(c, deps.config.trustProxy);
    const found = await store.getDocument(c.req.param('id'));
    // Another center's document (not shared with the asker) answers as a missing one.
    const doc = found && (await mayOpenDocument(c, deps, found)) ? found : undefined;
    if (!doc) return problem(c, 'removed', 404);
    /** Cuts the connection (the Node adapter's response); false without one (`app.request()` in tests). */
    const cut = () => {
      const outgoing = (c.env as { outgoing?: { destroy(): void } } | undefined)?.outgoing;
      deps.logger.info({ document: doc.id }, 'a document was replaced or deleted while being sent: connection cut');
      outgoing?.destroy();
      return outgoing !== undefined;
    };
    // PDFs and page scans (PNG, JPEG) are sent as they are; other formats as a rendered page.
    const asIs = doc.format === 'pdf' || doc.format === 'image';
    const etag = `"${doc.contentHash.slice(0, 32)}${asIs ? '' : `-${pageKind(doc.format)}`}"`;
    const range = asIs ? parseByteRange(c.req.header('range'), doc.bytes) : undefined;
    const ifRange = c.req.header('if-range');
    const useRange = range !== undefined && (ifRange === undefined || ifRange === etag);

    // A PDF viewer fetches one document in many ranges: only whole reads spend the rate limit.
    // Links are opened by navigation (no browser id), so the bucket is the address's: sized like the
    // per-address cap of the learner routes, so a computer room behind one address can open sources.
    if (!useRange) {
      const wait = await deps.limiter.take(`docs:${ip}`, deps.config.limits.ratePerIpPerMinute);
      if (wait > 0) {
        deps.metrics.rateLimited.inc({ scope: 'ip' });
        throw new AppError(
          'rate_limited',
          'too many documents opened from this address; please wait a moment',
          { retryAfter: wait },
          { 'retry-after': String(wait) },
        );
      }
    }
    c.header('etag', etag);
    c.header('cache-control', 'private, max-age=300');
    if (c.req.header('if-none-match') === etag) return c.body(null, 304);

    const leave = gate.enter(ip);
    if (!leave) {
      throw new AppError(
        'rate_limited',
        'too many documents are being downloaded from this address at once; please wait for them to finish',
        { retryAfter: 1 },
        { 'retry-after': '1' },
      );
    }
    let streaming = false;
    try {
      if (asIs) {
        c.header(
          'content-type',
          doc.format === 'pdf'
            ? 'application/pdf'
            : imageType((await store.blobs.readFrom(doc.contentHash, 'source', 0)) ?? (await store.getDocumentSource(doc.id))),
        );
        c.header('content-disposition', `inline; filename="${encodeURIComponent(doc.fileName)}"`);
        c.header('content-security-policy', pdfCsp);
        c.header('accept-ranges', 'bytes');
        if (range === 'unsatisfiable' && useRange) {
          c.header('content-range', `bytes */${doc.bytes}`);
          return c.body(null, 416);
        }
        const { start, end } = useRange && range !== 'unsatisfiable' ? range! : { start: 0, end: doc.bytes };
        const status = useRange ? 206 : 200;
        if (useRange) c.header('content-range', `bytes ${start}-${end - 1}/${doc.bytes}`);
        c.header('content-length', String(end - start));
        if (c.req.method === 'HEAD') return c.body(null, status);
        // A source not yet moved into parts (see SqliteStore.moveSourcesIntoParts) is sent from the column.
        if ((await store.blobs.size(doc.contentHash, 'source')) === undefined) {
          const legacy = await store.getDocumentSource(doc.id);
          if (!legacy) return problem(c, 'removed', 404);
          return c.body(new Uint8Array(legacy.subarray(start, end)), status);
        }
        streaming = true;
        return c.body(blobStream(store.blobs, doc.contentHash, 'source', start, end, leave, cut), status);
      }

      const kind = pageKind(doc.format);
      let size: number | undefined;
      try {
        size = await renderedSize(doc);
      } catch (error) {
        if (error instanceof IngestError) return problem(c, 'unreadable', 422);
        throw error;
      }
      if (size === undefined) return problem(c, 'removed', 404);
      const { head, tail } = documentPageShell(doc);
      c.header('content-type', 'text/html; charset=utf-8');
      c.header('content-security-policy', pageCsp);
      c.header('content-length', String(Buffer.byteLength(head) + size + Buffer.byteLength(tail)));
      if (c.req.method === 'HEAD') return c.body(null, 200);
      const key = `${doc.contentHash}:${kind}`;
      const held = inline.get(key);
      if (held && (await store.blobs.size(doc.contentHash, kind)) === undefined)
        return c.body(Buffer.concat([Buffer.from(head), held, Buffer.from(tail)]));
      inline.delete(key);
      streaming = true;
      return c.body(blobStream(store.blobs, doc.contentHash, kind, 0, size, leave, cut, head, tail));
    } finally {
      // A stream gives its place back when it ends or the client leaves; anything else now.
      if (!streaming) leave();
    }
  });
  return app;
}
