import { rmSync } from 'node:fs';
import type { Embedder } from '../embed/index.js';
import {
  Bm25Index,
  bm25Fields,
  embeddingText,
  loadIndexes,
  saveIndexes,
  VectorIndex,
  type FieldTokens,
  type IndexSettings,
} from '../indexes/index.js';
import { saveIndexesAsync } from '../indexes/save-indexes-async.js';
import { FeatureStats } from '../embed/index.js';
import { allChunks, type ChunkChange, type ChunkDelta, type NewChunk, type Store, type StoredChunk } from '../store/index.js';
import { addedChunksPage, readAddedChunks } from './read-added-chunks.js';
import { flushPostingsAt, Slicer } from './yield-slices.js';

/** How the index set came up: what `Engine.open` still has to do to bring it in line with the store. */
export interface LoadedIndexSet {
  indexes: IndexSet;
  /** Store changes made since the loaded indexes were saved (replay them); undefined when rebuilt. */
  changes: ChunkChange[] | undefined;
  /** False: the indexes start empty and must be rebuilt from the store. */
  caughtUp: boolean;
  /** The store generation the loaded indexes were saved at; undefined when none were loaded. */
  loadedGeneration: number | undefined;
}

export interface IndexSetOptions {
  log: (message: string) => void;
  /** Default: `log`. */
  warn?: ((message: string) => void) | undefined;
  /** Chunk changes after which the indexes are saved. */
  saveEvery: number;
  /** New vectors from which opening builds the graph on a worker thread. */
  backgroundFrom: number;
  /**
   * A follower process's set (issue 20 item 5): never saves (so never trims the change log) and
   * leaves `indexes-building/` alone, which belong to the folder's writer.
   */
  readOnly?: boolean;
  /** Called after each committed change has been applied (the writer wakes its followers). */
  onChange?: (() => void) | undefined;
  /**
   * Forgets the store's changes up to a saved generation (default `store.trimChanges`). A
   * PostgreSQL replica passes one that keeps what the other live replicas still need.
   */
  trimChanges?: ((generation: number) => Promise<void>) | undefined;
}

/**
 * The search indexes of one data folder, BM25 and vectors (and the local embedder's statistics,
 * through `embedder`), following the store: loaded from their last save and caught up from the
 * store's change log, or rebuilt from the store; then kept in step with each committed change
 * (`applyDelta`) and saved when enough changes piled up. The store stays the source of truth.
 */
export class IndexSet {
  /** Changes applied since the last save. */
  dirty = false;
  /** Chunk changes applied to the indexes since they were last saved. */
  unsavedChanges = 0;
  private readonly log: (message: string) => void;
  private readonly warn: (message: string) => void;

  private constructor(
    private readonly store: Store,
    private readonly embedder: Embedder,
    readonly bm25: Bm25Index,
    readonly vectors: VectorIndex,
    readonly settings: IndexSettings,
    private readonly indexDir: string,
    private readonly options: IndexSetOptions,
  ) {
    this.log = options.log;
    this.warn = options.warn ?? options.log;
  }

  /** Loads the saved indexes when they match `settings` and the change log reaches back to them, or starts empty ones. */
  static async load(
    store: Store,
    embedder: Embedder,
    settings: IndexSettings,
    indexDir: string,
    options: IndexSetOptions,
  ): Promise<LoadedIndexSet> {
    const log = options.log;
    // Left by a background vector build that a crash interrupted: the store has its vectors.
    if (!options.readOnly) rmSync(`${indexDir}-building`, { recursive: true, force: true });
    const loaded = loadIndexes(indexDir, settings, embedder.keepsStats);
    let bm25: Bm25Index;
    let vectors: VectorIndex;
    let caughtUp = false;
    let changes: ChunkChange[] | undefined;
    if (loaded.ok) {
      bm25 = loaded.indexes.bm25;
      vectors = loaded.indexes.vectors;
      if (embedder.keepsStats && loaded.indexes.stats) embedder.useStats(loaded.indexes.stats);
      changes = await store.changesSince(loaded.indexes.generation);
      if (changes) caughtUp = true;
      else log('the index change log does not reach back far enough: rebuilding from the store');
    } else if ((await store.countChunks()) > 0) {
      (loaded.reason === 'no saved indexes' ? log : (options.warn ?? log))(`rebuilding indexes from the store: ${loaded.reason}`);
    }
    if (!caughtUp) {
      bm25 = new Bm25Index(settings.bm25);
      vectors = VectorIndex.create(settings.dimensions, settings.hnsw, Math.max(1024, await store.countChunks()));
      if (embedder.keepsStats) embedder.useStats(new FeatureStats());
    }
    const indexes = new IndexSet(store, embedder, bm25!, vectors!, settings, indexDir, options);
    return { indexes, changes, caughtUp, loadedGeneration: loaded.ok ? loaded.indexes.generation : undefined };
  }

