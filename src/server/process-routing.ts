import type { MiddlewareHandler } from 'hono';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { AppDeps } from './app-deps.js';
import { AppError } from './app-error.js';
import { generationHeader, processHeader } from './process-info.js';

/**
 * Requests that change documents or the indexes (uploads, deletions, re-indexing, package
 * imports): a follower sends them to the writer, the one process that changes the indexes.
 * Everything else (answers, conversations, feedback, accounts, sessions, collections) any
 * process serves: those write only the store, which SQLite serialises.
 */
const writesToForward = [
  /^\/api\/admin\/documents(\/[^/]+(\/reindex)?)?$/,
  /^\/api\/admin\/reindex$/,
  /^\/api\/admin\/collections\/import$/,
];

/** How long a follower waits, after the writer answered a forwarded write, for its own indexes to apply it. */
const catchUpAfterForwardMs = 5000;

const isWrite = (method: string) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/** Headers not passed on between the hops of a forwarded request. */
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function writerUnavailable(cause: string): AppError {
  return new AppError('not_ready', `the writer process is not reachable (${cause}); nothing was changed, try again in a moment`, {
    messageVi: 'Tiến trình ghi dữ liệu đang khởi động lại; chưa có gì thay đổi, hãy thử lại sau giây lát.',
  });
}

/** Sends the request to the writer's loopback address as it came (method, path, headers, body) and returns its response head and body. */
function forward(
  writerUrl: string,
  path: string,
  method: string,
  headers: Record<string, string>,
  body: ReadableStream<Uint8Array> | null,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (!hopByHop.has(name)) outgoing[name] = value;
    const req = httpRequest(new URL(path, writerUrl), { method, headers: outgoing }, resolve);
    req.on('error', reject);
    if (body)
      Readable.fromWeb(body as import('node:stream/web').ReadableStream)
        .on('error', (e) => req.destroy(e))
        .pipe(req);
    else req.end();
  });
}

/**
 * With several processes (`PROCESSES`): names the answering process in `X-Trogiang-Process`; on
 * the writer, tells the store generation a write reached (`X-Trogiang-Generation`); on a
 * follower, forwards index writes to the writer and answers once its own indexes have applied
 * them, so the next search here already sees the upload or the deletion.
 */
export function processRouting(deps: AppDeps): MiddlewareHandler {
  const info = deps.processes!;
  const name = `${info.role}-${info.index}`;
  return async (c, next) => {
    if (info.role === 'follower' && isWrite(c.req.method) && writesToForward.some((p) => p.test(c.req.path))) {
      const writerUrl = info.writerUrl;
      if (!writerUrl) throw writerUnavailable('not started yet');
      let upstream: IncomingMessage;
      try {
        const url = new URL(c.req.url);
        upstream = await forward(writerUrl, url.pathname + url.search, c.req.method, c.req.header(), c.req.raw.body);
      } catch (error) {
        throw writerUnavailable((error as Error).message);
      }
      const generation = Number(upstream.headers[generationHeader]);
      if (Number.isInteger(generation) && generation > 0) await deps.engine.follower?.waitFor(generation, catchUpAfterForwardMs);
      const headers = new Headers();
      for (const [key, value] of Object.entries(upstream.headers)) {
        if (value === undefined || hopByHop.has(key)) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
      }
      headers.set(processHeader, name);
      headers.set(`${processHeader}-forwarded-to`, upstream.headers[processHeader]?.toString() ?? 'writer');
      const status = upstream.statusCode ?? 502;
      const body = status === 204 || status === 304 ? null : (Readable.toWeb(upstream) as ReadableStream<Uint8Array>);
      c.res = new Response(body, { status, headers });
      return;
    }
    await next();
    c.res.headers.set(processHeader, name);
    if (info.role === 'writer' && isWrite(c.req.method)) c.res.headers.set(generationHeader, String(await deps.engine.store.generation()));
  };
}
