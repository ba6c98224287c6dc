import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from './app-error.js';

/** Compares secrets in constant time (hashing first, so lengths do not leak either). */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Requires `Authorization: Bearer <ADMIN_TOKEN>`. A token in the query string is refused even
 * when right: URLs end up in logs, browser history and proxies.
 */
export function adminAuth(token: string): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    // Any parameter named like a token, and the token under any other name (`?admin_token=`,
    // `?key=`…): checking only `token` and `access_token` let the others through with a 200.
    const inUrl = [...url.searchParams].some(([name, value]) => /token/i.test(name) || secretsEqual(value, token));
    if (inUrl) {
      throw new AppError('unauthorized', 'send the admin token in the Authorization header, never in the URL');
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !secretsEqual(match[1]!, token)) {
      throw new AppError('unauthorized', 'a valid admin token is required', undefined, { 'www-authenticate': 'Bearer' });
    }
    await next();
  };
}
