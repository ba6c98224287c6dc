import type { Embeddings } from '@langchain/core/embeddings';
import { join } from 'node:path';
import { extractiveAnswer, type AnswerEvent } from '../answer/index.js';
import { defaultChunkerSettings, type ChunkerSettings } from '../chunk/index.js';
import { createEmbedder, LocalEmbedder, type Embedder, type LocalEmbeddings } from '../embed/index.js';
import {
  defaultBm25Params,
  defaultHnswSettings,
  type Bm25Index,
  type Bm25Params,
  type HnswSettings,
  type IndexableChunk,
  type IndexSettings,
  type VectorIndex,
} from '../indexes/index.js';
import { defaultLoadLimits, type LoadLimits } from '../ingest/index.js';
import { closeSharedOcrEngine, OcrPageStore } from '../ocr/index.js';
import {
  defaultRetrieverSettings,
  foldedTermsOf,
  joinFoldedTerms,
  Retriever,
  type Retrieval,
  type RetrieveOptions,
  type RetrieverSettings,
} from '../retrieve/index.js';
import { type DocumentRecord, type Store, type TrogiangStore } from '../store/index.js';
import { followerRegistryOf, trimForReplicas } from './follower-registry.js';
import { IndexFollower, type FollowerLag } from './index-follower.js';
import { IndexSet, type IndexSetOptions } from './index-set.js';
import { Ingestor, type IngestItem, type IngestOutcome } from './ingestor.js';
import { Slicer } from './yield-slices.js';

export type { IngestItem, IngestOutcome } from './ingestor.js';

/** Everything needed to open a data folder. */
export interface EngineOptions<S extends Store = TrogiangStore> {
  /**
   * The source of truth (documents, chunks, their change log). The engine owns it from here:
   * `close` closes it, and so does an `open` that fails. Usually `openSqliteStore(dataDir)`; the
   * service's routes need a `TrogiangStore`, the engine itself only the `Store` contract.
   */
  store: S;
  /** The folder whose `indexes/` holds the saved BM25 and vector indexes. */
  dataDir: string;
  /** Default: the offline `LocalEmbeddings` (512 dimensions). */
  embeddings?: Embeddings & { id?: string };
  /** Required with non-local embeddings whose size is not known in advance (probed otherwise). */
  dimensions?: number;
  embedderId?: string;
  chunker?: ChunkerSettings;
  bm25?: Bm25Params;
  hnsw?: HnswSettings;
  retriever?: RetrieverSettings;
  limits?: LoadLimits;
  /** Told why indexes were rebuilt, and other notices. */
  log?: (message: string) => void;
  /** Told what needs attention: saved indexes that failed validation, a save that failed (default: `log`). */
  warn?: (message: string) => void;
  /** Called once `close` has closed the store (the data folder lock is released there). */
  onClose?: () => void;
  /** Chunk changes after which the indexes are saved (default 2,000; 0 saves after every change). */
  saveEvery?: number;
  /**
   * New vectors in one ingest (or rebuild) from which the HNSW graph is built on a worker thread
   * while this one does the rest (default 2,000 when opening, 20,000 in `ingest`; `Infinity` never).
   * An upload below it inserts its vectors here in slices instead: the worker's graph is swapped
   * in synchronously at the end (0.2-0.9 s for 8,000 vectors here), which held the event loop.
   */
  backgroundVectorBuild?: number;
  /**
   * Files of at least this many bytes are parsed, chunked and featurised on a worker thread
   * (default 256 KiB; `Infinity` never, 0 always). Smaller ones take milliseconds here, except
   * PDFs and DOCX files, which go to the worker whatever their size unless this is `Infinity`.
   */
  prepareOnWorkerFrom?: number;
  /** Main-thread indexing work between two yields to the event loop, in ms (default 12). */
  sliceMs?: number;
  /** Called after each committed change reached the indexes: the writer of several processes wakes its followers. */
  onIndexesChanged?: () => void;
}

/** A follower process's engine (issue 20 item 5): reads the folder, follows the writer's change log. */
export interface FollowerEngineOptions extends EngineOptions {
  /** This process's id in the store's follower registry. */
  followerId: string;
  /** Fallback poll of the change log in ms (default 1,000). */
  pollMs?: number;
}

/** Wakes a replica when the store's change log grows (PostgreSQL: `LISTEN/NOTIFY`); `close` stops it. */
export type ListenForChanges = (wake: () => void) => { close(): Promise<void> };

/**
 * A replica's engine on a shared store (PostgreSQL, issue 20 item 2): it writes to the store and
 * follows the store's change log; `dataDir` holds only its own cache of the indexes.
 */
