import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie's name: with the `__Host-` prefix over HTTPS (the browser then insists on
 * Secure, Path=/ and no Domain, so a sibling subdomain cannot plant one), plain over HTTP (a
 * local install, where a Secure cookie would not be kept).
 */
export const sessionCookieName = (secure: boolean): string => (secure ? '__Host-trogiang_session' : 'trogiang_session');

/**
 * True when the browser reached the service over HTTPS: the request's own URL, or behind a
 * trusted proxy (`TRUST_PROXY=true`) its `X-Forwarded-Proto`, or a `PUBLIC_URL` in https.
 */
export function isHttps(c: Context, options: { trustProxy: boolean; publicUrl: string | undefined }): boolean {
  if (c.req.url.startsWith('https:')) return true;
  if (options.trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https') return true;
  return options.publicUrl?.startsWith('https:') ?? false;
}

/** The session id the browser sent, if any (either cookie name). */
export function readSessionCookie(c: Context): string | undefined {
  const value = getCookie(c, sessionCookieName(true)) ?? getCookie(c, sessionCookieName(false));
  // Our ids are 43 base64url characters; anything else is not worth a database lookup.
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : undefined;
}

/** Sets the session cookie: HttpOnly (no script reads it), SameSite=Strict, Secure over HTTPS, expiring with the session. */
export function setSessionCookie(c: Context, token: string, expiresAt: Date, secure: boolean, now: Date = new Date()): void {
  setCookie(c, sessionCookieName(secure), token, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'Strict',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000)),
    expires: expiresAt,
  });
}

/** Tells the browser to drop the session cookie (both names). */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, sessionCookieName(true), { path: '/', secure: true });
  deleteCookie(c, sessionCookieName(false), { path: '/' });
}
