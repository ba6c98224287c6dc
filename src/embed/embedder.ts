import type { Embeddings } from '@langchain/core/embeddings';
import type { FeatureWeights } from './extract-features.js';
import type { FeatureList } from './feature-list.js';
import type { FeatureStats } from './feature-stats.js';
import { LocalEmbedder } from './local-embedder.js';
import { LocalEmbeddings } from './local-embeddings.js';
import { RemoteEmbedder } from './remote-embedder.js';

/**
 * Runs per-item work in slices, yielding to the event loop between them (the engine's `Slicer`),
 * so a large document's embedding does not hold requests up.
 */
export interface SliceRunner {
  each<T>(items: Iterable<T>, work: (item: T, index: number) => void): Promise<void>;
  map<T, U>(items: readonly T[], work: (item: T, index: number) => U): Promise<U[]>;
}

/** A document's vectors, and how to take its texts back out of the statistics if it is not stored. */
export interface EmbeddedDocument {
  vectors: Float32Array[];
  undo: () => void;
}

/**
 * What the engine needs of an embedder: the offline local one (hashed features weighted by
 * corpus statistics it keeps, saved with the indexes) or a remote one (any LangChain
 * `Embeddings`, such as an OpenAI-compatible endpoint), behind one interface.
 */
export interface Embedder {
  /** Stable id of the embedder and its settings, saved with the indexes (a change rebuilds them). */
  readonly id: string;
  readonly dimensions: number;
  /** True when vectors depend on corpus statistics the embedder keeps (the local embedder). */
  readonly keepsStats: boolean;
  /** The statistics to save with the indexes; null when the embedder keeps none. */
  readonly stats: FeatureStats | null;
  /** Takes up statistics loaded with the indexes, or fresh ones before a rebuild (ignored by a remote embedder). */
  useStats(stats: FeatureStats): void;
  /** What a worker thread needs to extract the features of a large file; null when none. */
  readonly featureWeights: FeatureWeights | null;
  embedQuery(text: string): Promise<Float32Array | number[]>;
  /** Counts a stored chunk's text into the statistics, or takes it out (no-ops without them). */
  observe(text: string): void;
  forget(text: string): void;
  /**
   * Embeds one document's chunk texts; the local embedder first counts them into its statistics
   * (with `features` when a worker already extracted them). `undo` takes them back out.
   */
  embedDocument(texts: readonly string[], features: FeatureList | null, slices: SliceRunner): Promise<EmbeddedDocument>;
}

/**
 * The embedder for `embeddings` (default: the offline `LocalEmbeddings`, 512 dimensions). A
 * remote embedder's size is `dimensions` when given, else probed with one query.
 */
export async function createEmbedder(
  embeddings: (Embeddings & { id?: string }) | undefined,
  options: { dimensions?: number; embedderId?: string } = {},
): Promise<Embedder> {
  const chosen = embeddings ?? new LocalEmbeddings();
  if (chosen instanceof LocalEmbeddings) return new LocalEmbedder(chosen);
  const dimensions = options.dimensions ?? (await chosen.embedQuery('trợ giảng')).length;
  return new RemoteEmbedder(chosen, options.embedderId ?? chosen.id ?? 'custom', dimensions);
}
