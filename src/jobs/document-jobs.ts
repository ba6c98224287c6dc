import type { Engine, IngestItem, IngestOutcome } from '../engine/index.js';
import { centerOfCollection, type Store } from '../store/index.js';

/**
 * The document work the admin routes ask for: ingest uploads, re-index one document or a center's
 * documents. Each call resolves with the same outcomes as the engine's own methods, whoever ran
 * the work: this process (`inProcessDocumentJobs`, the SQLite default) or any worker of a
 * PostgreSQL-backed queue (`QueuedDocumentJobs`, issue 20 item 3), so the HTTP contract of an
 * upload is the same either way.
 */
export interface DocumentJobs {
  /** Ingests uploaded files; one outcome per item, in order. */
  ingest(items: readonly IngestItem[]): Promise<IngestOutcome[]>;
  /** Re-reads one stored document; undefined when it is unknown. */
  reindexDocument(id: string): Promise<IngestOutcome | undefined>;
  /** Re-reads every stored document of one center. */
  reindexCenter(centerId: string): Promise<IngestOutcome[]>;
  /** Stops taking work (a queued runner's worker and connections); in-process: nothing to do. */
  close(): Promise<void>;
}

/** Document work done by this process's engine, as before the queue existed (the SQLite default). */
export function inProcessDocumentJobs(engine: Engine<Store>): DocumentJobs {
  return {
    ingest: (items) => engine.ingest(items),
    reindexDocument: (id) => engine.reindexDocument(id),
    reindexCenter: (centerId) => engine.reindexAll(undefined, (d) => centerOfCollection(d.collection) === centerId),
    close: async () => {},
  };
}