  /** True when enough changes piled up since the last save (`saveEvery`). */
  get saveDue(): boolean {
    return this.dirty && this.unsavedChanges >= this.options.saveEvery;
  }

  /**
   * Applies the store's changes made since the loaded indexes were saved. Many of them (a crash or
   * a failed save in a large ingest: 500k at the 1M benchmark's) build their graph on the worker
   * thread, as the ingest did.
   */
  async replayChanges(changes: readonly ChunkChange[]): Promise<void> {
    const adds = changes.reduce((n, c) => n + (c.op === 'add' ? 1 : 0), 0);
    await this.withBackgroundVectors(adds, () => this.applyChangesSliced(changes, new Slicer()));
    this.log(`indexes caught up with ${changes.length} stored changes`);
  }

  /**
   * Applies one logged change: an add takes the chunk as stored now (`chunk`; gone since:
   * skipped, its removal follows in the log), a removal forgets what the log kept of it. Both
   * skip what the indexes already reflect, so a change applied twice (a rebuild that read it,
   * then the log) is harmless.
   */
  private applyChange(change: ChunkChange, chunk: StoredChunk | undefined): void {
    if (change.op === 'add') {
      if (chunk && !this.bm25.has(chunk.seq)) {
        this.bm25.add(chunk.seq, bm25Fields(chunk), chunk.collection);
        this.vectors.add(chunk.seq, chunk.vector, chunk.collection);
        this.embedder.observe(embeddingText(chunk));
      }
    } else if (change.removed && this.bm25.has(change.seq)) {
      this.bm25.remove(change.seq, bm25Fields(change.removed));
      this.vectors.remove(change.seq);
      this.embedder.forget(embeddingText(change.removed));
    }
  }

  /**
   * A follower's catch-up: the logged changes applied in slices on this thread, so searches are
   * served between them (10,000 changes at once would hold the event loop for seconds). The
   * added chunks are read a page at a time (`readAddedChunks`), not one query per change.
   */
  async applyChangesSliced(changes: readonly ChunkChange[], slicer: Slicer): Promise<void> {
    for (let i = 0; i < changes.length; i += addedChunksPage) {
      const batch = changes.slice(i, i + addedChunksPage);
      const added = await readAddedChunks(
        this.store,
        batch.filter((c) => c.op === 'add').map((c) => c.seq),
      );
      for (const change of batch) {
        this.applyChange(change, added.get(change.seq));
        this.bm25.flushIfOver(flushPostingsAt);
        await slicer.maybeYield();
      }
      this.unsavedChanges += batch.length;
      this.dirty = true;
    }
  }

  /**
   * True when rebuilding needs new vectors, not the stored ones: they are from another embedder,
   * or (local embedder) unmarked, from before the embedder's id was stored. Re-indexing does it then.
   */
  async needsReembedding(): Promise<boolean> {
    const vectorsFrom = await this.store.getSetting('vectors.embedder');
    const reembed = vectorsFrom !== undefined && vectorsFrom !== this.settings.embedderId;
    return reembed || (this.embedder.keepsStats && vectorsFrom === undefined && (await this.store.countChunks()) > 0);
  }

  /** Fills the empty indexes from the stored chunks and their vectors. */
  async rebuildFromStore(): Promise<void> {
    if (this.embedder.keepsStats) for await (const chunk of allChunks(this.store)) this.embedder.observe(embeddingText(chunk));
    await this.withBackgroundVectors(await this.store.countChunks(), async () => {
      for await (const chunk of allChunks(this.store)) {
        this.bm25.add(chunk.seq, bm25Fields(chunk), chunk.collection);
        this.vectors.add(chunk.seq, chunk.vector, chunk.collection);
      }
    });
    this.dirty = true;
  }

  /**
   * Runs `work`, which adds `adds` vectors, with the graph built on a worker thread when they are
   * many (about 40% of a large ingest is hnswlib inserting on one core).
   */
  async withBackgroundVectors<T>(adds: number, work: () => T | Promise<T>, from = this.options.backgroundFrom): Promise<T> {
    if (adds < from) return work();
    const started = performance.now();
    this.vectors.startBackgroundBuild(`${this.indexDir}-building`, adds);
    const background = this.vectors.buildingInBackground;
    try {
      return await work();
    } finally {
      const waited = performance.now();
      const outcome = await this.vectors.finishBackgroundBuild();
      const seconds = (from: number) => ((performance.now() - from) / 1000).toFixed(1);
      if (outcome.builtBy === 'worker')
        this.log(
          `vector graph of ${adds} new chunks built on a worker thread (${seconds(started)} s, ${seconds(waited)} s waited for it at the end)`,
        );
      else if (outcome.builtBy === 'this-thread')
        this.log(`the vector graph's worker thread failed (${outcome.reason}): its vectors were added on this thread`);
      else if (!background) this.log('no worker thread for the vector graph: built on this thread');
    }
  }

