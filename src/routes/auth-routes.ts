import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { loginPasswordSchema, newPasswordSchema, usernameSchema, type AuthService } from '../auth/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { adminAuth } from '../server/admin-auth.js';
import { AppError } from '../server/app-error.js';
import { clientIp } from '../server/client-ip.js';
import { checkOriginIfSent, checkSameOrigin } from '../server/csrf-guard.js';
import { clearSessionCookie, isHttps, readSessionCookie, setSessionCookie } from '../server/session-cookie.js';
import { jsonBody } from '../server/validate.js';
import type { AuthResponse as A } from '../contract/index.js';

const loginSchema = z.object({ username: z.string().min(1).max(200), password: loginPasswordSchema }).strict();
const passwordChangeSchema = z.object({ currentPassword: loginPasswordSchema, newPassword: newPasswordSchema }).strict();
const linkToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a link token');
const acceptSchema = z.object({ token: linkToken, username: usernameSchema, password: newPasswordSchema }).strict();
const resetSchema = z.object({ token: linkToken, password: newPasswordSchema }).strict();

/**
 * Teachers' sign-in under `/api/auth`: login (sets the session cookie), logout, who am I, change
 * password, accept an invitation, reset a password with a link. See docs/accounts.md.
 */
export function authRoutes(deps: AppDeps, auth: AuthService): Hono {
  const app = new Hono();
  const web = { trustProxy: deps.config.trustProxy, publicUrl: deps.config.publicUrl };
  const ip = (c: Context) => clientIp(c, deps.config.trustProxy);
  const me = async (c: Context) => {
    const actor = c.get('actor');
    if (actor.kind === 'token')
      return { user: { username: 'ADMIN_TOKEN', role: 'operator' as const, centerId: null, collections: null }, center: null };
    const user = (await auth.stores.users.get(actor.userId))!;
    return { user, center: user.centerId ? ((await auth.stores.centers.get(user.centerId)) ?? null) : null };
  };

  // Whether any account exists: the admin page opens on the ADMIN_TOKEN form until one does (first start).
  app.get('/options', async (c) => c.json({ accounts: (await auth.stores.users.count()) > 0 } satisfies A<'GET /options'>));

  app.post('/login', async (c) => {
    checkOriginIfSent(c, web);
    const body = await jsonBody(c, loginSchema);
    const result = await auth.login(body.username, body.password, ip(c), readSessionCookie(c));
    setSessionCookie(c, result.sessionToken, result.expiresAt, isHttps(c, web), auth.options.now());
    c.header('cache-control', 'no-store');
    return c.json({ user: result.user, center: result.center, expiresAt: result.expiresAt.toISOString() } satisfies A<'POST /login'>);
  });

  // Ends the session the cookie names, if any; always drops the cookie. From another site: 403.
  app.post('/logout', async (c) => {
    const token = readSessionCookie(c);
    if (token !== undefined) {
      checkSameOrigin(c, web);
      await auth.logout(token, ip(c));
    }
    clearSessionCookie(c);
    return c.json({ ok: true } satisfies A<'POST /logout'>);
  });

  const signedIn = adminAuth(deps.adminToken, { auth, ...web });
  app.get('/me', signedIn, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json((await me(c)) satisfies A<'GET /me'>);
  });

  app.post('/password', signedIn, async (c) => {
    const body = await jsonBody(c, passwordChangeSchema);
    const actor = c.get('actor');
    if (actor.kind !== 'user')
      throw new AppError('bad_request', 'the ADMIN_TOKEN has no password to change: set ADMIN_TOKEN or edit the admin-token file', {
        messageVi: 'ADMIN_TOKEN không có mật khẩu để đổi: hãy đặt ADMIN_TOKEN hoặc sửa tệp admin-token.',
      });
    const result = await auth.changePassword({ actor, ip: ip(c) }, body.currentPassword, body.newPassword);
    setSessionCookie(c, result.sessionToken, result.expiresAt, isHttps(c, web), auth.options.now());
    return c.json({ ok: true, expiresAt: result.expiresAt.toISOString() } satisfies A<'POST /password'>);
  });

  app.post('/invitations/accept', async (c) => {
    checkOriginIfSent(c, web);
    const body = await jsonBody(c, acceptSchema);
    const user = await auth.accounts.acceptInvitation(body.token, body.username, body.password, ip(c));
    return c.json({ user } satisfies A<'POST /invitations/accept'>, 201);
  });

  app.post('/password-reset', async (c) => {
    checkOriginIfSent(c, web);
    const body = await jsonBody(c, resetSchema);
    const user = await auth.accounts.resetPassword(body.token, body.password, ip(c));
    return c.json({ user: { username: user.username } } satisfies A<'POST /password-reset'>);
  });

  return app;
}
