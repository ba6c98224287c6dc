import { defaultCenterId } from './center-store.js';

/**
 * Collection ids are unique in the whole service and name their center: `<center>.<slug>`
 * (`quan-3.so-tay`), or the bare slug for the default center (`so-tay`, as every id stored before
 * centers existed). Two centers may each have a `so-tay`; the chunks, indexes and document ids,
 * which carry the collection id, need no center column. The center and slug parts never contain a
 * dot, so the split is unambiguous.
 */
const slugPattern = '[a-z0-9][a-z0-9_-]{0,63}';
const centerPattern = '[a-z0-9][a-z0-9-]{0,39}';

/** A collection slug (what a teacher types): 1-64 characters of a-z, 0-9, `_`, `-`. */
export const collectionSlugShape = new RegExp(`^${slugPattern}$`);
/** A full collection id: a slug, optionally prefixed by `<center>.`. */
export const collectionIdShape = new RegExp(`^(?:${centerPattern}\\.)?${slugPattern}$`);

/** The center a collection id belongs to. */
export function centerOfCollection(id: string): string {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(0, dot) : defaultCenterId;
}

/** The slug part of a collection id (`quan-3.so-tay` → `so-tay`). */
export function slugOfCollection(id: string): string {
  const dot = id.indexOf('.');
  return dot > 0 ? id.slice(dot + 1) : id;
}

/** The id of the collection `slug` of `centerId`. */
export function collectionIdIn(centerId: string, slug: string): string {
  return centerId === defaultCenterId ? slug : `${centerId}.${slug}`;
}

/**
 * The full id a request of `centerId` means by `given`: a bare slug is the center's own
 * collection; a full id is taken as it is. Callers check that the result belongs to the center
 * (or is visible to it) before using it: this function only spells.
 */
export function resolveCollectionId(centerId: string, given: string): string {
  return given.includes('.') ? given : collectionIdIn(centerId, given);
}
