import type { MiddlewareHandler } from 'hono';
import { ltiServiceFor } from '../lti/index.js';
import { SqliteStore } from '../store/index.js';
import type { AppDeps } from './app-deps.js';
import type { LearnerEnv } from './learner-access.js';
import { learnerIdentity } from './learner-identity.js';

/** `learnerIdentity` over the LTI launch sessions of the engine's store (a pass-through without SQLite). */
export function ltiIdentity(deps: AppDeps): MiddlewareHandler<LearnerEnv> {
  const store = deps.engine.store;
  if (!(store instanceof SqliteStore)) return (_c, next) => next();
  const lti = ltiServiceFor(store.db);
  return learnerIdentity((token, siteKey) => lti.identityOf(token, siteKey));
}
