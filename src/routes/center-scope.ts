import type { Context } from 'hono';
import { mayChangeCollection, type Actor } from '../auth/index.js';
import { requireCollection } from '../server/admin-policy.js';
import { AppError } from '../server/app-error.js';
import { learnerCenterOf, requestCenter } from '../server/request-center.js';
import {
  centerOfCollection,
  defaultCenterId,
  learnerCollections,
  noCollection,
  resolveCollectionId,
  slugOfCollection,
  type DocumentRecord,
  type SiteKey,
  type TrogiangStore,
} from '../store/index.js';

/** The 404 for a collection id the request's center does not own (or cannot see): the same whether it exists elsewhere or not. */
export const collectionNotFound = (id: string) =>
  new AppError('not_found', `no collection "${id}"`, { messageVi: `Không có bộ tài liệu "${id}".` });

/** The 404 for a document of another center (or none). */
export const documentNotFound = () => new AppError('not_found', 'no such document', { messageVi: 'Không có tài liệu này.' });

/** The full id of a collection of the request's center, from a slug or a full id; 404 when the id names another center. */
export function ownCollectionId(c: Context, given: string): string {
  const center = requestCenter(c);
  const id = resolveCollectionId(center, given);
  if (centerOfCollection(id) !== center) throw collectionNotFound(given);
  return id;
}

/** A document of the request's center; undefined for another center's (or an unknown id). */
export async function ownDocument(c: Context, store: TrogiangStore, id: string): Promise<DocumentRecord | undefined> {
  const doc = await store.getDocument(id);
  return doc && centerOfCollection(doc.collection) === requestCenter(c) ? doc : undefined;
}

/** `requireCollection` by full id or by slug (a teacher's limits may name either). */
export function requireOwnCollection(actor: Actor | undefined, collection: string): void {
  if (actor && mayChangeCollection(actor, slugOfCollection(collection))) return;
  requireCollection(actor, collection);
}

/**
 * The collections a question of the request's center may retrieve from: `asked` (a slug or a full
 * id) when given and visible, else every visible one (own and subscribed, narrowed by the site
 * key's list), or null (no filter) when that is every collection of the service. Throws 404 `not_found` when `asked` is not visible: the same answer whether it
 * exists in another center or not.
 */
export async function questionCollections(
  store: TrogiangStore,
  centerId: string,
  asked: string | undefined,
  siteKeyCollections: readonly string[] = [],
): Promise<string[] | null> {
  const visible = await learnerCollections(store.sharing, centerId, siteKeyCollections);
  // A single center that sees every collection of the service (today's one-center deployment)
  // searches unfiltered, as before centers existed: no filter to apply, nothing to pay for it.
  if (asked === undefined)
    return visible[0] !== noCollection && visible.length === (await store.sharing.collectionCount()) ? null : visible;
  const id = resolveCollectionId(centerId, asked);
  if (!visible.includes(id))
    throw new AppError('not_found', 'collection: no such collection on this site', {
      field: 'collection',
      messageVi: 'collection: không có bộ tài liệu này trên trang này.',
    });
  return [id];
}

/** The `?site=` a citation link carries: the key of a center other than the default one. */
export const linkSite = (siteKey: SiteKey | null | undefined): string | null =>
  siteKey && learnerCenterOf(siteKey) !== defaultCenterId ? siteKey.key : null;
