import type { SharingStore } from './sharing-store.js';

/**
 * A collection filter that matches nothing. The retriever reads an empty list as "every
 * collection", so a center with nothing to show must pass this instead; no collection id can
 * contain a space.
 */
export const noCollection = ' none';

/**
 * The collections a center's learners may retrieve from: its own plus the open collections it
 * subscribes to, narrowed to `siteKeyCollections` when the site key lists some (empty: all of
 * them). Never empty: `[noCollection]` when there is nothing (see above). Used by /api/chat,
 * /api/search, /docs/:id and the admin "try" route, and by anything else that answers learners.
 */
export async function learnerCollections(
  sharing: SharingStore,
  centerId: string,
  siteKeyCollections: readonly string[] = [],
): Promise<string[]> {
  const visible = [...(await sharing.ownIds(centerId)), ...(await sharing.subscribedOpenIds(centerId))];
  const allowed = siteKeyCollections.length > 0 ? visible.filter((id) => siteKeyCollections.includes(id)) : visible;
  return allowed.length > 0 ? allowed : [noCollection];
}

/** Whether `collectionId` is one a center's learners may retrieve from (its own, or open and subscribed). */
export async function isVisibleToCenter(sharing: SharingStore, centerId: string, collectionId: string): Promise<boolean> {
  return (await learnerCollections(sharing, centerId)).includes(collectionId);
}

/** Whether `collectionId` belongs to `centerId` (what its teachers may change). */
export async function isOwnCollection(sharing: SharingStore, centerId: string, collectionId: string): Promise<boolean> {
  return (await sharing.ownIds(centerId)).includes(collectionId);
}
