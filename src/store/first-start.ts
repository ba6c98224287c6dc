import type { Store } from './store-types.js';

/** The setting recording a data folder's first ingest of `CORPUS_DIR`: `ingesting`, then `done`. */
export const firstStartSetting = 'corpus.firstStart';

/**
 * Whether `CORPUS_DIR` is still to be ingested into this store: only on a data folder never
 * initialised (no marker, no document, no chunk ever written), or when its first ingest was cut
 * short (`ingesting`; unchanged files are skipped on the retry). The trigger used to be "no
 * documents", so a center that deleted every sample document found them back after a restart (or
 * a CLI `ask`), served to learners. A folder written before the marker existed is initialised.
 */
export async function corpusIngestDue(store: Pick<Store, 'getSetting' | 'generation' | 'listDocuments'>): Promise<boolean> {
  const marker = await store.getSetting(firstStartSetting);
  if (marker !== undefined) return marker === 'ingesting';
  return (await store.generation()) === 0 && (await store.listDocuments()).length === 0;
}

/** Records the first ingest's progress; false when it could not be written (a full disk: retried on a later start). */
export async function markCorpusIngest(store: Pick<Store, 'setSetting'>, state: 'ingesting' | 'done'): Promise<boolean> {
  try {
    await store.setSetting(firstStartSetting, state);
    return true;
  } catch {
    return false;
  }
}
