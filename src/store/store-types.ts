import type { Chunk } from '../chunk/index.js';
import type { DocumentFormat } from '../ingest/types.js';
import type { BlobStore } from './blob-parts.js';
import type { CollectionStore } from './collection-store.js';
import type { CollectionMetadataStore } from './collection-metadata.js';
import type { ConversationStore } from './conversation-store.js';
import type { LearnerConversationStore } from './learner-conversation-store.js';
import type { SiteKeyStore } from './site-key-store.js';
import type { SharingStore } from './sharing-store.js';
import type { FollowerStore } from './follower-store.js';
import type { SqlDb } from './sql/sql-db.js';

/** A document as the store keeps it (without its source bytes). */
export interface DocumentRecord {
  id: string;
  collection: string;
  title: string;
  fileName: string;
  format: DocumentFormat;
  /** SHA-256 of the source bytes: an unchanged file is skipped on re-ingest. */
  contentHash: string;
  bytes: number;
  pages: number;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A stored chunk without its vector: what retrieval and answers read. */
export interface ChunkRecord extends Chunk {
  /** Sequence number, the id in both indexes; never reused, so a chunk's content never changes under it. */
  seq: number;
  /** The folded terms of title, headings and text, space-separated, when stored (see `foldedTermsOf`). */
  foldedTerms?: string;
}

/** A stored chunk with its vector (for rebuilding the vector index). */
export interface StoredChunk extends ChunkRecord {
  vector: Float32Array;
}

/** A chunk to store, with its vector. */
export interface NewChunk extends Chunk {
  vector: Float32Array;
  /** Space-separated folded terms, stored for retrieval. */
  foldedTerms?: string;
}

/** One change to the set of chunks, replayed into the indexes after a crash. */
export interface ChunkChange {
  generation: number;
  op: 'add' | 'remove';
  seq: number;
  /** For removals: what the indexes need to forget the chunk. */
  removed?: RemovedChunk;
}

/** The searchable fields of a removed chunk. */
export interface RemovedChunk {
  title: string;
  headingPath: string[];
  text: string;
  collection: string;
}

/** Chunk sequence numbers added and removed by one write. */
export interface ChunkDelta {
  added: number[];
  removed: StoredChunk[];
}

/**
 * The source of truth: documents, their source bytes, chunks with vectors, collections, settings
 * and a log of chunk changes. Asynchronous, so that it is one contract for the SQLite adapter
 * (`SqliteStore`, the embedded default) and the PostgreSQL one (`PostgresStore`, `DATABASE_URL`);
 * `test/store/contract/` runs the same tests against both.
 *
 * Each write of chunks is one transaction that also appends to the change log; generations are
 * gapless and committed in order (followers read `changesSince` and never miss one).
 */
export interface Store {
  /** `sqlite` or `postgres`: which adapter (for logs and readiness). */
  readonly kind: 'sqlite' | 'postgres';
  getDocument(id: string): Promise<DocumentRecord | undefined>;
  getDocumentSource(id: string): Promise<Buffer | undefined>;
  /** `getDocumentSource` read a part at a time, awaiting `pause()` between parts. */
  getDocumentSourceInSlices(id: string, pause: () => Promise<void>): Promise<Buffer | undefined>;
  listDocuments(collection?: string): Promise<DocumentRecord[]>;
  /** Inserts or replaces a document and all its chunks in one transaction. */
  replaceDocument(doc: DocumentRecord, source: Uint8Array, chunks: NewChunk[]): Promise<ChunkDelta>;
  /** The same write, in one transaction held open while `pause()` lets the event loop run between rows. */
  replaceDocumentInSlices(doc: DocumentRecord, source: Uint8Array, chunks: NewChunk[], pause: () => Promise<void>): Promise<ChunkDelta>;
  /** Deletes a document and its chunks in one transaction; undefined when it did not exist. */
  removeDocument(id: string): Promise<ChunkDelta | undefined>;
  /** Chunks by sequence number, in the order asked, without vectors; missing ones are skipped. Called per query. */
  getChunks(seqs: readonly number[]): Promise<ChunkRecord[]>;
  getChunk(seq: number): Promise<StoredChunk | undefined>;
  chunksOfDocument(documentId: string): Promise<StoredChunk[]>;
  /**
   * At most `limit` chunks with `seq` above `afterSeq`, in sequence order (rebuilding the indexes
   * pages through every chunk this way: 100k chunks never sit in memory at once).
   */
  chunksAfter(afterSeq: number, limit: number): Promise<StoredChunk[]>;
  countChunks(): Promise<number>;
  /** Chunks stored before folded terms were (schema 1), oldest first, at most `limit`. */
  chunksWithoutFoldedTerms(limit: number): Promise<ChunkRecord[]>;
  /** Stores chunks' folded terms (derived data: the chunk itself is unchanged). */
  setFoldedTerms(entries: ReadonlyArray<readonly [seq: number, foldedTerms: string]>): Promise<void>;
  /** Sets every document's chunk count from its stored chunks (repair after damage). */
  recountChunks(): Promise<number>;
  listCollections(): Promise<Array<{ id: string; documents: number }>>;
  /** The generation of the latest change (0 when none). */
  generation(): Promise<number>;
  /** Changes after `generation`; undefined when the log no longer reaches back that far. */
  changesSince(generation: number): Promise<ChunkChange[] | undefined>;
  /** Forgets changes up to `generation` once the indexes are saved past it (the latest one is kept). */
  trimChanges(generation: number): Promise<void>;
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

/** Every stored chunk in sequence order, `batch` at a time (see `Store.chunksAfter`). */
export async function* allChunks(store: Store, batch = 1000): AsyncGenerator<StoredChunk> {
  for (let after = 0; ; ) {
    const page = await store.chunksAfter(after, batch);
    yield* page;
    if (page.length < batch) return;
    after = page[page.length - 1]!.seq;
  }
}

/** A store with every repository: what the server needs. `SqliteStore` implements it. */
export type TrogiangStore = Store & {
  /**
   * The store's own connection as an asynchronous `SqlDb`, for the repositories (accounts,
   * conversations, practice, LTI…), so each is written once for SQLite and PostgreSQL. There is
   * exactly one per connection: SQLite's transaction queue lives in it. Inside
   * `sql.transaction(fn)` await only statements of `fn`'s handle, never other I/O, so no other
   * request's statement runs inside the transaction.
   */
  readonly sql: SqlDb;
  /** Stored bytes in parts: sources and rendered pages, streamed by `GET /docs/:id`. */
  readonly blobs: BlobStore;
  readonly conversations: ConversationStore;
  /** Whose a conversation is (LTI learners, a host page's signed users): their history and a course's log. */
  readonly learnerConversations: LearnerConversationStore;
  readonly siteKeys: SiteKeyStore;
  readonly collections: CollectionStore;
  /** Licence, attribution and LRMI description of each collection (schema 5). */
  readonly collectionMetadata: CollectionMetadataStore;
  /** Publishing, the catalogue of open collections and subscriptions (issue 16 item 4). */
  readonly sharing: SharingStore;
  /** Processes following the change log; `trimChanges` keeps what the oldest live one needs (issue 20 item 5). */
  readonly followers: FollowerStore;
};

/** The time source of the store (injected in tests). */
export type Clock = () => Date;
