import { centerOfCollection, type CollectionRecord } from '../store/index.js';

/** The collections an instructor of `centerId` may give a course: that center's own. */
export function centerCollections(store: { collections: { listCollections(): CollectionRecord[] } }, centerId: string): CollectionRecord[] {
  return store.collections.listCollections().filter((c) => centerOfCollection(c.id) === centerId);
}
