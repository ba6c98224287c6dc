import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every response. Pages that may be framed (the chat page) replace
 * `frame-ancestors` with the site key's allowed origins; everything else refuses framing.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('x-content-type-options', 'nosniff');
    h.set('referrer-policy', 'strict-origin-when-cross-origin');
    h.set('cross-origin-opener-policy', 'same-origin');
    h.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
    if (!h.has('content-security-policy')) {
      h.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
      h.set('x-frame-options', 'DENY');
    }
  };
}
