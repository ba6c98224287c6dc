import { centerOfCollection, type CollectionRecord } from '../store/index.js';

/** The collections an instructor of `centerId` may give a course: that center's own. */
export async function centerCollections(
  store: { collections: { listCollections(): Promise<CollectionRecord[]> } },
  centerId: string,
): Promise<CollectionRecord[]> {
  return (await store.collections.listCollections()).filter((c) => centerOfCollection(c.id) === centerId);
}
