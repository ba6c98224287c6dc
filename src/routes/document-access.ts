import type { Context } from 'hono';
import type { Actor } from '../auth/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { secretsEqual } from '../server/admin-auth.js';
import { requestSiteKey } from '../server/learner-access.js';
import { actingCenterOf, centerHeader } from '../server/request-center.js';
import { readSessionCookie } from '../server/session-cookie.js';
import { defaultCenterId, learnerCollections, type DocumentRecord } from '../store/index.js';

/** The admin actor of a request to a public page (session cookie or bearer token), if any. */
async function pageActor(c: Context, deps: AppDeps): Promise<Actor | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  if (match) return secretsEqual(match[1]!, deps.adminToken) ? { kind: 'token' } : undefined;
  const session = readSessionCookie(c);
  return session !== undefined ? deps.auth?.authenticate(session) : undefined;
}

/**
 * Whether the request may open `doc` at `/docs/:id` (a citation link, or a teacher's preview).
 * Any of: a signed-in teacher (or the operator, with `X-Center`) whose center sees the document's
 * collection; the site key in `?site=` (citation links of a center's widget carry it) whose
 * center sees it; without a key, the default center's learners (the server's own pages, and every
 * link made before centers existed). "Sees": its own collections and its open subscriptions
 * (`learnerCollections`). A refusal looks like a missing document, so ids of other centers stay
 * unconfirmed.
 */
export async function mayOpenDocument(c: Context, deps: AppDeps, doc: DocumentRecord): Promise<boolean> {
  const sharing = deps.engine.store.sharing;
  const actor = await pageActor(c, deps);
  if (actor) {
    try {
      const center = await actingCenterOf(actor, c.req.header(centerHeader), (id) => sharing.centerStatus(id));
      if ((await learnerCollections(sharing, center)).includes(doc.collection)) return true;
    } catch {
      // a center the actor may not act for: fall through to the learner's checks
    }
  }
  const keyValue = requestSiteKey(c);
  if (keyValue) {
    const siteKey = await deps.engine.store.siteKeys.get(keyValue);
    if (!siteKey || (await sharing.centerStatus(siteKey.centerId)) === 'suspended') return false;
    return (await learnerCollections(sharing, siteKey.centerId, siteKey.collections)).includes(doc.collection);
  }
  return (await learnerCollections(sharing, defaultCenterId)).includes(doc.collection);
}
