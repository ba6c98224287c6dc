import { centerOfCollection, type CollectionOrigin, type TrogiangStore } from '../store/index.js';

/** What a citation of another center's open collection carries: who owns it and under which licence. */
export interface SharedFrom {
  sharedFrom: Omit<CollectionOrigin, 'collection'> & { collection: string };
}

/**
 * For a learner of `centerId`: a function giving, for a cited document, `{ sharedFrom }` when the
 * document belongs to another center's collection (a subscription), else `{}`. Looked up once per
 * document and request (an answer cites a handful).
 */
export function sharedOrigin(store: TrogiangStore, centerId: string): (documentId: string) => Promise<Partial<SharedFrom>> {
  const seen = new Map<string, Partial<SharedFrom>>();
  return async (documentId) => {
    let found = seen.get(documentId);
    if (found === undefined) {
      const collection = (await store.getDocument(documentId))?.collection;
      const origin =
        collection !== undefined && centerOfCollection(collection) !== centerId
          ? (await store.sharing.origins([collection])).get(collection)
          : undefined;
      found = origin ? { sharedFrom: origin } : {};
      seen.set(documentId, found);
    }
    return found;
  };
}
