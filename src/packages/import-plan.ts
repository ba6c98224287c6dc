import type { LoadedDocument } from '../ingest/index.js';
import type { CollectionMetadata } from '../store/index.js';

/** One document a verified package will add. */
export interface PlannedDocument {
  /** Where it sits in the package. */
  path: string;
  fileName: string;
  bytes: Uint8Array;
  /** Already read by the loaders, with the title the package gives it (a cartridge's item title). */
  loaded?: LoadedDocument;
}

/** What a verified package holds: nothing has been stored yet. */
export interface ImportPlan {
  kind: 'trogiang' | 'imscc';
  /** The collection the package describes (its id is the default target). */
  collection: { id: string; name: string };
  metadata: CollectionMetadata;
  /** In the order to ingest them. */
  documents: PlannedDocument[];
  /** Entries of the package that are not documents (a cartridge's images, styles, quizzes), with why. */
  skipped: Array<{ path: string; reason: string }>;
}
