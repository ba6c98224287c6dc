import type { Context, MiddlewareHandler } from 'hono';
import type { LearnerIdentity } from '../lti/index.js';
import type { SiteKey, SiteKeyStore } from '../store/index.js';
import { isOriginAllowed } from '../store/index.js';
import { AppError } from './app-error.js';
import { clientIp } from './client-ip.js';
import { requestOrigin } from './request-origin.js';
import type { Metrics } from './metrics.js';
import type { RequestLimiter } from './request-limiter.js';
import type { CenterStatusLookup } from './request-center.js';

/** What the learner API knows about the caller, set by `learnerAccess`. */
export interface LearnerContext {
  siteKey: SiteKey | null;
  ip: string;
  /** A launched (LTI) or signed-in learner: their conversations and collections (`learnerIdentity`). */
  identity?: LearnerIdentity;
}

export type LearnerEnv = { Variables: { learner: LearnerContext; requestId: string } };

export interface LearnerAccessOptions {
  siteKeys: SiteKeyStore;
  limiter: RequestLimiter;
  metrics: Metrics;
  /** Requests a minute per browser (`x-client-id`), or per address for callers without one. */
  ratePerMinute: number;
  /** Requests a minute from one address, whatever browser ids it sends (default 300). */
  ratePerIpPerMinute?: number;
  trustProxy: boolean;
  /** A center's status (a suspended center's site keys are refused); default: every center active. */
  centerStatus?: CenterStatusLookup;
}

/** Refuses (403 `forbidden`, reason `center_suspended`) a learner request for a suspended center. */
export async function refuseSuspendedCenter(centerId: string, centerStatus: CenterStatusLookup | undefined): Promise<void> {
  if ((await centerStatus?.(centerId)) === 'suspended') {
    throw new AppError('forbidden', 'this center is suspended: the assistant is not available on its pages for now', {
      reason: 'center_suspended',
      messageVi: 'Trung tâm này đang bị tạm ngưng: trợ giảng tạm thời không dùng được trên trang của trung tâm.',
    });
  }
}

/** The widget's per-browser id (see web/src/embed/main.ts); anything else is ignored. */
const clientIdShape = /^[\w-]{16,64}$/;

/** The `x-client-id` of a request when well formed, else undefined (counted per address then). */
export function requestClientId(c: Context): string | undefined {
  const value = c.req.header('x-client-id');
  return value !== undefined && clientIdShape.test(value) ? value : undefined;
}

/** The public site key of a request: the `x-site-key` header, or `?site=` (for the iframe). */
export function requestSiteKey(c: Context): string | undefined {
  return c.req.header('x-site-key') ?? c.req.query('site') ?? undefined;
}

const allowedHeaders = 'content-type, accept, x-site-key, x-client-id, x-learner-token';

/**
 * Guards the learner API. A site key must exist; a request from another origin must come from
 * one the key allows (403 otherwise), and only then gets CORS headers. Without a key, only the
 * server's own pages may call (no `Origin`, or this server's). Rate limits, with `Retry-After`
 * on 429: per learner (the browser id the widget sends, or the address when there is none), a
 * higher cap per address (a computer room shares one), and per site key. Preflight requests are
 * answered here. Why a browser id an attacker can change is still worth counting: docs/widget.md.
 */
export function learnerAccess(options: LearnerAccessOptions): MiddlewareHandler<LearnerEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const ownOrigin = requestOrigin(c);
    const keyValue = requestSiteKey(c);
    const siteKey = keyValue ? ((await options.siteKeys.get(keyValue)) ?? null) : null;
    if (keyValue && !siteKey)
      throw new AppError('unknown_site_key', 'this site key does not exist; ask the center for the embed code again');
    if (siteKey) await refuseSuspendedCenter(siteKey.centerId, options.centerStatus);
    const crossOrigin = origin !== undefined && origin !== ownOrigin;
    // A browser's preflight never carries `x-site-key`: it passes when some key allows the page,
    // and the request that follows is checked against its own key (see docs/security.md).
    const preflightWithoutKey = c.req.method === 'OPTIONS' && !keyValue;
    const allowed = siteKey
      ? isOriginAllowed(siteKey, origin)
      : preflightWithoutKey && origin !== undefined && (await options.siteKeys.anyAllowsOrigin(origin));
    if (crossOrigin && !allowed) {
      throw new AppError('forbidden_origin', `this page (${origin}) may not use the assistant with this site key`);
    }
    if (crossOrigin) {
      c.header('access-control-allow-origin', origin!);
      c.header('vary', 'Origin');
      c.header('access-control-allow-headers', allowedHeaders);
      c.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      c.header('access-control-max-age', '600');
    }
    if (c.req.method === 'OPTIONS') return c.body(null, 204);
    const ip = clientIp(c, options.trustProxy);
    const clientId = requestClientId(c);
    const limited = (scope: string, wait: number, message: string) => {
      options.metrics.rateLimited.inc({ scope });
      return new AppError('rate_limited', message, { retryAfter: wait }, { 'retry-after': String(wait) });
    };
    // One learner: a browser id lives inside its address, so ids are never shared across addresses.
    const learnerWait = await options.limiter.take(clientId ? `browser:${ip}|${clientId}` : `ip:${ip}`, options.ratePerMinute);
    if (learnerWait > 0) {
      throw clientId
        ? limited('browser', learnerWait, 'too many questions from this browser; please wait a moment')
        : limited('ip', learnerWait, 'too many questions from this address; please wait a moment');
    }
    // The address cap, counted for every request: inventing browser ids buys at most this much.
    const ipRate = Math.max(options.ratePerIpPerMinute ?? 300, options.ratePerMinute);
    const capWait = await options.limiter.take(`ip-cap:${ip}`, ipRate);
    if (capWait > 0) throw limited('ip_cap', capWait, 'too many questions from this address; please wait a moment');
    if (siteKey) {
      const keyWait = await options.limiter.take(
        `key:${siteKey.key}`,
        siteKey.rateLimitPerMinute,
        Math.max(1, Math.ceil(siteKey.rateLimitPerMinute / 2)),
      );
      if (keyWait > 0) {
        options.metrics.rateLimited.inc({ scope: 'site_key' });
        throw new AppError(
          'rate_limited',
          'this site is receiving too many questions; please wait a moment',
          { retryAfter: keyWait },
          { 'retry-after': String(keyWait) },
        );
      }
    }
    c.set('learner', { siteKey, ip });
    await next();
  };
}