export interface ReplicaEngineOptions<S extends Store = TrogiangStore> extends EngineOptions<S> {
  /** This replica's id in the store's follower registry (unique among live replicas). */
  replicaId: string;
  /** Wake-ups when another replica commits a change; without it the replica only polls. */
  listen?: ListenForChanges;
  /** Poll of the change log in ms, in case a wake-up is lost (default 2,000). */
  pollMs?: number;
  /** How long a write waits for this replica's indexes to apply it before answering anyway (default 10 s). */
  catchUpTimeoutMs?: number;
}

/** A write asked of a follower process's engine: only the folder's writer changes documents. */
export class ReadOnlyEngineError extends Error {
  readonly code = 'read_only_process';
  constructor(what: string) {
    super(`${what}: this process follows the data folder's writer and changes no documents (send the request to the writer)`);
    this.name = 'ReadOnlyEngineError';
  }
}

/**
 * Stores the folded terms of chunks written before they were kept (schema 1): once per data
 * folder, in batches, each batch its own transaction (a crash keeps what was done). Until then
 * retrieval tokenises those chunks itself, with the same result.
 */
async function fillFoldedTerms(store: Store, log: (message: string) => void): Promise<void> {
  let filled = 0;
  try {
    for (let batch = await store.chunksWithoutFoldedTerms(1000); batch.length > 0; batch = await store.chunksWithoutFoldedTerms(1000)) {
      if (filled === 0) log('storing the folded terms of chunks written by an earlier version (once)');
      await store.setFoldedTerms(batch.map((c) => [c.seq, joinFoldedTerms(foldedTermsOf(c))] as const));
      filled += batch.length;
      if (filled % 20_000 < batch.length) log(`folded terms stored for ${filled} chunks…`);
    }
  } catch (error) {
    // Derived data only: a full disk must not stop the service from starting.
    log(`could not store folded terms (${(error as Error).message}); retrieval tokenises those chunks instead`);
  }
  if (filled > 0) log(`folded terms stored for ${filled} chunks`);
}

/**
 * The offline RAG core over one data folder, a facade over its parts: the store it is given
 * (source of truth), the index set (BM25, vectors, statistics: loaded, caught up, rebuilt, saved),
 * the ingestor (the write path), the embedder (local or remote) and the retriever.
 */
export class Engine<S extends Store = TrogiangStore> {
  /** Replaced, with the indexes, when a follower reloads them. */
  retriever: Retriever;
  private onClose?: (() => void) | undefined;
  /** Set on a follower process's engine, and on a replica's: it keeps the indexes in step with the store's log. */
  follower: IndexFollower | undefined;
  /** A replica writes to the store too; a follower process refuses writes. */
  private replica = false;
  /** A replica's wake-ups (stopped by `close`). */
  private listening: { close(): Promise<void> } | undefined;

  private constructor(
    readonly store: S,
    readonly embedder: Embedder,
    private indexes: IndexSet,
    private readonly ingestor: Ingestor,
    readonly chunker: ChunkerSettings,
    private readonly retrieverSettings: RetrieverSettings,
    onClose: (() => void) | undefined,
  ) {
    this.onClose = onClose;
    this.retriever = this.retrieverOver(indexes);
  }

  private retrieverOver(indexes: IndexSet): Retriever {
    return new Retriever(
      {
        bm25: indexes.bm25,
        vectors: indexes.vectors,
        embedQuery: async (q) => this.embedder.embedQuery(q),
        getChunks: (seqs) => this.store.getChunks(seqs),
      },
      this.retrieverSettings,
    );
  }

  /** The settings of an engine over `options` (what the writer and its followers must agree on). */
  private static async parts(options: EngineOptions<Store>) {
    const embedder = await createEmbedder(options.embeddings, options);
    const chunker = options.chunker ?? defaultChunkerSettings;
    const settings: IndexSettings = {
      embedderId: embedder.id,
      dimensions: embedder.dimensions,
      chunker,
      bm25: options.bm25 ?? defaultBm25Params,
      hnsw: options.hnsw ?? defaultHnswSettings,
    };
    return { embedder, chunker, settings };
  }

