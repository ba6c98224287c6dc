import type { Actor } from '../auth/index.js';
import type { SiteKey } from '../store/index.js';
import { defaultCenterId } from '../store/index.js';

/**
 * The center whose data an admin request reads and writes: the account's center, the default
 * center for the bearer token and operator accounts. The one place that decides it for verified
 * answers (issue 18), so per-center scoping (issue 16) changes only this.
 */
export function centerOfActor(actor: Actor | undefined): string {
  return actor?.kind === 'user' && actor.centerId !== null ? actor.centerId : defaultCenterId;
}

/**
 * The center a learner's question belongs to. Site keys carry no center yet: every one is the
 * default center's until per-center scoping gives them one.
 */
export function centerOfSiteKey(_siteKey: SiteKey | null | undefined): string {
  return defaultCenterId;
}
