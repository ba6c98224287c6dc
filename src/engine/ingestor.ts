import type { ChunkerSettings, Chunk } from '../chunk/index.js';
import type { Embedder, FeatureList } from '../embed/index.js';
import { bm25Fields, embeddingText, tokenizeFields } from '../indexes/index.js';
import { detectFormat, IngestError, safeFileName, type LoadedDocument, type LoadLimits, type OcrSummary } from '../ingest/index.js';
import { joinFoldedTerms } from '../retrieve/index.js';
import { isDiskFull, type ChunkDelta, type DocumentRecord, type NewChunk, type Store } from '../store/index.js';
import { contentHashInSlices, documentId } from './document-id.js';
import { diskFullFailure, type IngestFailureCode } from './engine-errors.js';
import type { IndexSet } from './index-set.js';
import { prepareContent, type PreparedContent, type PrepareRequest } from './prepare-content.js';
import { PrepareOffThread, PrepareWorkerFailure } from './prepare-off-thread.js';
import { defaultSliceMs, SerialQueue, Slicer } from './yield-slices.js';

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
  | { status: 'failed'; fileName: string; code: IngestFailureCode; message: string; messageVi: string };

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

export interface IngestorOptions {
  chunker: ChunkerSettings;
  limits: LoadLimits;
  log: (message: string) => void;
  /** See `EngineOptions.prepareOnWorkerFrom` (default 256 KiB). */
  prepareOnWorkerFrom?: number | undefined;
  /** See `EngineOptions.sliceMs` (default 12). */
  sliceMs?: number | undefined;
  /** `backgroundVectorBuild` for uploads and re-indexing (default 20,000). */
  backgroundFrom?: number | undefined;
  /**
   * A PostgreSQL replica's: resolves once this replica's indexes have applied every change
   * committed so far. When set, writes change only the store; the indexes follow the change log
   * (the replica's own writes included, in generation order like every replica), and each write
   * waits for this before it answers (read-your-writes).
   */
  followLog?: (() => Promise<void>) | undefined;
}

/**
 * The write path: reads files (large ones on a worker thread), embeds and stores them, and keeps
 * the index set in step with each commit; deletes documents and re-indexes them. Index writers
 * take turns, and a deletion asked for during a sliced commit or a save waits for it.
 */