  /**
   * Opens a follower process's engine over the data folder another process writes (issue 20
   * item 5): loads the last saved indexes read-only (or rebuilds them from the store), catches up
   * from the change log and then follows it (`engine.follower`). It never saves, never trims the
   * log and refuses writes (`ReadOnlyEngineError`); `close` leaves the follower registry.
   */
  static async openFollower(options: FollowerEngineOptions): Promise<Engine> {
    const log = options.log ?? (() => {});
    const store = options.store;
    try {
      // Registered at generation 0 before reading the saved set: until it has caught up, the
      // writer trims nothing (the set it reads stays reachable from the log).
      await store.followers.report(options.followerId, process.pid, 0);
      const { embedder, chunker, settings } = await Engine.parts(options);
      const indexDir = join(options.dataDir, 'indexes');
      const setOptions: IndexSetOptions = { log, warn: options.warn, saveEvery: Infinity, backgroundFrom: Infinity, readOnly: true };
      const load = async (): Promise<{ indexes: IndexSet; generation: number }> => {
        for (let attempt = 0; ; attempt++) {
          const generation = await store.generation();
          const loaded = await IndexSet.load(store, embedder, settings, indexDir, setOptions);
          if (loaded.caughtUp) return { indexes: loaded.indexes, generation: loaded.loadedGeneration! };
          // The writer may have replaced the saved set while it was read: read the new one.
          if (attempt < 2 && (await store.countChunks()) > 0) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            continue;
          }
          await loaded.indexes.rebuildFromStore();
          return { indexes: loaded.indexes, generation };
        }
      };
      const first = await load();
      const ingestor = new Ingestor(store, first.indexes, embedder, { chunker, limits: options.limits ?? defaultLoadLimits, log });
      const engine = new Engine(
        store,
        embedder,
        first.indexes,
        ingestor,
        chunker,
        options.retriever ?? defaultRetrieverSettings,
        options.onClose,
      );
      engine.follower = new IndexFollower(
        { store, current: () => engine.indexes, load, swap: (indexes) => engine.replaceIndexes(indexes) },
        first.generation,
        { id: options.followerId, pollMs: options.pollMs, log },
      );
      await engine.follower.catchUp();
      engine.follower.start();
      return engine;
    } catch (error) {
      try {
        await store.followers.remove(options.followerId);
      } finally {
        await store.close();
      }
      throw error;
    }
  }

  /**
   * Opens a replica's engine on a store several replicas share (PostgreSQL; issue 20 item 2).
   * Its indexes change only by following the store's change log in generation order, its own
   * writes included, so every replica applies the same sequence; a write answers once this
   * replica has applied it (read-your-writes). It starts from the index cache saved in its own
   * `dataDir` caught up from the log, or rebuilds from the store when the log no longer reaches
   * back; it saves that cache every `saveEvery` changes and trims the log no further than every
   * live replica has applied (`store.followers`, when the store has the registry).
   * @example const engine = await Engine.openReplica({ store, dataDir, replicaId: 'web-1', listen: (wake) => listenForChanges(store, wake) });
   */
  static async openReplica<S extends Store = TrogiangStore>(options: ReplicaEngineOptions<S>): Promise<Engine<S>> {
    const log = options.log ?? (() => {});
    const store = options.store;
    const registry = followerRegistryOf(store);
    let listening: { close(): Promise<void> } | undefined;
    try {
      // Registered at generation 0 first: no replica trims the log while this one loads.
      await registry?.report(options.replicaId, process.pid, 0);
      const { embedder, chunker, settings } = await Engine.parts(options);
      const setOptions: IndexSetOptions = {
        log,
        warn: options.warn,
        saveEvery: options.saveEvery ?? 2000,
        backgroundFrom: options.backgroundVectorBuild ?? 2000,
        trimChanges: (generation) => trimForReplicas(store, generation),
      };
      const load = async (): Promise<{ indexes: IndexSet; generation: number }> => {
        // Read before the rebuild: changes committed during it are applied again from the log, harmlessly.
        const generation = await store.generation();
        const loaded = await IndexSet.load(store, embedder, settings, join(options.dataDir, 'indexes'), setOptions);
        if (loaded.caughtUp) {
          const changes = loaded.changes ?? [];
          if (changes.length > 0) await loaded.indexes.replayChanges(changes);
          return { indexes: loaded.indexes, generation: changes.at(-1)?.generation ?? loaded.loadedGeneration! };
        }
        if (await loaded.indexes.needsReembedding())
          (options.warn ?? log)('the stored vectors are from another embedder: re-index from one replica (`trogiang reindex`)');
        await loaded.indexes.rebuildFromStore();
        return { indexes: loaded.indexes, generation };
      };
      const first = await load();
      let engine: Engine<S> | undefined;
      const ingestor = new Ingestor(store, first.indexes, embedder, {
        chunker,
        limits: options.limits ?? defaultLoadLimits,
        log,
        prepareOnWorkerFrom: options.prepareOnWorkerFrom,
        sliceMs: options.sliceMs,
        followLog: () => engine!.reachStore(options.catchUpTimeoutMs ?? 10_000, options.warn ?? log),
      });
      engine = new Engine(
        store,
        embedder,
        first.indexes,
        ingestor,
        chunker,
        options.retriever ?? defaultRetrieverSettings,
        options.onClose,
      );
      const self = engine;
      self.replica = true;
      self.follower = new IndexFollower(
        {
          store,
          current: () => self.indexes,
          load,
          swap: (indexes) => self.replaceIndexes(indexes),
          caughtUp: async (generation) => {
            if (self.indexes.saveDue) await self.indexes.saveWhileServing(new Slicer(), generation);
          },
        },
        first.generation,
        { id: options.replicaId, pollMs: options.pollMs ?? 2000, log },
      );
      // Listening before the first catch-up: a change committed in between wakes it again.
      listening = options.listen?.(() => self.follower?.wake());
      self.listening = listening;
      await self.follower.catchUp();
      // A fresh cache right away after a rebuild: the next start catches up instead of rebuilding.
      if (self.indexes.dirty) await self.indexes.saveWhileServing(new Slicer(), self.follower.generation);
      self.follower.start();
      return self;
    } catch (error) {
      try {
        await listening?.close();
        await registry?.remove(options.replicaId);
      } finally {
        await store.close();
      }
      throw error;
    }
  }

  /**
   * A replica's read-your-writes: resolves once its indexes have applied everything committed so
   * far (the write just made included), or after `timeoutMs` with a warning (the write is stored;
   * the indexes show it a moment later).
   */
  private async reachStore(timeoutMs: number, warn: (message: string) => void): Promise<void> {
    const generation = await this.store.generation();
    if (!(await this.follower!.waitFor(generation, timeoutMs)))
      warn(`this replica's indexes had not reached generation ${generation} after ${timeoutMs} ms; the write is stored and shows shortly`);
  }

  /** A follower's indexes, reloaded: searches use them from here. */
  private replaceIndexes(indexes: IndexSet): void {
    this.indexes = indexes;
    this.retriever = this.retrieverOver(indexes);
  }

  /** True on a replica's engine (`openReplica`). */
  get isReplica(): boolean {
    return this.replica;
  }

  /** How far a follower's (or replica's) indexes are behind the store; undefined on the writer. */
  lag(): Promise<FollowerLag> | undefined {
    return this.follower?.lag();
  }

  private refuseOnFollower(what: string): void {
    if (this.follower && !this.replica) throw new ReadOnlyEngineError(what);
  }

  /**
   * Opens a data folder's engine over `options.store` and brings the indexes in line with it:
   * loads the saved ones and replays the store's later changes, or rebuilds them.
   */
  static async open<S extends Store = TrogiangStore>(options: EngineOptions<S>): Promise<Engine<S>> {
    const log = options.log ?? (() => {});
    const store = options.store;
    try {
      const { embedder, chunker, settings } = await Engine.parts(options);
      const { indexes, changes, caughtUp, loadedGeneration } = await IndexSet.load(
        store,
        embedder,
        settings,
        join(options.dataDir, 'indexes'),
        {
          log,
          warn: options.warn,
          saveEvery: options.saveEvery ?? 2000,
          backgroundFrom: options.backgroundVectorBuild ?? 2000,
          onChange: options.onIndexesChanged,
        },
      );
      const ingestor = new Ingestor(store, indexes, embedder, {
        chunker,
        limits: options.limits ?? defaultLoadLimits,
        log,
        prepareOnWorkerFrom: options.prepareOnWorkerFrom,
        sliceMs: options.sliceMs,
        backgroundFrom: options.backgroundVectorBuild,
      });
      const engine = new Engine(
        store,
        embedder,
        indexes,
        ingestor,
        chunker,
        options.retriever ?? defaultRetrieverSettings,
        options.onClose,
      );
      if (changes?.length) await indexes.replayChanges(changes);
      await fillFoldedTerms(store, log);
      if (!caughtUp) {
        if (await indexes.needsReembedding()) await ingestor.reindexAll();
        else await indexes.rebuildFromStore();
      } else if (loadedGeneration !== undefined && loadedGeneration !== (await store.generation())) indexes.dirty = true;
      if (indexes.dirty) await ingestor.trySave();
      return engine;
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  get bm25(): Bm25Index {
    return this.indexes.bm25;
  }
  get vectors(): VectorIndex {
    return this.indexes.vectors;
  }
  get settings(): IndexSettings {
    return this.indexes.settings;
  }
  get limits(): LoadLimits {
    return this.ingestor.limits;
  }
  /** The local embedder's model (features, statistics), or null with a remote embedder. */
  get local(): LocalEmbeddings | null {
    return this.embedder instanceof LocalEmbedder ? this.embedder.local : null;
  }

  /**
   * Ingests files: unchanged ones are skipped, changed ones replace their chunks atomically, and
   * a failed file changes nothing (see `Ingestor.ingest`).
   */
  ingest(
    items: readonly IngestItem[],
    onProgress?: (done: number, total: number, outcome: IngestOutcome) => void,
    options: { force?: boolean; limits?: LoadLimits } = {},
  ): Promise<IngestOutcome[]> {
    this.refuseOnFollower('ingest');
    return this.ingestor.ingest(items, onProgress, options).then((outcomes) => this.recordOcrPages(outcomes));
  }

  /** Stores the OCR confidence of each page read by OCR (the admin page flags the low ones; docs/ocr.md). */
  private async recordOcrPages<T extends IngestOutcome | undefined | IngestOutcome[]>(result: T): Promise<T> {
    // A bare `Store` (the engine's own contract) has no repositories: nothing to record.
    const sql = 'sql' in this.store ? (this.store as unknown as TrogiangStore).sql : undefined;
    if (!sql) return result;
    const pages = new OcrPageStore(sql);
    for (const o of [result].flat()) if (o && (o.status === 'added' || o.status === 'replaced')) await pages.replace(o.document.id, o.ocr);
    return result;
  }

  /** Deletes a document from the store and both indexes (after an upload being indexed, if any). */
  removeDocument(id: string): Promise<boolean> {
    this.refuseOnFollower('removeDocument');
    return this.ingestor.removeDocument(id);
  }

  /** Resolves once the deletions held back by a running upload or save have been carried out. */
  deletionsApplied(): Promise<void> {
    return this.ingestor.deletionsApplied();
  }

  /** Re-reads one stored source with the current loaders, chunker and embedder; undefined if unknown. */
  reindexDocument(id: string): Promise<IngestOutcome | undefined> {
    this.refuseOnFollower('reindexDocument');
    return this.ingestor.reindexDocument(id).then((outcome) => this.recordOcrPages(outcome));
  }

  /** Re-reads every stored source with the current loaders, chunker and embedder. */
  reindexAll(
    onProgress?: (done: number, total: number, outcome: IngestOutcome) => void,
    only?: (doc: DocumentRecord) => boolean,
  ): Promise<IngestOutcome[]> {
    this.refuseOnFollower('reindexAll');
    return this.ingestor.reindexAll(onProgress, only).then((outcomes) => this.recordOcrPages(outcomes));
  }

  /** Retrieval with the engine's indexes. */
  retrieve(query: string, options?: RetrieveOptions): Promise<Retrieval> {
    return this.retriever.retrieve(query, options);
  }

  /** IDF of a folded term, for sentence scoring. */
  idf = (term: string): number => this.indexes.bm25.idf(term);

  /** Chunks holding a term (folded, or `=`-prefixed exact form): for IDF pooled with other texts (verified answers). */
  documentFrequency = (term: string): number => this.indexes.bm25.documentFrequency(term);

  /** Chunks in the BM25 index (the N of its IDF). */
  get indexedChunks(): number {
    return this.indexes.bm25.size;
  }

  /**
   * Retrieves and answers offline, as a stream of answer events (no follow-ups, no model: the
   * service and `trogiang ask` use `answerQuestion`).
   */
  async *ask(question: string, options?: RetrieveOptions): AsyncGenerator<AnswerEvent> {
    const retrieval = await this.retrieve(question, options);
    yield* extractiveAnswer(retrieval, this.idf);
  }

  /** Writes both indexes atomically and trims the store's change log. */
  save(): Promise<void> {
    this.refuseOnFollower('save');
    // A replica's cache is saved at the generation its indexes have applied, not the store's.
    if (this.replica) return this.indexes.saveWhileServing(new Slicer(), this.follower!.generation);
    return this.indexes.save();
  }

  async close(): Promise<void> {
    try {
      void this.ingestor.close();
      if (this.follower) {
        await this.listening?.close();
        // Leaves the registry before the store closes, so the writer may trim past it.
        await this.follower.stop();
        // A replica keeps its cache for a quick start (trimming only what the others have applied).
        if (this.replica && this.indexes.dirty) await this.indexes.saveWhileServing(new Slicer(), this.follower.generation);
      } else if (this.indexes.dirty) await this.ingestor.trySave();
      await this.store.close();
      // The OCR workers (started by a scanned upload) would otherwise keep a CLI process alive.
      void closeSharedOcrEngine();
    } finally {
      const onClose = this.onClose;
      this.onClose = undefined;
      onClose?.();
    }
  }
}

export type { IndexableChunk };
