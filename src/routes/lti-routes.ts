import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { autoPostPage, courseLogPage, pageCsp, refusalPage, setupPage, waitingPage } from '../lti/lti-pages.js';
import {
  centerCollections,
  courseKey,
  deepLinkingResponse,
  loginRedirect,
  LtiError,
  ltiServiceFor,
  readLaunchSession,
  readLoginState,
  signLaunchSession,
  verifyLaunch,
  type LaunchSession,
  type LtiPlatform,
  type LoginRequest,
} from '../lti/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { requestOrigin } from '../server/request-origin.js';
import { defaultDistDir } from './web-routes.js';
import type { EmbedConfig } from '../contract/index.js';

/** Form fields of a login, launch or course page are small; anything bigger is not one of ours. */
const maxFormBytes = 64 * 1024;

const nonceOf = () => randomBytes(16).toString('base64url');

/** The origins a platform's pages are on: they frame the tool. */
const platformOrigins = (p: LtiPlatform): string[] => [...new Set([p.issuer, p.authUrl].map((u) => new URL(u).origin))];

const one = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

/**
 * The LTI 1.3 tool (docs/lti.md): `/lti/jwks`, `/lti/login` (OIDC login initiation), `/lti/launch`
 * (id_token verified, then the course's chat, its setup for an instructor, or a deep-linking
 * response), and the instructor's course pages. Every refusal is a 4xx page in both languages.
 */
