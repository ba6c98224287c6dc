import { chunkDocument, type Chunk, type ChunkerSettings } from '../chunk/index.js';
import { extractFeatures, type FeatureWeights } from '../embed/index.js';
import { featureListOf, type FeatureList } from '../embed/feature-list.js';
import { embeddingText } from '../indexes/search-indexes.js';
import { reportOcrProgress } from '../ocr/ocr-progress.js';
import { loadDocument, type DocumentFormat, type LoadedDocument, type LoadLimits, type OcrSummary } from '../ingest/index.js';

/** What reading one file needs: its bytes and the settings of the loaders, chunker and embedder. */
export interface PrepareRequest {
  bytes: Uint8Array;
  fileName: string;
  limits: LoadLimits;
  documentId: string;
  collection: string;
  chunker: ChunkerSettings;
  /** The local embedder's weights, to extract each chunk's features too; null with another embedder. */
  featureWeights: FeatureWeights | null;
  /** Already-parsed content (evaluation sets): the loaders are skipped. */
  loaded?: LoadedDocument;
}

/** A read file: its metadata, chunks and (with the local embedder) their features. */
export interface PreparedContent {
  format: DocumentFormat;
  title: string;
  pages: number;
  chunks: Chunk[];
  /** One entry per chunk, of `embeddingText(chunk)`; null when not asked for. */
  features: FeatureList | null;
  /** Pages read by OCR (a scan), for the upload's outcome. */
  ocr?: OcrSummary;
}

/**
 * Parses, normalises and chunks one file, and extracts the local embedder's features of each
 * chunk: everything of an ingest that depends on the file alone, so it can run on a worker
 * thread (prepare-off-thread.ts) with the same result as here. What depends on the corpus so far
 * (IDF weights, the indexes, the store) stays with the engine. Throws `IngestError`s as
 * `loadDocument` does.
 */
export async function prepareContent(request: PrepareRequest): Promise<PreparedContent> {
  // Pages read by OCR are reported as they are done (the admin page shows them; ocr-progress.ts).
  const onOcrProgress = (done: number, total: number) =>
    reportOcrProgress({ documentId: request.documentId, collection: request.collection, fileName: request.fileName, done, total });
  const loaded = request.loaded ?? (await loadDocument(request.bytes, request.fileName, request.limits, { onOcrProgress }));
  const chunks = chunkDocument(
    loaded,
    { documentId: request.documentId, title: loaded.title, collection: request.collection },
    request.chunker,
  );
  const weights = request.featureWeights;
  const features = weights ? featureListOf(chunks.map((c) => extractFeatures(embeddingText(c), weights))) : null;
  return { format: loaded.format, title: loaded.title, pages: loaded.pages, chunks, features, ...(loaded.ocr && { ocr: loaded.ocr }) };
}