  /**
   * `applyDelta` in slices (a 10 MB upload's 8,000 chunks took about 3 s of BM25 and vector
   * adds at once). Searches running between slices see part of the document, as they would a
   * moment later; the ingestor holds deletions back meanwhile (see `Ingestor.removeDocument`),
   * so nothing it removes from the store can come back into the indexes.
   */
  async applyDeltaSliced(delta: ChunkDelta, added: readonly NewChunk[], slicer: Slicer): Promise<void> {
    this.unsavedChanges += delta.removed.length + delta.added.length;
    this.dirty = true;
    await slicer.each(delta.removed, (removed) => {
      if (!this.bm25.has(removed.seq)) return;
      this.bm25.remove(removed.seq, bm25Fields(removed));
      this.vectors.remove(removed.seq);
      this.embedder.forget(embeddingText(removed));
    });
    // Room for the new vectors in one step, before the first (see VectorIndex.prepareForAdds).
    this.vectors.prepareForAdds(delta.added.length);
    await slicer.each(delta.added, (seq, i) => {
      const chunk = added[i]!;
      // Tokenised by the add itself, chunk by chunk: the tokens die young (see Ingestor.commitSliced).
      this.bm25.add(seq, bm25Fields(chunk), chunk.collection);
      this.bm25.flushIfOver(flushPostingsAt);
      this.vectors.add(seq, chunk.vector, chunk.collection);
    });
    this.options.onChange?.();
  }

  /** Applies one committed store change (a document's removed and added chunks) at once. */
  applyDelta(delta: ChunkDelta, added: readonly NewChunk[], fieldTokens?: readonly FieldTokens[]): void {
    this.unsavedChanges += delta.removed.length + delta.added.length;
    for (const removed of delta.removed) {
      if (!this.bm25.has(removed.seq)) continue;
      this.bm25.remove(removed.seq, bm25Fields(removed));
      this.vectors.remove(removed.seq);
      this.embedder.forget(embeddingText(removed));
    }
    delta.added.forEach((seq, i) => {
      const chunk = added[i]!;
      this.bm25.add(seq, { ...bm25Fields(chunk), tokens: fieldTokens?.[i] }, chunk.collection);
      this.vectors.add(seq, chunk.vector, chunk.collection);
    });
    this.dirty = true;
    this.options.onChange?.();
  }

  /**
   * Saves, or logs why it could not. The store already holds every change and its change log, so
   * a failed save (a full disk) loses nothing: the indexes stay dirty, the next save retries and
   * opening replays the log. Before, the error escaped from `ingest` and `removeDocument` after
   * the store had committed, so a stored upload was reported as failed; on `close` it also left
   * the store open, and on `open` it kept the service from starting.
   */
  async trySave(): Promise<void> {
    if (this.options.readOnly) return;
    try {
      await this.save();
    } catch (error) {
      this.warn(`could not save the indexes (kept in memory, caught up from the store on the next start): ${(error as Error).message}`);
    }
  }

  /**
   * `trySave` for uploads and re-indexing: the snapshot is taken at once, the files are written
   * on the thread pool (saveIndexesAsync) while requests are served. A synchronous save at the
   * end of a 10 MB upload held the event loop for 0.3-2 s here. The caller holds deletions back
   * until it ends.
   */
  async saveWhileServing(slicer: Slicer, at?: number): Promise<void> {
    if (this.options.readOnly) return;
    try {
      // A replica passes the generation its indexes have applied (the store may be ahead of them).
      const generation = at ?? (await this.store.generation());
      await saveIndexesAsync(
        this.indexDir,
        this.settings,
        { bm25: this.bm25, vectors: this.vectors, stats: this.embedder.stats, generation },
        () => slicer.maybeYield(),
      );
      await this.trim(generation);
      this.dirty = false;
      this.unsavedChanges = 0;
    } catch (error) {
      this.warn(`could not save the indexes (kept in memory, caught up from the store on the next start): ${(error as Error).message}`);
    }
  }

  /** Writes both indexes atomically and trims the store's change log. */
  async save(): Promise<void> {
    if (this.options.readOnly) throw new Error('a follower process never saves the indexes: the writer does');
    // Read before the snapshot: a change committed in between is in the indexes and replayed
    // again on open, which is harmless (replay skips what the indexes hold), never missed.
    const generation = await this.store.generation();
    saveIndexes(this.indexDir, this.settings, {
      bm25: this.bm25,
      vectors: this.vectors,
      stats: this.embedder.stats,
      generation,
    });
    await this.trim(generation);
    this.dirty = false;
    this.unsavedChanges = 0;
  }

  private trim(generation: number): Promise<void> {
    return this.options.trimChanges ? this.options.trimChanges(generation) : this.store.trimChanges(generation);
  }
}
