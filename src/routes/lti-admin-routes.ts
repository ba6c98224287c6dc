import { Hono, type Context } from 'hono';
import { isOperator } from '../auth/index.js';
import { requestCenter } from '../server/request-center.js';
import { ltiServiceFor, maxUserTokenSeconds, platformInputSchema, type LtiPlatform } from '../lti/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { audit, requestActor } from '../server/request-actor.js';
import { requestOrigin } from '../server/request-origin.js';
import { jsonBody } from '../server/validate.js';
import type { AdminResponse as R, ToolValues } from '../contract/index.js';

/** The values a platform's admin pastes into its tool form (Moodle: Site administration → External tool). */
export function toolValues(base: string): ToolValues {
  return {
    toolUrl: `${base}/lti/launch`,
    loginUrl: `${base}/lti/login`,
    redirectUris: [`${base}/lti/launch`],
    publicKeysetUrl: `${base}/lti/jwks`,
    deepLinkingUrl: `${base}/lti/launch`,
  };
}

/** Registering platforms changes what every course of the center reaches: operators and center admins only. */
function requireCenterAdmin(c: Context): void {
  const actor = requestActor(c);
  if (actor && !isOperator(actor) && !(actor.kind === 'user' && actor.role === 'center_admin')) {
    throw new AppError('forbidden', 'only a center admin may register LTI platforms', {
      reason: 'role',
      messageVi: 'Chỉ quản trị viên của trung tâm được đăng ký nền tảng LTI.',
    });
  }
}

const withoutCenter = ({ centerId: _c, ...p }: LtiPlatform) => p;

/**
 * `/api/admin/lti/*`: the center's LTI platforms (register, list, remove), the values to paste
 * into the platform, and the rotation of the tool's key.
 */
export function ltiAdminRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const store = deps.engine.store;
  const lti = ltiServiceFor(store.sql);
  const base = (c: Context) => deps.config.publicUrl ?? requestOrigin(c);

  app.get('/lti/platforms', async (c) => {
    const center = requestCenter(c);
    return c.json({
      platforms: (await lti.platforms.list(center)).map(withoutCenter),
      tool: toolValues(base(c)),
    } satisfies R<'GET /lti/platforms'>);
  });

  app.post('/lti/platforms', async (c) => {
    requireCenterAdmin(c);
    const fields = await jsonBody(c, platformInputSchema);
    const platform = await lti.platforms.create(requestCenter(c), fields);
    if (!platform)
      throw new AppError('conflict', `the issuer ${fields.issuer} with client id ${fields.clientId} is already registered`, {
        reason: 'lti_platform_exists',
      });
    audit(c, 'lti.platform.add', platform.id, { issuer: platform.issuer, clientId: platform.clientId });
    return c.json({ platform: withoutCenter(platform), tool: toolValues(base(c)) } satisfies R<'POST /lti/platforms'>, 201);
  });

  app.delete('/lti/platforms/:id', async (c) => {
    requireCenterAdmin(c);
    const id = c.req.param('id');
    if (!(await lti.platforms.delete(requestCenter(c), id))) throw new AppError('not_found', 'no such LTI platform');
    audit(c, 'lti.platform.delete', id);
    return c.json({ ok: true } satisfies R<'DELETE /lti/platforms/:id'>);
  });

  // A site key's secret for host pages' user tokens (`data-user-token`): shown once, here.
  app.post('/site-keys/:key/user-token-secret', async (c) => {
    requireCenterAdmin(c);
    const key = c.req.param('key');
    // Another center's key is "not found": its secret signs that center's learners in.
    if ((await store.siteKeys.get(key))?.centerId !== requestCenter(c)) throw new AppError('not_found', 'no such site key');
    const secret = await lti.userTokenSecrets.renew(key);
    audit(c, 'site_key.user_token_secret', key);
    return c.json({ siteKey: key, secret, algorithm: 'HS256', maxLifetimeSeconds: maxUserTokenSeconds }, 201);
  });

  app.post('/lti/keys/rotate', async (c) => {
    const actor = requestActor(c);
    if (actor && !isOperator(actor)) throw new AppError('forbidden', 'only the operator may rotate the tool key');
    const kid = await lti.keys.rotate();
    audit(c, 'lti.key.rotate', kid);
    return c.json({ kid, keys: (await lti.keys.jwks()).keys.map((k) => k.kid) });
  });

  return app;
}
