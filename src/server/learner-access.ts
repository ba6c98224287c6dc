import type { Context, MiddlewareHandler } from 'hono';
import type { SiteKey, SiteKeyStore } from '../store/index.js';
import { isOriginAllowed } from '../store/index.js';
import { AppError } from './app-error.js';
import { clientIp } from './client-ip.js';
import { requestOrigin } from './request-origin.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';

/** What the learner API knows about the caller, set by `learnerAccess`. */
export interface LearnerContext {
  siteKey: SiteKey | null;
  ip: string;
}

export type LearnerEnv = { Variables: { learner: LearnerContext; requestId: string } };

export interface LearnerAccessOptions {
  siteKeys: SiteKeyStore;
  limiter: RateLimiter;
  metrics: Metrics;
  ratePerMinute: number;
  trustProxy: boolean;
}

/** The public site key of a request: the `x-site-key` header, or `?site=` (for the iframe). */
export function requestSiteKey(c: Context): string | undefined {
  return c.req.header('x-site-key') ?? c.req.query('site') ?? undefined;
}

const allowedHeaders = 'content-type, accept, x-site-key';

/**
 * Guards the learner API. A site key must exist; a request from another origin must come from
 * one the key allows (403 otherwise), and only then gets CORS headers. Without a key, only the
 * server's own pages may call (no `Origin`, or this server's). Rate limits apply per IP and per
 * site key, with `Retry-After` on 429. Preflight requests are answered here.
 */
export function learnerAccess(options: LearnerAccessOptions): MiddlewareHandler<LearnerEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const ownOrigin = requestOrigin(c);
    const keyValue = requestSiteKey(c);
    const siteKey = keyValue ? options.siteKeys.get(keyValue) ?? null : null;
    if (keyValue && !siteKey) throw new AppError('unknown_site_key', 'this site key does not exist; ask the center for the embed code again');
    const crossOrigin = origin !== undefined && origin !== ownOrigin;
    // A browser's preflight never carries `x-site-key`: it passes when some key allows the page,
    // and the request that follows is checked against its own key (see docs/security.md).
    const preflightWithoutKey = c.req.method === 'OPTIONS' && !keyValue;
    const allowed = siteKey ? isOriginAllowed(siteKey, origin) : preflightWithoutKey && origin !== undefined && options.siteKeys.anyAllowsOrigin(origin);
    if (crossOrigin && !allowed) {
      throw new AppError('forbidden_origin', `this page (${origin}) may not use the assistant with this site key`);
    }
    if (crossOrigin) {
      c.header('access-control-allow-origin', origin!);
      c.header('vary', 'Origin');
      c.header('access-control-allow-headers', allowedHeaders);
      c.header('access-control-allow-methods', 'GET, POST, OPTIONS');
      c.header('access-control-max-age', '600');
    }
    if (c.req.method === 'OPTIONS') return c.body(null, 204);
    const ip = clientIp(c, options.trustProxy);
    const ipWait = options.limiter.take(`ip:${ip}`, options.ratePerMinute);
    if (ipWait > 0) {
      options.metrics.rateLimited.inc({ scope: 'ip' });
      throw new AppError('rate_limited', 'too many questions from this address; please wait a moment', { retryAfter: ipWait }, { 'retry-after': String(ipWait) });
    }
    if (siteKey) {
      const keyWait = options.limiter.take(`key:${siteKey.key}`, siteKey.rateLimitPerMinute, Math.max(1, Math.ceil(siteKey.rateLimitPerMinute / 2)));
      if (keyWait > 0) {
        options.metrics.rateLimited.inc({ scope: 'site_key' });
        throw new AppError('rate_limited', 'this site is receiving too many questions; please wait a moment', { retryAfter: keyWait }, { 'retry-after': String(keyWait) });
      }
    }
    c.set('learner', { siteKey, ip });
    await next();
  };
}