export function ltiRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const store = deps.engine.store;
  const lti = ltiServiceFor(store.sql);
  const base = (c: Context) => deps.config.publicUrl ?? requestOrigin(c);

  let embedHtml: string | undefined;
  const chatPage = async (c: Context, session: LaunchSession, platform: LtiPlatform, title: string) => {
    const lang = session.lang ?? 'vi';
    embedHtml ??= readFileSync(`${defaultDistDir}/embed.html`, 'utf8');
    const config = {
      site: null,
      title: title || null,
      welcome: null,
      starters: [],
      color: null,
      lang,
      theme: null,
      parent: null,
      widget: false,
      lti: { token: await signLaunchSession(lti.keys, session), teacher: session.teacher },
    } satisfies EmbedConfig;
    const json = JSON.stringify(config)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
    c.header('cache-control', 'no-store');
    c.header(
      'content-security-policy',
      `default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; form-action 'self'; base-uri 'none'; frame-ancestors ${platformOrigins(platform).join(' ')}`,
    );
    return c.html(embedHtml.replace('__TG_LANG__', lang).replace('__TG_CONFIG__', () => json));
  };

  /** Runs a page handler; a refusal becomes its page (4xx), framable by anyone (it holds nothing). */
  const guarded = (handler: (c: Context, nonce: string) => Promise<Response>) => async (c: Context) => {
    const nonce = nonceOf();
    try {
      return await handler(c, nonce);
    } catch (error) {
      if (!(error instanceof LtiError)) throw error;
      deps.logger.info({ requestId: c.get('requestId'), code: error.code, detail: error.detail }, 'LTI request refused');
      c.header('cache-control', 'no-store');
      c.header('content-security-policy', pageCsp(nonce, ['*']));
      return c.html(refusalPage(error.code, error.detail, nonce), error.status);
    }
  };

  const form = async (c: Context): Promise<Record<string, unknown>> => {
    const type = c.req.header('content-type') ?? '';
    if (!/application\/x-www-form-urlencoded|multipart\/form-data/i.test(type)) return {};
    try {
      return (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    } catch {
      throw new LtiError('bad_request', 'the form could not be read');
    }
  };

  const tooLarge = (c: Context) => {
    const nonce = nonceOf();
    c.header('content-security-policy', pageCsp(nonce, ['*']));
    return c.html(refusalPage('bad_request', 'the form is too large', nonce), 413);
  };
  app.use('/lti/*', async (c, next) =>
    c.req.method === 'POST' ? bodyLimit({ maxSize: maxFormBytes, onError: tooLarge })(c, next) : next(),
  );

  app.get('/lti/jwks', async (c) => {
    c.header('cache-control', 'public, max-age=300');
    c.header('access-control-allow-origin', '*');
    return c.json(await lti.keys.jwks());
  });

  const login = guarded(async (c) => {
    const params: Record<string, unknown> = { ...c.req.query(), ...(c.req.method === 'POST' ? await form(c) : {}) };
    const request: LoginRequest = {};
    for (const k of ['iss', 'login_hint', 'target_link_uri', 'lti_message_hint', 'client_id', 'lti_deployment_id'] as const) {
      const v = one(params[k]);
      if (v !== undefined) request[k] = v;
    }
    const location = await loginRedirect(request, { platforms: lti.platforms, keys: lti.keys, redirectUri: `${base(c)}/lti/launch` });
    c.header('cache-control', 'no-store');
    return c.redirect(location, 302);
  });
  app.get('/lti/login', login);
  app.post('/lti/login', login);

  app.post(
    '/lti/launch',
    guarded(async (c, nonce) => {
      const body = await form(c);
      const idToken = one(body.id_token);
      const stateToken = one(body.state);
      if (one(body.error)) throw new LtiError('bad_request', `the platform answered ${one(body.error)}`);
      if (!idToken || !stateToken) throw new LtiError('bad_request', 'id_token and state are required');
      const state = await readLoginState(lti.keys, stateToken);
      const launch = await verifyLaunch(idToken, state, { platforms: lti.platforms, jwks: lti.jwks });
      const session: LaunchSession = {
        platformId: launch.platform.id,
        contextId: launch.contextId,
        sub: launch.sub,
        teacher: launch.teacher,
        lang: launch.lang,
      };

      if (launch.deepLinking) {
        if (!launch.teacher) throw new LtiError('not_instructor');
        const jwt = await deepLinkingResponse(lti.keys, {
          clientId: launch.platform.clientId,
          issuer: launch.platform.issuer,
          deploymentId: launch.deploymentId,
          ...(launch.deepLinking.data ? { data: launch.deepLinking.data } : {}),
          launchUrl: `${base(c)}/lti/launch`,
          title: 'Trợ giảng',
          text: 'Hỏi đáp về tài liệu của khoá học / Questions about the course materials',
        });
        const returnOrigin = new URL(launch.deepLinking.returnUrl).origin;
        c.header('cache-control', 'no-store');
        c.header('content-security-policy', pageCsp(nonce, platformOrigins(launch.platform), [returnOrigin]));
        return c.html(autoPostPage(launch.deepLinking.returnUrl, { JWT: jwt }, nonce));
      }

      const course = await lti.platforms.touchCourse(launch.platform.id, launch.contextId, launch.contextTitle);
      c.header('cache-control', 'no-store');
      if (!course.collections?.length) {
        c.header('content-security-policy', pageCsp(nonce, platformOrigins(launch.platform)));
        if (!launch.teacher) return c.html(waitingPage(nonce));
        const token = await signLaunchSession(lti.keys, session);
        return c.html(
          setupPage({
            token,
            courseTitle: course.title,
            collections: await centerCollections(store, launch.platform.centerId),
            chosen: [],
            nonce,
          }),
        );
      }
      return chatPage(c, session, launch.platform, course.title);
    }),
  );

  /** The instructor's session from a course page's form; refused when missing, expired or a learner's. */
  const teacherSession = async (body: Record<string, unknown>) => {
    const session = await readLaunchSession(lti.keys, one(body.token) ?? '');
    if (!session) throw new LtiError('session_expired');
    if (!session.teacher) throw new LtiError('not_instructor');
    const platform = await lti.platforms.get(session.platformId);
    if (!platform) throw new LtiError('session_expired', 'the platform is no longer registered');
    const course =
      (await lti.platforms.course(session.platformId, session.contextId)) ??
      (await lti.platforms.touchCourse(session.platformId, session.contextId, ''));
    return { session, platform, course };
  };

  app.post(
    '/lti/course',
    guarded(async (c, nonce) => {
      const body = await form(c);
      const { session, platform, course } = await teacherSession(body);
      const known = await centerCollections(store, platform.centerId);
      const picked = (Array.isArray(body.collections) ? body.collections : [body.collections]).filter(
        (v): v is string => typeof v === 'string',
      );
      const chosen = [...new Set(picked)].filter((id) => known.some((k) => k.id === id));
      if (chosen.length === 0) {
        c.header('content-security-policy', pageCsp(nonce, platformOrigins(platform)));
        return c.html(
          setupPage({ token: one(body.token)!, courseTitle: course.title, collections: known, chosen: [], nonce, error: true }),
          400,
        );
      }
      await lti.platforms.setCourseCollections(session.platformId, session.contextId, chosen);
      return chatPage(c, session, platform, course.title);
    }),
  );

  app.post(
    '/lti/course/setup',
    guarded(async (c, nonce) => {
      const body = await form(c);
      const { platform, course } = await teacherSession(body);
      c.header('cache-control', 'no-store');
      c.header('content-security-policy', pageCsp(nonce, platformOrigins(platform)));
      return c.html(
        setupPage({
          token: one(body.token)!,
          courseTitle: course.title,
          collections: await centerCollections(store, platform.centerId),
          chosen: course.collections ?? [],
          nonce,
        }),
      );
    }),
  );

  app.post(
    '/lti/course/log',
    guarded(async (c, nonce) => {
      const body = await form(c);
      const { session, platform, course } = await teacherSession(body);
      const requested = one(body.only);
      const only = requested === 'unanswered' || requested === 'thumbsDown' ? requested : 'all';
      c.header('cache-control', 'no-store');
      c.header('content-security-policy', pageCsp(nonce, platformOrigins(platform)));
      return c.html(
        courseLogPage({
          token: one(body.token)!,
          courseTitle: course.title,
          rows: await store.learnerConversations.courseLog(courseKey(session), only),
          only,
          nonce,
        }),
      );
    }),
  );

  app.post(
    '/lti/course/chat',
    guarded(async (c) => {
      const { session, platform, course } = await teacherSession(await form(c));
      if (!course.collections?.length) throw new LtiError('bad_request', 'choose the course collections first');
      return chatPage(c, session, platform, course.title);
    }),
  );

  return app;
}
