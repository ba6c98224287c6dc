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
    }
    // Older browsers ignore `frame-ancestors`: give them the X-Frame-Options it can express
    // (pages setting their own CSP, such as /demo and /docs/:id, went without it). An allow-list
    // of origins (/embed on a site key) has no equivalent, and DENY there would break the widget.
    const ancestors = /(?:^|;)\s*frame-ancestors\s+([^;]*)/i.exec(h.get('content-security-policy')!)?.[1]?.trim();
    // A policy that forgot `frame-ancestors` allows every framer: deny then, rather than allow.
    if (ancestors === undefined || ancestors === "'none'") h.set('x-frame-options', 'DENY');
    else if (ancestors === "'self'") h.set('x-frame-options', 'SAMEORIGIN');
  };
}
