import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { adminRoutes } from '../routes/admin-routes.js';
import { chatRoute } from '../routes/chat-route.js';
import { docsRoute } from '../routes/docs-route.js';
import { learnerRoutes } from '../routes/learner-routes.js';
import { operationsRoutes } from '../routes/operations-routes.js';
import { webRoutes } from '../routes/web-routes.js';
import type { AppDeps } from './app-deps.js';
import { adminAuth } from './admin-auth.js';
import { AppError } from './app-error.js';
import { learnerAccess } from './learner-access.js';
import { securityHeaders } from './security-headers.js';

const tooLarge = (limit: number) => () => {
  throw new AppError('payload_too_large', `the request body is over the limit of ${limit} bytes`);
};

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
    if (c.res.status >= 500) logger.error({ requestId: c.get('requestId'), method: c.req.method, route, status: c.res.status }, 'request failed');
    else logger.debug({ requestId: c.get('requestId'), method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
  });
  app.use('*', securityHeaders());

  const jsonLimit = bodyLimit({ maxSize: config.limits.maxJsonBytes, onError: tooLarge(config.limits.maxJsonBytes) });
  // One upload may carry several files; each is still checked against the per-file limit.
  const uploadBytes = config.limits.maxBytes * 2 + 1024 * 1024;
  app.use('/api/admin/documents', bodyLimit({ maxSize: uploadBytes, onError: tooLarge(uploadBytes) }));
  app.use('/api/*', async (c, next) => (c.req.path === '/api/admin/documents' ? next() : jsonLimit(c, next)));

  const access = learnerAccess({
    siteKeys: deps.engine.store.siteKeys,
    limiter: deps.limiter,
    metrics,
    ratePerMinute: config.limits.ratePerMinute,
    trustProxy: config.trustProxy,
  });
  for (const path of ['/api/chat', '/api/search', '/api/feedback']) app.use(path, access);
  app.route('/', chatRoute(deps));
  app.route('/', learnerRoutes(deps));

  app.use('/api/admin/*', adminAuth(deps.adminToken));
  app.route('/api/admin', adminRoutes(deps));

  app.route('/', webRoutes(deps));
  app.route('/', docsRoute(deps));
  app.route('/', operationsRoutes(deps));

  app.notFound((c) => c.json(new AppError('not_found', 'no such route').toBody(), 404));
  app.onError((error, c) => {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return c.json(error.toBody(), error.status as 400);
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json({ error: { code: status === 413 ? 'payload_too_large' : 'bad_request', message: error.message || 'bad request' } }, status);
    }
    logger.error({ requestId: c.get('requestId'), err: error }, 'unexpected error');
    return c.json({ error: { code: 'internal', message: 'something went wrong on the server', requestId: c.get('requestId') } }, 500);
  });
  return app;
}
