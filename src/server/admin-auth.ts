import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type pino from 'pino';
import type { Actor, AuthService } from '../auth/index.js';
import { AppError } from './app-error.js';
import { clientIp } from './client-ip.js';
import { checkSameOrigin } from './csrf-guard.js';
import { auditActionFor } from './request-actor.js';
import { clearSessionCookie, readSessionCookie } from './session-cookie.js';

/** Compares secrets in constant time (hashing first, so lengths do not leak either). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Accounts for `adminAuth`: without them only the bearer token is accepted. */
export interface AdminSessionOptions {
  auth: AuthService;
  trustProxy: boolean;
  publicUrl: string | undefined;
  /** Where a failed audit write is reported. */
  logger?: Pick<pino.Logger, 'warn'>;
}

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>` (the operator), or, given `sessions`, a
 * teacher's session cookie; a cookie-authenticated request that changes state must also pass
 * `checkSameOrigin` (403 `csrf_refused`). Sets the request's `actor` and `auditAction`. A token in
 * the query string is refused even when right: URLs end up in logs, browser history and proxies.
 */
export function adminAuth(token: string, sessions?: AdminSessionOptions): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    // Any parameter named like a token, and the token under any other name (`?admin_token=`,
    // `?key=`…): checking only `token` and `access_token` let the others through with a 200.
    const inUrl = [...url.searchParams].some(([name, value]) => /token/i.test(name) || secretsEqual(value, token));
    if (inUrl) {
      throw new AppError('unauthorized', 'send the admin token in the Authorization header, never in the URL');
    }
    const header = c.req.header('authorization');
    const sessionToken = sessions && header === undefined ? readSessionCookie(c) : undefined;
    let actor: Actor;
    if (sessionToken !== undefined) {
      const found = await sessions!.auth.authenticate(sessionToken);
      if (!found) {
        clearSessionCookie(c);
        throw new AppError('unauthorized', 'your session has ended: log in again', {
          reason: 'session_expired',
          messageVi: 'Phiên đăng nhập đã hết: hãy đăng nhập lại.',
        });
      }
      checkSameOrigin(c, sessions!);
      actor = found;
    } else {
      const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
      if (!match || !secretsEqual(match[1]!, token)) {
        throw new AppError('unauthorized', 'a valid admin token is required', undefined, { 'www-authenticate': 'Bearer' });
      }
      actor = { kind: 'token' };
    }
    c.set('actor', actor);
    if (!sessions) return next();
    const warn = (error: unknown, action: string) =>
      sessions.logger?.warn({ err: error, action, requestId: c.get('requestId') }, 'could not write the audit log');
    const audit = auditActionFor(sessions.auth, actor, clientIp(c, sessions.trustProxy), warn, () => c.get('centerId'));
    c.set('auditAction', audit);
    try {
      await next();
    } finally {
      // The response leaves only once what it did is in the audit log (as when the writes were synchronous).
      await audit.written();
    }
  };
}
