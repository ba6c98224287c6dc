import type { Embeddings } from '@langchain/core/embeddings';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { extractiveAnswer, type AnswerEvent } from '../answer/index.js';
import { defaultChunkerSettings, type Chunk, type ChunkerSettings } from '../chunk/index.js';
import { featureListOf, featuresAt, FeatureStats, LocalEmbeddings, type FeatureList } from '../embed/index.js';
import {
  Bm25Index,
  bm25Fields,
  defaultBm25Params,
  defaultHnswSettings,
  embeddingText,
  loadIndexes,
  saveIndexes,
  tokenizeFields,
  VectorIndex,
  type Bm25Params,
  type FieldTokens,
  type HnswSettings,
  type IndexableChunk,
  type IndexSettings,
} from '../indexes/index.js';
import { defaultLoadLimits, IngestError, safeFileName, type LoadedDocument, type LoadLimits, type OcrSummary } from '../ingest/index.js';
import { closeSharedOcrEngine } from '../ocr/index.js';
import {
  defaultRetrieverSettings,
  foldedTermsOf,
  joinFoldedTerms,
  Retriever,
  type Retrieval,
  type RetrieveOptions,
  type RetrieverSettings,
} from '../retrieve/index.js';
import { isDiskFull, SqliteStore, type ChunkChange, type ChunkDelta, type DocumentRecord, type NewChunk, type TrogiangStore } from '../store/index.js';
import { saveIndexesAsync } from '../indexes/save-indexes-async.js';
import { contentHashInSlices, documentId } from './document-id.js';
import { prepareContent, type PreparedContent, type PrepareRequest } from './prepare-content.js';
import { PrepareOffThread, PrepareWorkerFailure } from './prepare-off-thread.js';
import { defaultSliceMs, flushPostingsAt, SerialQueue, Slicer } from './yield-slices.js';

/** Everything needed to open a data folder. */
export interface EngineOptions {
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
   * (default 256 KiB; `Infinity` never, 0 always). Smaller ones take milliseconds here.
   */
  prepareOnWorkerFrom?: number;
  /** Main-thread indexing work between two yields to the event loop, in ms (default 12). */
  sliceMs?: number;
}

/** One file to ingest. */
export interface IngestItem {
  bytes: Uint8Array;
  fileName: string;
  collection: string;
  /** Already-parsed content (evaluation sets); skips the loaders. */
  loaded?: LoadedDocument;
}

/** What happened to one file. */
export type IngestOutcome =
  | { status: 'added' | 'replaced'; fileName: string; document: DocumentRecord; ocr?: OcrSummary }
  | { status: 'unchanged'; fileName: string; document: DocumentRecord }
  | { status: 'failed'; fileName: string; code: string; message: string; messageVi: string };

/** The outcome of a file the disk had no room for. */
const diskFullMessages = {
  code: 'storage_full',
  message: "the server's disk is full: the file was not stored and nothing changed; free some space and upload it again",
  messageVi: 'Ổ đĩa của máy chủ đã đầy: tệp chưa được lưu và không có gì thay đổi; hãy giải phóng dung lượng rồi tải lên lại.',
} as const;

interface Prepared {
  item: IngestItem;
  record: DocumentRecord;
  chunks: Chunk[];
  /** The chunks' local-embedder features when a worker made them; otherwise made at commit. */
  features: FeatureList | null;
  replacing: boolean;
  /** Pages read by OCR, for the outcome. */
  ocr?: OcrSummary;
}

/**
 * Stores the folded terms of chunks written before they were kept (schema 1): once per data
 * folder, in batches, each batch its own transaction (a crash keeps what was done). Until then
 * retrieval tokenises those chunks itself, with the same result.
 */