export class Ingestor {
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
  /** Callers of `deletionsApplied` waiting for the deferred deletions to be carried out. */
  private readonly deferredWaiters: Array<() => void> = [];
  private readonly chunker: ChunkerSettings;
  readonly limits: LoadLimits;
  private readonly log: (message: string) => void;
  private readonly prepareOnWorkerFrom: number;
  private readonly sliceMs: number;
  private readonly backgroundFrom: number;
  private readonly followLog: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: Store,
    private readonly indexes: IndexSet,
    private readonly embedder: Embedder,
    options: IngestorOptions,
  ) {
    this.chunker = options.chunker;
    this.limits = options.limits;
    this.log = options.log;
    this.prepareOnWorkerFrom = options.prepareOnWorkerFrom ?? 256 * 1024;
    this.sliceMs = options.sliceMs ?? defaultSliceMs;
    this.backgroundFrom = options.backgroundFrom ?? 20_000;
    this.followLog = options.followLog;
  }

  private async prepare(raw: IngestItem, force: boolean, limits: LoadLimits): Promise<Prepared | IngestOutcome> {
    // Names come from uploads, disks and zips: strip paths and control characters here, once, for every caller.
    const item = { ...raw, fileName: safeFileName(raw.fileName) };
    const id = documentId(item.collection, item.fileName);
    const hash = await contentHashInSlices(item.bytes);
    const existing = await this.store.getDocument(id);
    if (existing && existing.contentHash === hash && !force) {
      return { status: 'unchanged', fileName: item.fileName, document: existing };
    }
    try {
      const content = await this.readContent({
        bytes: item.bytes,
        fileName: item.fileName,
        limits,
        documentId: id,
        collection: item.collection,
        chunker: this.chunker,
        featureWeights: null,
        loaded: item.loaded,
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
      return {
        item,
        record,
        chunks: content.chunks,
        features: content.features,
        replacing: existing !== undefined,
        ...(content.ocr && { ocr: content.ocr }),
      };
    } catch (error) {
      if (error instanceof IngestError) {
        return { status: 'failed', fileName: item.fileName, code: error.code, message: error.message, messageVi: error.messageVi };
      }
      throw error;
    }
  }

  /**
   * Large files, and PDFs and DOCX files of any size, are read on the worker: pdf.js and the DOCX
   * reader spend tens to hundreds of milliseconds on a small file (re-indexing read each shipped
   * PDF here in one stretch). `prepareOnWorkerFrom: Infinity` still means never.
   */
  private readsOnWorker(request: PrepareRequest): boolean {
    if (request.loaded || !Number.isFinite(this.prepareOnWorkerFrom)) return false;
    if (request.bytes.length >= this.prepareOnWorkerFrom) return true;
    try {
      const format = detectFormat(request.bytes, request.fileName);
      return format === 'pdf' || format === 'docx';
    } catch {
      return false; // an unreadable file: refused here with the same error
    }
  }

  /**
   * Parses, normalises and chunks a file (with the local embedder, also extracts the chunks'
   * features): on the worker thread when the file is large, here otherwise, or when the worker
   * cannot run. The result is the same either way (test/engine/ingest-responsiveness.test.ts).
   */
  private async readContent(request: PrepareRequest): Promise<PreparedContent> {
    if (!this.readsOnWorker(request)) return prepareContent(request);
    try {
      return await this.reader.prepare({ ...request, featureWeights: this.embedder.featureWeights });
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
      await this.applyDeferred();
    }
  }

  /** Deletions asked for during a sliced commit or a save, in the order they were asked. */
  private async applyDeferred(): Promise<void> {
    let removed = false;
    for (let id = this.deferred.shift(); id !== undefined; id = this.deferred.shift()) {
      try {
        const delta = await this.store.removeDocument(id);
        if (delta && !this.followLog) this.indexes.applyDelta(delta, []);
        removed ||= delta !== undefined;
      } catch (error) {
        this.log(`could not delete ${id} after the upload that was being indexed: ${(error as Error).message}`);
      }
    }
    if (removed && this.followLog) await this.followLog().catch(() => undefined);
    for (const done of this.deferredWaiters.splice(0)) done();
  }

  /**
   * Resolves once every deletion held back so far has been carried out (at once when none is):
   * the DELETE route answers only then, so no answer after it cites the document.
   */
  deletionsApplied(): Promise<void> {
    if (this.deferred.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.deferredWaiters.push(resolve));
  }

  private async commitSliced(prepared: Prepared, slicer: Slicer): Promise<IngestOutcome> {
    const { chunks } = prepared;
    let embedded: { undo: () => void } | undefined;
    let newChunks: NewChunk[];
    let delta: ChunkDelta;
    try {
      // The texts in slices too: one map over a 10 MB upload's chunks built 10 MB of strings at once.
      const document = await this.embedder.embedDocument(await slicer.map(chunks, embeddingText), prepared.features, slicer);
      embedded = document;
      const { vectors } = document;
      // Tokenised here for the stored folded terms, and again by the BM25 add: keeping every
      // chunk's tokens from here to the add (millions of objects for 10 MB) moved them all to the
      // old generation, and its collections held the event loop 0.1-0.4 s at a time.
      newChunks = await slicer.map(chunks, (c, i) => {
        const { title, headings, text } = tokenizeFields(bm25Fields(c));
        const folded = [...title, ...headings, ...text].map((t) => t.folded);
        return { ...c, vector: vectors[i]!, foldedTerms: joinFoldedTerms(folded) };
      });
      delta = await this.store.replaceDocumentInSlices(prepared.record, prepared.item.bytes, newChunks, () => slicer.maybeYield());
      // A replica's indexes (and the embedder's statistics) take the chunks from the change log,
      // as every other replica does: counted there, not twice.
      if (this.followLog) document.undo();
    } catch (error) {
      embedded?.undo();
      // A full disk rolls the document's transaction back: this file is refused, nothing changed.
      if (isDiskFull(error)) return { status: 'failed', fileName: prepared.item.fileName, ...diskFullFailure };
      throw error;
    }
    // The indexes follow the committed transaction at once. The embedder's id is written only
    // when it changes: a second write after the commit (on every upload, as before) could fail on
    // its own on a full disk and report a stored document as failed, unindexed until a restart.
    if (!this.followLog) await this.indexes.applyDeltaSliced(delta, newChunks, slicer);
    if ((await this.store.getSetting('vectors.embedder')) !== this.indexes.settings.embedderId)
      await this.store.setSetting('vectors.embedder', this.indexes.settings.embedderId);
    return {
      status: prepared.replacing ? 'replaced' : 'added',
      fileName: prepared.item.fileName,
      document: prepared.record,
      ...(prepared.ocr && { ocr: prepared.ocr }),
    };
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
    // A replica's indexes follow the log (on the follower): no vectors added and nothing saved here.
    const adds = this.followLog ? 0 : prepared.reduce((n, p) => n + p.chunks.length, 0);
    const slicer = new Slicer(this.sliceMs);
    await this.writers.run(async () => {
      await this.indexes.withBackgroundVectors(
        adds,
        async () => {
          for (const p of prepared) {
            const outcome = await this.commit(p, slicer);
            outcomes.push(outcome);
            onProgress?.(++done, items.length, outcome);
          }
        },
        this.followLog ? Number.POSITIVE_INFINITY : this.backgroundFrom,
      );
      if (!this.followLog && this.indexes.saveDue) await this.saveWhileServing(slicer);
    });
    if (this.followLog && prepared.length > 0) await this.followLog();
    return outcomes;
  }

  /** The index set's `saveWhileServing`, with deletions held back until it ends. */
  private async saveWhileServing(slicer: Slicer): Promise<void> {
    this.saving = true;
    try {
      await this.indexes.saveWhileServing(slicer);
    } finally {
      this.saving = false;
      await this.applyDeferred();
    }
  }

  /**
   * Saves the indexes unless an upload is being indexed or saved: `close` during an upload leaves
   * them to the next start, which catches up from the store.
   */
  async trySave(): Promise<void> {
    // A replica's indexes are saved by its follower, at the generation they have applied.
    if (this.followLog) return;
    if (this.applying || this.saving) {
      // `close` during an upload: the store holds what was committed, opening replays it.
      this.log('indexes not saved: an upload was being indexed; the next start catches up from the store');
      return;
    }
    this.saving = true;
    try {
      await this.indexes.trySave();
    } finally {
      this.saving = false;
      await this.applyDeferred();
    }
  }

  /**
   * Deletes a document and its chunks from the store and both indexes. During an upload's
   * sliced commit or a save it is carried out right after them (within seconds; the document
   * stays listed and searchable until then; `deletionsApplied` waits for it).
   */
  async removeDocument(id: string): Promise<boolean> {
    if (this.applying || this.saving) {
      if (!(await this.store.getDocument(id)) || this.deferred.includes(id)) return false;
      // Still running after the look-up: held back; ended meanwhile: carried out now.
      if (this.applying || this.saving) {
        this.deferred.push(id);
        return true;
      }
    }
    const delta = await this.store.removeDocument(id);
    if (!delta) return false;
    if (this.followLog) {
      await this.followLog();
      return true;
    }
    this.indexes.applyDelta(delta, []);
    // Saving rewrites both index files, which at 100k chunks takes seconds, so it is not done
    // after every change: the store's change log already makes each durable, and opening replays it.
    if (this.indexes.saveDue) await this.trySave();
    return true;
  }

  /** Re-reads one stored source with the current loaders, chunker and embedder; undefined if unknown. */
  async reindexDocument(id: string): Promise<IngestOutcome | undefined> {
    const doc = await this.store.getDocument(id);
    const bytes = doc && (await this.store.getDocumentSource(id));
    if (!doc || !bytes) return undefined;
    const [outcome] = await this.ingest([{ bytes, fileName: doc.fileName, collection: doc.collection }], undefined, { force: true });
    return outcome;
  }

  /** Re-reads every stored source (those `only` keeps: one center's) with the current loaders, chunker and embedder. */
  async reindexAll(
    onProgress?: (done: number, total: number, outcome: IngestOutcome) => void,
    only?: (doc: DocumentRecord) => boolean,
  ): Promise<IngestOutcome[]> {
    const slicer = new Slicer(this.sliceMs);
    const items: IngestItem[] = [];
    for (const d of await this.store.listDocuments()) {
      if (only && !only(d)) continue;
      // A part at a time between slices (a 27 MB source read in one call held the loop 0.1-0.3 s); gone meanwhile: skipped.
      const bytes = await this.store.getDocumentSourceInSlices(d.id, () => slicer.maybeYield());
      if (bytes) items.push({ bytes, fileName: d.fileName, collection: d.collection });
    }
    // The old chunks leave the IDF statistics as each document is replaced, so at the end they
    // count only the new ones; meanwhile both copies are counted, which keeps the ratios.
    return this.ingest(items, onProgress, { force: true });
  }

  /** Stops the worker thread that reads large files. */
  close(): Promise<void> {
    return this.reader.close();
  }
}
