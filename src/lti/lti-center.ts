import type { Actor } from '../auth/index.js';
import { defaultCenterId, type CollectionRecord } from '../store/index.js';

/**
 * The center an admin request acts for, for LTI registrations: an account's own center; the
 * bearer operator token (and an operator account) act for the default center. The one place the
 * LTI code decides "which center", so scoping by center changes here only.
 */
export function ltiCenterOf(actor: Actor | undefined): string {
  return actor?.kind === 'user' && actor.centerId !== null ? actor.centerId : defaultCenterId;
}

/**
 * The collections an instructor of `centerId` may give a course. Every collection until
 * collections carry their center; then, only that center's.
 */
export function centerCollections(store: { collections: { listCollections(): CollectionRecord[] } }, _centerId: string): CollectionRecord[] {
  return store.collections.listCollections();
}
