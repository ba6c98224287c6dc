import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from './app-error.js';

// Origins by URL prefix up to the path: a server sees few distinct hosts, and parsing a URL costs
// more than a map lookup on every learner request. Bounded, as the Host header is the client's.
const origins = new Map<string, string>();

/** The origin (`http://host:port`) of the request's own URL, as `new URL(c.req.url).origin`. */
export function requestOrigin(c: Context): string {
  const url = c.req.url;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  const prefix = pathStart < 0 ? url : url.slice(0, pathStart);
  let origin = origins.get(prefix);
  if (origin === undefined) {
    origin = new URL(url).origin;
    if (origins.size >= 1000) origins.clear();
    origins.set(prefix, origin);
  }
  return origin;
}

// A host name (letters, digits, `-`, `_`, dots) or a bracketed IPv6 address, with an optional port.
const validHost = /^(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Refuses a request whose `Host` header is not a host name (400 `bad_host`). The URL parser lets
 * `;`, quotes and the like through, and links, origin checks and CSP headers are built from the
 * request's URL: a forged `a;b` used to reach the demo page's site-key update and end as a 500.
 */
export function hostCheck(): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    if (host !== undefined && !validHost.test(host)) {
      throw new AppError('bad_host', 'the Host header is not a valid host name');
    }
    await next();
  };
}
