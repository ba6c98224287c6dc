import type { MiddlewareHandler } from 'hono';
import { isOperator, mayChangeCollection, type Actor } from '../auth/index.js';
import { AppError } from './app-error.js';

/** Admin routes a center admin may call and a teacher may not (changes that reach every learner or every document). */
const adminOnly: Array<[method: string, path: RegExp]> = [
  ['POST', /^\/collections$/],
  ['PATCH', /^\/collections\/[^/]+$/],
  ['DELETE', /^\/collections\/[^/]+$/],
  ['POST', /^\/site-keys$/],
  ['PATCH', /^\/site-keys\/[^/]+$/],
  ['DELETE', /^\/site-keys\/[^/]+$/],
  // LMS registrations and the keys learners' identities rest on (docs/lti.md).
  ['POST', /^\/site-keys\/[^/]+\/user-token-secret$/],
  ['POST', /^\/lti\/platforms$/],
  ['DELETE', /^\/lti\/platforms\/[^/]+$/],
  ['POST', /^\/lti\/keys\/rotate$/],
  ['POST', /^\/reindex$/],
  ['POST', /^\/collections\/[^/]+\/(?:publish|unpublish)$/],
  ['POST', /^\/subscriptions$/],
  ['DELETE', /^\/subscriptions\/[^/]+$/],
];

/** Routes that check the actor themselves (accounts, centers, the audit log). */
const accountRoutes = /^\/(?:centers|audit)(?:[/.]|$)/;

/**
 * Which account may call which route of the data API (documents, collections, site keys,
 * questions, stats, try, sharing). The operator (bearer token or operator account) may call every
 * one. Which center's data a route acts on is `requestCenter` (src/server/request-center.ts); the
 * routes look ids up within it, so another center's ids are a 404.
 */
export function dataRouteRefusal(actor: Actor, method: string, path: string): AppError | undefined {
  if (accountRoutes.test(path) || isOperator(actor) || actor.kind !== 'user') return undefined;
  if (actor.role === 'teacher' && adminOnly.some(([m, p]) => m === method && p.test(path))) {
    return new AppError('forbidden', 'only a center admin may do this', {
      reason: 'role',
      messageVi: 'Chỉ quản trị viên của trung tâm được làm việc này.',
    });
  }
  return undefined;
}

/** `dataRouteRefusal` as a middleware under `/api/admin` (after `adminAuth`). */
export function adminPolicy(): MiddlewareHandler {
  return async (c, next) => {
    const actor = c.get('actor');
    const refusal = actor && dataRouteRefusal(actor, c.req.method, c.req.path.replace(/^\/api\/admin/, ''));
    if (refusal) throw refusal;
    await next();
  };
}

/** Refuses (403) a teacher limited to other collections changing documents of `collection`. */
export function requireCollection(actor: Actor | undefined, collection: string): void {
  if (actor && !mayChangeCollection(actor, collection)) {
    throw new AppError('forbidden', `your account may not change documents of the collection "${collection}"`, {
      reason: 'collection',
      messageVi: `Tài khoản của bạn không được thay đổi tài liệu trong bộ sưu tập "${collection}".`,
    });
  }
}
