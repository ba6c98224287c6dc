import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import { formatBytes } from '../ingest/index.js';
import { accountRoutes } from '../routes/account-routes.js';
import { adminRoutes } from '../routes/admin-routes.js';
import { importPackagePath } from '../routes/collection-package-routes.js';
import { maxPackageUploadBytes } from '../packages/index.js';
import { authRoutes } from '../routes/auth-routes.js';
import { chatRoute } from '../routes/chat-route.js';
import { docsRoute } from '../routes/docs-route.js';
import { learnerRoutes } from '../routes/learner-routes.js';
import { practiceAdminRoutes } from '../routes/practice-admin-routes.js';
import { practiceRoutes } from '../routes/practice-routes.js';
import { PracticeService } from '../practice/index.js';
import { operationsRoutes } from '../routes/operations-routes.js';
import { webRoutes } from '../routes/web-routes.js';
import { learnerHistoryRoutes } from '../routes/learner-history-routes.js';
import { ltiAdminRoutes } from '../routes/lti-admin-routes.js';
import { ltiRoutes } from '../routes/lti-routes.js';
import { ltiIdentity } from './lti-identity.js';
import type { AppDeps } from './app-deps.js';
import { adminAuth } from './admin-auth.js';
import { adminPolicy } from './admin-policy.js';
import { actingCenter } from './request-center.js';
import { authServiceFor } from './auth-service-for.js';
import { AppError } from './app-error.js';
import { errorResponse, routeNotFound } from './error-response.js';
import { learnerAccess } from './learner-access.js';
import { hostCheck } from './request-origin.js';
import { securityHeaders } from './security-headers.js';
import { processRouting } from './process-routing.js';

const tooLarge = (limit: number) => () => {
  throw new AppError('payload_too_large', `the request body is over the limit of ${limit} bytes`, {
    messageVi: `Dữ liệu gửi lên vượt quá giới hạn ${limit} byte.`,
  });
};

const tooLargeUpload = (limit: number) => (c: Context) => {
  const sent = Number(c.req.header('content-length'));
  const size = Number.isFinite(sent) && sent > 0 ? sent : undefined;
  throw new AppError(
    'payload_too_large',
    `the upload is ${size ? formatBytes(size) : 'larger than the limit'}; one upload may carry at most ${formatBytes(limit)}. Split the files and upload them one by one.`,
    {
      messageVi: `Dữ liệu tải lên ${size ? `nặng ${formatBytes(size, 'vi')}` : 'quá lớn'}; mỗi lần tải lên tối đa ${formatBytes(limit, 'vi')}. Hãy tách tệp và tải lên từng tệp.`,
      limit,
    },
  );
};

/**
 * Runs a body middleware only on requests that can carry a body. A GET or HEAD has none, and
 * Hono's body limit, by touching `c.req.raw.body`, makes the Node adapter build a full Fetch
 * Request for it: about 8% of the CPU of a search request.
 */
const onlyWithBody =
  (middleware: MiddlewareHandler): MiddlewareHandler =>
  (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : middleware(c, next);

/** Room for multipart boundaries and part headers on top of the largest accepted file. */
const uploadOverheadBytes = 1024 * 1024;

/**
 * Builds the Hono app over its dependencies. Opens no port: the server entry listens, tests call
 * `app.request()` or serve it on a loopback port.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const { config, logger, metrics } = deps;

  app.use('*', requestId());
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.latency.observe({ method: c.req.method, route }, seconds);
    if (c.res.status >= 500)
      logger.error({ requestId: c.get('requestId'), method: c.req.method, route, status: c.res.status }, 'request failed');
    else
      logger.debug(
        { requestId: c.get('requestId'), method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) },
        'request',
      );
  });
  // Several processes: name the one answering; followers send index writes to the writer.
  if (deps.processes) app.use('*', processRouting(deps));
  app.use('*', securityHeaders());
  app.use('*', hostCheck());

  const jsonLimit = onlyWithBody(bodyLimit({ maxSize: config.limits.maxJsonBytes, onError: tooLarge(config.limits.maxJsonBytes) }));
  // One upload request carries at most one file's limit (plus multipart overhead), several files
  // included. The limit used to be twice that: with the 50 MB default a 100 MB upload passed it
  // and was buffered whole, and then copied, before the per-file check refused it. The body limit
  // refuses on Content-Length at once, and stops reading a chunked body at the limit.
  const uploadBytes = config.limits.maxBytes + uploadOverheadBytes;
  app.use('/api/admin/documents', onlyWithBody(bodyLimit({ maxSize: uploadBytes, onError: tooLargeUpload(uploadBytes) })));
  // A collection package (zip or .imscc) holds many files: its own, larger limit.
  app.use(importPackagePath, onlyWithBody(bodyLimit({ maxSize: maxPackageUploadBytes, onError: tooLargeUpload(maxPackageUploadBytes) })));
  app.use('/api/*', async (c, next) =>
    c.req.path === '/api/admin/documents' || c.req.path === importPackagePath ? next() : jsonLimit(c, next),
  );

  const access = learnerAccess({
    siteKeys: deps.engine.store.siteKeys,
    limiter: deps.limiter,
    metrics,
    ratePerMinute: config.limits.ratePerMinute,
    ratePerIpPerMinute: config.limits.ratePerIpPerMinute,
    trustProxy: config.trustProxy,
    centerStatus: (id) => deps.engine.store.sharing.centerStatus(id),
  });
  for (const path of ['/api/chat', '/api/search', '/api/feedback']) app.use(path, access);
  // lti: a launched learner's token (their conversations, their course's collections).
  const identity = ltiIdentity(deps);
  for (const path of ['/api/chat', '/api/search', '/api/feedback']) app.use(path, identity);
  app.use('/api/learner/*', access, identity);
  app.route('/', chatRoute(deps));
  app.route('/', learnerRoutes(deps));
  app.route('/', learnerHistoryRoutes(deps));
  // practice: self-study items (docs/practice.md), with the same learner access as /api/chat.
  const practice = (deps.practice ??= new PracticeService(deps.engine));
  for (const path of ['/api/practice', '/api/practice/*']) app.use(path, access, identity);
  app.route('/', practiceRoutes(deps, practice));

  // Accounts (docs/accounts.md): the bearer ADMIN_TOKEN, or a session cookie checked against CSRF.
  const auth = (deps.auth ??= authServiceFor(deps.engine.store));
  app.route('/api/auth', authRoutes(deps, auth));
  app.use(
    '/api/admin/*',
    adminAuth(deps.adminToken, { auth, trustProxy: config.trustProxy, publicUrl: config.publicUrl, logger }),
    adminPolicy(),
    actingCenter((id) => deps.engine.store.sharing.centerStatus(id)),
  );
  app.route('/api/admin', accountRoutes(deps, auth));
  app.route('/api/admin', adminRoutes(deps));
  app.route('/api/admin', ltiAdminRoutes(deps));
  app.route('/', ltiRoutes(deps));
  app.route('/api/admin', practiceAdminRoutes(practice));

  app.route('/', webRoutes(deps));
  app.route('/', docsRoute(deps));
  app.route('/', operationsRoutes(deps));

  app.notFound(routeNotFound);
  app.onError(errorResponse(logger));
  return app;
}
