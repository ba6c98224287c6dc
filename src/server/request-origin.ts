import type { Context } from 'hono';

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
