import type { MiddlewareHandler } from 'hono';
import { ltiServiceFor } from '../lti/index.js';
import type { AppDeps } from './app-deps.js';
import type { LearnerEnv } from './learner-access.js';
import { learnerIdentity } from './learner-identity.js';

/** `learnerIdentity` over the LTI launch sessions and user tokens of the engine's store (SQLite or PostgreSQL). */
export function ltiIdentity(deps: AppDeps): MiddlewareHandler<LearnerEnv> {
  const store = deps.engine.store;
  const lti = ltiServiceFor(store.sql);
  return learnerIdentity((token, siteKey) => lti.identityOf(token, siteKey));
}