function fillFoldedTerms(store: TrogiangStore, log: (message: string) => void): void {
  let filled = 0;
  try {
    for (let batch = store.chunksWithoutFoldedTerms(1000); batch.length > 0; batch = store.chunksWithoutFoldedTerms(1000)) {
      if (filled === 0) log('storing the folded terms of chunks written by an earlier version (once)');
      store.setFoldedTerms(batch.map((c) => [c.seq, joinFoldedTerms(foldedTermsOf(c))] as const));
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
 * The offline RAG core over one data folder: the SQLite store (source of truth), the BM25 and
 * vector indexes (rebuilt or caught up from the store's change log when they lag), the embedder,
 * the retriever and the extractive answerer.
 */
export class Engine {
  readonly retriever: Retriever;
  private dirty = false;
  /** Chunk changes applied to the indexes since they were last saved. */
  private unsavedChanges = 0;
  /** Large files are read here (see `prepareOnWorkerFrom`). */
  private readonly reader = new PrepareOffThread();
  /** Index writers (the commits of uploads and re-indexing, and their saves) take turns. */
  private readonly writers = new SerialQueue();
  /**
   * Set while a commit runs in slices (from counting its features to its last index add, with
   * its store transaction open in between): a deletion arriving meanwhile is carried out after it
   * (`deferred`), so it cannot land inside that transaction (and be undone if it fails), the
   * indexes follow the store's commits in order, and no save writes a half-applied state.
   */
  private applying = false;
  /** Set while `saveWhileServing` writes the snapshot; deletions wait as above. */
  private saving = false;
  /** Ids of documents whose deletion waits for the running commit or save. */
  private readonly deferred: string[] = [];
  /** See `EngineOptions.prepareOnWorkerFrom` and `sliceMs`. */
  private prepareOnWorkerFrom = 256 * 1024;
  private sliceMs = defaultSliceMs;
  /** `backgroundVectorBuild` for `ingest` (uploads, re-indexing). */
  private ingestBackgroundFrom = 20_000;
  private warn?: (message: string) => void;
  private onClose?: () => void;

  private constructor(
    readonly store: TrogiangStore,
    readonly embeddings: Embeddings,
    readonly local: LocalEmbeddings | null,
    readonly bm25: Bm25Index,
    readonly vectors: VectorIndex,
    readonly settings: IndexSettings,
    private readonly indexDir: string,
    readonly chunker: ChunkerSettings,
    readonly limits: LoadLimits,
    retrieverSettings: RetrieverSettings,
    private readonly log: (message: string) => void,
    private readonly saveEvery: number,
    private readonly backgroundFrom: number,
  ) {
    this.retriever = new Retriever(
      {
        bm25,
        vectors,
        embedQuery: async (q) => (local ? local.embed(q) : embeddings.embedQuery(q)),
        getChunks: (seqs) => store.getChunks(seqs),
      },
      retrieverSettings,
    );
  }

  /** Opens (or creates) a data folder and brings the indexes in line with the store. */
  static async open(options: EngineOptions): Promise<Engine> {
    const log = options.log ?? (() => {});
    const store = new SqliteStore(join(options.dataDir, 'trogiang.db'));
    try {
      const embeddings = options.embeddings ?? new LocalEmbeddings();
      const local = embeddings instanceof LocalEmbeddings ? embeddings : null;
      const dimensions = local?.dimensions ?? options.dimensions ?? (await embeddings.embedQuery('trợ giảng')).length;
      const settings: IndexSettings = {
        embedderId: local?.id ?? options.embedderId ?? embeddings.id ?? 'custom',
        dimensions,
        chunker: options.chunker ?? defaultChunkerSettings,
        bm25: options.bm25 ?? defaultBm25Params,
        hnsw: options.hnsw ?? defaultHnswSettings,
      };
      const indexDir = join(options.dataDir, 'indexes');
      // Left by a background vector build that a crash interrupted: the store has its vectors.
      rmSync(`${indexDir}-building`, { recursive: true, force: true });
      const loaded = loadIndexes(indexDir, settings, local !== null);
      let bm25: Bm25Index;
      let vectors: VectorIndex;
      let caughtUp = false;
      let changes: ChunkChange[] | undefined;
      if (loaded.ok) {
        bm25 = loaded.indexes.bm25;
        vectors = loaded.indexes.vectors;
        if (local && loaded.indexes.stats) local.stats = loaded.indexes.stats;
        changes = store.changesSince(loaded.indexes.generation);
        if (changes) caughtUp = true;
        else log('the index change log does not reach back far enough: rebuilding from the store');
      } else if (store.countChunks() > 0) {
        (loaded.reason === 'no saved indexes' ? log : (options.warn ?? log))(`rebuilding indexes from the store: ${loaded.reason}`);
      }
      if (!caughtUp) {
        bm25 = new Bm25Index(settings.bm25);
        vectors = VectorIndex.create(dimensions, settings.hnsw, Math.max(1024, store.countChunks()));
        if (local) local.stats = new FeatureStats();
      }
      const engine = new Engine(store, embeddings, local, bm25!, vectors!, settings, indexDir, settings.chunker,
        options.limits ?? defaultLoadLimits, options.retriever ?? defaultRetrieverSettings, log, options.saveEvery ?? 2000,
        options.backgroundVectorBuild ?? 2000);
      engine.prepareOnWorkerFrom = options.prepareOnWorkerFrom ?? engine.prepareOnWorkerFrom;
      engine.ingestBackgroundFrom = options.backgroundVectorBuild ?? engine.ingestBackgroundFrom;
      engine.sliceMs = options.sliceMs ?? engine.sliceMs;
      engine.warn = options.warn;
      engine.onClose = options.onClose;
      if (changes?.length) await engine.replayChanges(changes);
      fillFoldedTerms(store, log);
      if (!caughtUp) await engine.rebuildIndexes();
      else if (loaded.ok && loaded.indexes.generation !== store.generation()) engine.dirty = true;
      if (engine.dirty) engine.trySave();
      return engine;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /**
   * Applies the store's changes made since the loaded indexes were saved. Many of them (a crash or
   * a failed save in a large ingest: 500k at the 1M benchmark's) build their graph on the worker
   * thread, as the ingest did.
   */
  private async replayChanges(changes: readonly ChunkChange[]): Promise<void> {
    const adds = changes.reduce((n, c) => n + (c.op === 'add' ? 1 : 0), 0);
    await this.withBackgroundVectors(adds, () => {
      for (const change of changes) {
        if (change.op === 'add') {
          const chunk = this.store.getChunk(change.seq);
          if (chunk && !this.bm25.has(chunk.seq)) {
            this.bm25.add(chunk.seq, bm25Fields(chunk), chunk.collection);
            this.vectors.add(chunk.seq, chunk.vector, chunk.collection);
            this.local?.observe(embeddingText(chunk));
          }
        } else if (change.removed && this.bm25.has(change.seq)) {
          this.bm25.remove(change.seq, bm25Fields(change.removed));
          this.vectors.remove(change.seq);
          this.local?.forget(embeddingText(change.removed));
        }
      }
    });
    this.log(`indexes caught up with ${changes.length} stored changes`);
  }

  /** Fills empty indexes from the stored chunks; re-embeds when the stored vectors are from another embedder. */
  private async rebuildIndexes(): Promise<void> {
    const vectorsFrom = this.store.getSetting('vectors.embedder');
    const reembed = vectorsFrom !== undefined && vectorsFrom !== this.settings.embedderId;
    if (reembed || (this.local && vectorsFrom === undefined && this.store.countChunks() > 0)) {
      await this.reindexAll();
      return;
    }
    if (this.local) for (const chunk of this.store.iterateChunks()) this.local.observe(embeddingText(chunk));
    await this.withBackgroundVectors(this.store.countChunks(), () => {
      for (const chunk of this.store.iterateChunks()) {
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
  private async withBackgroundVectors<T>(adds: number, work: () => T | Promise<T>, from = this.backgroundFrom): Promise<T> {
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
      if (outcome.builtBy === 'worker') this.log(`vector graph of ${adds} new chunks built on a worker thread (${seconds(started)} s, ${seconds(waited)} s waited for it at the end)`);
      else if (outcome.builtBy === 'this-thread') this.log(`the vector graph's worker thread failed (${outcome.reason}): its vectors were added on this thread`);
      else if (!background) this.log('no worker thread for the vector graph: built on this thread');
    }
  }

  private async embedChunks(chunks: readonly Chunk[]): Promise<Float32Array[]> {
    if (this.local) return chunks.map((c) => this.local!.embed(embeddingText(c)));
    const vectors: Float32Array[] = [];
    for (let i = 0; i < chunks.length; i += 64) {
      const batch = await this.embeddings.embedDocuments(chunks.slice(i, i + 64).map(embeddingText));
      for (const v of batch) {
        if (v.length !== this.settings.dimensions) throw new Error(`the embedder returned ${v.length} dimensions, expected ${this.settings.dimensions}`);
        vectors.push(Float32Array.from(v));
      }
    }
    return vectors;
  }

  /**
   * `applyDelta` in slices (a 10 MB upload's 8,000 chunks took about 3 s of BM25 and vector
   * adds at once). Searches running between slices see part of the document, as they would a
   * moment later; a deletion arriving meanwhile waits in `deferred`, so nothing it removes from
   * the store can come back into the indexes.
   */
  private async applyDeltaSliced(delta: ChunkDelta, added: readonly NewChunk[], fieldTokens: readonly FieldTokens[], slicer: Slicer): Promise<void> {
    this.unsavedChanges += delta.removed.length + delta.added.length;
    this.dirty = true;
    await slicer.each(delta.removed, (removed) => {
      if (!this.bm25.has(removed.seq)) return;
      this.bm25.remove(removed.seq, bm25Fields(removed));
      this.vectors.remove(removed.seq);
      this.local?.forget(embeddingText(removed));
    });
    await slicer.each(delta.added, (seq, i) => {
      const chunk = added[i]!;
      this.bm25.add(seq, { ...bm25Fields(chunk), tokens: fieldTokens[i] }, chunk.collection);
      this.bm25.flushIfOver(flushPostingsAt);
      this.vectors.add(seq, chunk.vector, chunk.collection);
    });
  }

  private applyDelta(delta: ChunkDelta, added: readonly NewChunk[], fieldTokens?: readonly FieldTokens[]): void {
    this.unsavedChanges += delta.removed.length + delta.added.length;
    for (const removed of delta.removed) {
      if (!this.bm25.has(removed.seq)) continue;
      this.bm25.remove(removed.seq, bm25Fields(removed));
      this.vectors.remove(removed.seq);
      this.local?.forget(embeddingText(removed));
    }
    delta.added.forEach((seq, i) => {
      const chunk = added[i]!;
      this.bm25.add(seq, { ...bm25Fields(chunk), tokens: fieldTokens?.[i] }, chunk.collection);
      this.vectors.add(seq, chunk.vector, chunk.collection);
    });
    this.dirty = true;
  }

  private async prepare(raw: IngestItem, force: boolean, limits: LoadLimits): Promise<Prepared | IngestOutcome> {
    // Names come from uploads, disks and zips: strip paths and control characters here, once, for every caller.
    const item = { ...raw, fileName: safeFileName(raw.fileName) };
    const id = documentId(item.collection, item.fileName);
    const hash = await contentHashInSlices(item.bytes);
    const existing = this.store.getDocument(id);
    if (existing && existing.contentHash === hash && !force) {
      return { status: 'unchanged', fileName: item.fileName, document: existing };
    }
    try {
      const content = await this.readContent({
        bytes: item.bytes, fileName: item.fileName, limits, documentId: id, collection: item.collection,
        chunker: this.chunker, featureWeights: null, loaded: item.loaded,
      });
      const now = new Date().toISOString();
      const record: DocumentRecord = {
        id,
        collection: item.collection,
        title: content.title,
        fileName: item.fileName,
        format: content.format,
        contentHash: hash,
        bytes: item.bytes.length,
        pages: content.pages,
        chunkCount: content.chunks.length,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      return { item, record, chunks: content.chunks, features: content.features, replacing: existing !== undefined, ...(content.ocr && { ocr: content.ocr }) };
    } catch (error) {
      if (error instanceof IngestError) {
        return { status: 'failed', fileName: item.fileName, code: error.code, message: error.message, messageVi: error.messageVi };
      }
      throw error;
    }
  }

  /**
   * Parses, normalises and chunks a file (with the local embedder, also extracts the chunks'
   * features): on the worker thread when the file is large, here otherwise, or when the worker
   * cannot run. The result is the same either way (test/engine/ingest-responsiveness.test.ts).
   */
  private async readContent(request: PrepareRequest): Promise<PreparedContent> {
    if (request.loaded || request.bytes.length < this.prepareOnWorkerFrom) return prepareContent(request);
    try {
      return await this.reader.prepare({ ...request, featureWeights: this.local?.weights ?? null });
    } catch (error) {
      if (!(error instanceof PrepareWorkerFailure)) throw error;
      this.log(`${error.message}: ${request.fileName} is read on the main thread`);
      return prepareContent(request);
    }
  }

  /**
   * Counts one prepared document into the IDF statistics, embeds and stores it. Documents are
   * counted one after another, so each is weighted by the corpus so far (measured slightly better
   * on the BEIR sets than counting a whole batch first); `reindex` re-weights everything.
   * The per-chunk work runs in slices (`slicer`) so requests are served in between; the caller
   * holds `writers`, so no other commit interleaves.
   */
  private async commit(prepared: Prepared, slicer: Slicer): Promise<IngestOutcome> {
    this.applying = true;
    try {
      return await this.commitSliced(prepared, slicer);
    } finally {
      this.applying = false;
      this.applyDeferred();
    }
  }

  /** Deletions asked for during a sliced commit or a save, in the order they were asked. */
  private applyDeferred(): void {
    for (let id = this.deferred.shift(); id !== undefined; id = this.deferred.shift()) {
      try {
        const delta = this.store.removeDocument(id);
        if (delta) this.applyDelta(delta, []);
      } catch (error) {
        this.log(`could not delete ${id} after the upload that was being indexed: ${(error as Error).message}`);
      }
    }
  }

  private async commitSliced(prepared: Prepared, slicer: Slicer): Promise<IngestOutcome> {
    const local = this.local;
    const { chunks } = prepared;
    // The local embedder's features are extracted once per chunk, for the statistics and the vector.
    const features = local ? (prepared.features ?? featureListOf(await slicer.map(chunks, (c) => local.featuresOf(embeddingText(c))))) : null;
    let observed = 0;
    let newChunks: NewChunk[];
    let fieldTokens: FieldTokens[];
    let delta: ChunkDelta;
    try {
      if (features) {
        await slicer.each(chunks, (_, i) => {
          local!.observeFlat(featuresAt(features, i));
          observed++;
        });
      }
      const vectors = features ? await slicer.map(chunks, (_, i) => local!.embedFlat(featuresAt(features, i))) : await this.embedChunks(chunks);
      // Tokenised once for both the stored folded terms and the BM25 postings.
      fieldTokens = await slicer.map(chunks, (c) => tokenizeFields(bm25Fields(c)));
      newChunks = await slicer.map(chunks, (c, i) => {
        const { title, headings, text } = fieldTokens[i]!;
        const folded = [...title, ...headings, ...text].map((t) => t.folded);
        return { ...c, vector: vectors[i]!, foldedTerms: joinFoldedTerms(folded) };
      });
      delta = await this.store.replaceDocumentInSlices(prepared.record, prepared.item.bytes, newChunks, () => slicer.maybeYield());
    } catch (error) {
      for (let i = 0; i < observed; i++) local!.forgetFlat(featuresAt(features!, i));
      // A full disk rolls the document's transaction back: this file is refused, nothing changed.
      if (isDiskFull(error)) return { status: 'failed', fileName: prepared.item.fileName, ...diskFullMessages };
      throw error;
    }
    // The indexes follow the committed transaction at once. The embedder's id is written only
    // when it changes: a second write after the commit (on every upload, as before) could fail on
    // its own on a full disk and report a stored document as failed, unindexed until a restart.
    await this.applyDeltaSliced(delta, newChunks, fieldTokens, slicer);
    if (this.store.getSetting('vectors.embedder') !== this.settings.embedderId) this.store.setSetting('vectors.embedder', this.settings.embedderId);
    return { status: prepared.replacing ? 'replaced' : 'added', fileName: prepared.item.fileName, document: prepared.record, ...(prepared.ocr && { ocr: prepared.ocr }) };
  }

  /**
   * Ingests files: unchanged ones are skipped, changed ones replace their chunks atomically, and
   * a failed file changes nothing. All files are parsed before any is stored, so a batch's bad
   * files are reported without half of it being written.
   */
  async ingest(
    items: readonly IngestItem[],
    onProgress?: (done: number, total: number, outcome: IngestOutcome) => void,
    options: { force?: boolean; limits?: LoadLimits } = {},
  ): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = [];
    const prepared: Prepared[] = [];
    let done = 0;
    for (const item of items) {
      const result = await this.prepare(item, options.force ?? false, options.limits ?? this.limits);
      if ('status' in result) {
        outcomes.push(result);
        onProgress?.(++done, items.length, result);
      } else {
        prepared.push(result);
      }
    }
    const adds = prepared.reduce((n, p) => n + p.chunks.length, 0);
    const slicer = new Slicer(this.sliceMs);
    await this.writers.run(async () => {
      await this.withBackgroundVectors(adds, async () => {
        for (const p of prepared) {
          const outcome = await this.commit(p, slicer);
          outcomes.push(outcome);
          onProgress?.(++done, items.length, outcome);
        }
      }, this.ingestBackgroundFrom);
      if (this.dirty && this.unsavedChanges >= this.saveEvery) await this.saveWhileServing(slicer);
    });
    return outcomes;
  }

  /**
   * Saving rewrites both index files, which at 100k chunks takes seconds, so it is not done after
   * every upload: the store's change log already makes each change durable, and opening replays it.
   * Saves once `saveEvery` changes have piled up (and always on `close`).
   */
  private saveIfDue(): void {
    if (this.dirty && this.unsavedChanges >= this.saveEvery) this.trySave();
  }

  /**
   * Saves, or logs why it could not. The store already holds every change and its change log, so
   * a failed save (a full disk) loses nothing: the indexes stay dirty, the next save retries and
   * opening replays the log. Before, the error escaped from `ingest` and `removeDocument` after
   * the store had committed, so a stored upload was reported as failed; on `close` it also left
   * the store open, and on `open` it kept the service from starting.
   */
  private trySave(): void {
    if (this.applying || this.saving) {
      // `close` during an upload: the store holds what was committed, opening replays it.
      this.log('indexes not saved: an upload was being indexed; the next start catches up from the store');
      return;
    }
    try {
      this.save();
    } catch (error) {
      (this.warn ?? this.log)(`could not save the indexes (kept in memory, caught up from the store on the next start): ${(error as Error).message}`);
    }
  }

  /**
   * `trySave` for uploads and re-indexing: the snapshot is taken at once, the files are written
   * on the thread pool (saveIndexesAsync) while requests are served. A synchronous save at the
   * end of a 10 MB upload held the event loop for 0.3-2 s here.
   */
  private async saveWhileServing(slicer: Slicer): Promise<void> {
    const generation = this.store.generation();
    this.saving = true;
    try {
      await saveIndexesAsync(this.indexDir, this.settings, { bm25: this.bm25, vectors: this.vectors, stats: this.local?.stats ?? null, generation }, () => slicer.maybeYield());
      this.store.trimChanges(generation);
      this.dirty = false;
      this.unsavedChanges = 0;
    } catch (error) {
      (this.warn ?? this.log)(`could not save the indexes (kept in memory, caught up from the store on the next start): ${(error as Error).message}`);
    } finally {
      this.saving = false;
      this.applyDeferred();
    }
  }

  /**
   * Deletes a document and its chunks from the store and both indexes. During an upload's
   * sliced commit or a save it is carried out right after them (within seconds; the document
   * stays listed and searchable until then).
   */
  removeDocument(id: string): boolean {
    if (this.applying || this.saving) {
      if (!this.store.getDocument(id) || this.deferred.includes(id)) return false;
      this.deferred.push(id);
      return true;
    }
    const delta = this.store.removeDocument(id);
    if (!delta) return false;
    this.applyDelta(delta, []);
    this.saveIfDue();
    return true;
  }

  /** Re-reads one stored source with the current loaders, chunker and embedder; undefined if unknown. */
  async reindexDocument(id: string): Promise<IngestOutcome | undefined> {
    const doc = this.store.getDocument(id);
    const bytes = doc && this.store.getDocumentSource(id);
    if (!doc || !bytes) return undefined;
    const [outcome] = await this.ingest([{ bytes, fileName: doc.fileName, collection: doc.collection }], undefined, { force: true });
    return outcome;
  }

  /** Re-reads every stored source with the current loaders, chunker and embedder. */
  async reindexAll(onProgress?: (done: number, total: number, outcome: IngestOutcome) => void): Promise<IngestOutcome[]> {
    const slicer = new Slicer(this.sliceMs);
    const items: IngestItem[] = [];
    for (const d of this.store.listDocuments()) {
      // A part at a time between slices (a 27 MB source read in one call held the loop 0.1-0.3 s); gone meanwhile: skipped.
      const bytes = await this.store.getDocumentSourceInSlices(d.id, () => slicer.maybeYield());
      if (bytes) items.push({ bytes, fileName: d.fileName, collection: d.collection });
    }
    // The old chunks leave the IDF statistics as each document is replaced, so at the end they
    // count only the new ones; meanwhile both copies are counted, which keeps the ratios.
    return this.ingest(items, onProgress, { force: true });
  }

  /** Retrieval with the engine's indexes. */
  retrieve(query: string, options?: RetrieveOptions): Promise<Retrieval> {
    return this.retriever.retrieve(query, options);
  }

  /** IDF of a folded term, for sentence scoring. */
  idf = (term: string): number => this.bm25.idf(term);

  /** Retrieves and answers offline, as a stream of answer events. */
  async *ask(question: string, options?: RetrieveOptions): AsyncGenerator<AnswerEvent> {
    const retrieval = await this.retrieve(question, options);
    yield* extractiveAnswer(retrieval, this.idf);
  }

  /** Writes both indexes atomically and trims the store's change log. */
  save(): void {
    const generation = this.store.generation();
    saveIndexes(this.indexDir, this.settings, {
      bm25: this.bm25,
      vectors: this.vectors,
      stats: this.local?.stats ?? null,
      generation,
    });
    this.store.trimChanges(generation);
    this.dirty = false;
    this.unsavedChanges = 0;
  }

  close(): void {
    try {
      void this.reader.close();
      if (this.dirty) this.trySave();
      this.store.close();
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
