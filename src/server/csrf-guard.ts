import type { Context } from 'hono';
import { AppError } from './app-error.js';
import { requestOrigin } from './request-origin.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The origins this service is reached at: the request's own (its Host), the one a trusted proxy
 * reports (`X-Forwarded-Proto` and `-Host`), and `PUBLIC_URL`'s.
 */
export function ownOrigins(c: Context, options: { trustProxy: boolean; publicUrl: string | undefined }): string[] {
  const origins = [requestOrigin(c)];
  if (options.publicUrl) origins.push(new URL(options.publicUrl).origin);
  if (options.trustProxy) {
    const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
    const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() ?? c.req.header('host');
    if ((proto === 'http' || proto === 'https') && host) {
      try {
        origins.push(new URL(`${proto}://${host}`).origin);
      } catch {
        // a forwarded host that is not a host name adds nothing
      }
    }
  }
  return origins;
}

/** The origin a request says it comes from: `Origin`, else the `Referer`'s. */
function senderOrigin(c: Context): string | undefined {
  const origin = c.req.header('origin');
  if (origin && origin !== 'null') return origin;
  const referer = c.req.header('referer');
  if (!referer) return origin; // "null" (a sandboxed or privacy-stripped sender) stays refused
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

const refuse = (message: string, messageVi: string) => new AppError('csrf_refused', message, { messageVi });

/**
 * Refuses a cookie-authenticated request that changes state unless it comes from this service's
 * own page: its `Origin` is one of `ownOrigins`, and it carries `X-Requested-With` (a header a
 * cross-site form cannot send, and cross-site `fetch` only after a CORS preflight this service
 * never grants). 403 `csrf_refused`, before the route runs, so nothing changes.
 */
export function checkSameOrigin(c: Context, options: { trustProxy: boolean; publicUrl: string | undefined }): void {
  if (safeMethods.has(c.req.method)) return;
  const origin = senderOrigin(c);
  if (!origin) {
    throw refuse(
      'the request has no Origin header: send it from the admin page',
      'Yêu cầu không có tiêu đề Origin: hãy gửi từ trang quản trị.',
    );
  }
  if (!ownOrigins(c, options).includes(origin)) {
    throw refuse(
      "requests signed in with a session are accepted only from this service's own pages",
      'Yêu cầu dùng phiên đăng nhập chỉ được chấp nhận từ chính trang của trợ giảng.',
    );
  }
  if (!c.req.header('x-requested-with')) {
    throw refuse('the X-Requested-With header is missing', 'Thiếu tiêu đề X-Requested-With.');
  }
}

/**
 * For requests that carry no session yet (login, accepting a link): a browser's `Origin`, when
 * sent, must be this service's (no login from another site's form).
 */
export function checkOriginIfSent(c: Context, options: { trustProxy: boolean; publicUrl: string | undefined }): void {
  const origin = c.req.header('origin');
  if (origin !== undefined && !ownOrigins(c, options).includes(origin)) {
    throw refuse("this request must come from this service's own pages", 'Yêu cầu này phải gửi từ chính trang của trợ giảng.');
  }
}
