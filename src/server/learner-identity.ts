import type { MiddlewareHandler } from 'hono';
import type { LearnerIdentity } from '../lti/index.js';
import type { SiteKey } from '../store/index.js';
import { AppError } from './app-error.js';
import type { LearnerEnv } from './learner-access.js';

/** The header the chat page sends its signed learner token in (an LTI launch session, or a host page's user token). */
export const learnerTokenHeader = 'x-learner-token';

/**
 * Adds the learner's identity to the learner API's context when the request carries a learner
 * token: their own conversations, and only their course's collections. A token that does not
 * verify (expired, altered) is a 401, never an anonymous request in disguise.
 */
export function learnerIdentity(
  resolve: (token: string, siteKey: SiteKey | null) => Promise<LearnerIdentity | undefined>,
): MiddlewareHandler<LearnerEnv> {
  return async (c, next) => {
    const token = c.req.header(learnerTokenHeader);
    if (token !== undefined && c.req.method !== 'OPTIONS') {
      const identity = await resolve(token, c.get('learner').siteKey);
      if (!identity) throw new AppError('learner_session_expired', 'the learner session has ended; open the activity again');
      c.set('learner', { ...c.get('learner'), identity });
    }
    await next();
  };
}
