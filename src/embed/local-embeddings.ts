import { Embeddings } from '@langchain/core/embeddings';
import { defaultFeatureWeights, extractFeatures, type FeatureWeights } from './extract-features.js';
import { FeatureStats } from './feature-stats.js';

/** Options of the offline embedder. */
export interface LocalEmbeddingsOptions {
  /** Vector size. 512 keeps collisions low at about 2 KB per chunk. */
  dimensions?: number;
  weights?: FeatureWeights;
  stats?: FeatureStats;
}

/**
 * The default, offline embedder: signed feature hashing of diacritic-folded syllables, syllable
 * bigrams and character trigrams, weighted by sublinear TF × corpus IDF, L2-normalised.
 * Deterministic, in-process, no model download. Call `observe` with each indexed chunk's text
 * (and `forget` on removal) so IDF follows the corpus.
 *
 * @example
 * const embedder = new LocalEmbeddings();
 * embedder.observe('Học phí 350.000 đồng/tháng');
 * const v = await embedder.embedQuery('hoc phi bao nhieu');
 */
export class LocalEmbeddings extends Embeddings {
  readonly dimensions: number;
  readonly weights: FeatureWeights;
  stats: FeatureStats;

  constructor(options: LocalEmbeddingsOptions = {}) {
    super({});
    this.dimensions = options.dimensions ?? 512;
    this.weights = options.weights ?? defaultFeatureWeights;
    this.stats = options.stats ?? new FeatureStats();
  }

  /** Identifies the vector space, for index manifests: a different id means re-embedding. */
  get id(): string {
    const w = this.weights;
    return `local-hash-v1:${this.dimensions}:${w.unigram}/${w.bigram}/${w.charTrigrams}`;
  }

  /** A text's hashed features and their raw weights; extract once, then observe and embed them. */
  featuresOf(text: string): Map<number, number> {
    return extractFeatures(text, this.weights);
  }

  /** Counts a chunk's features into the IDF statistics. */
  observe(text: string): void {
    this.observeFeatures(this.featuresOf(text));
  }

  observeFeatures(features: ReadonlyMap<number, number>): void {
    this.stats.update(features.keys(), 1);
  }

  /** `observeFeatures` of one text of a `FeatureList`. */
  observeFlat(features: { hashes: Uint32Array }): void {
    this.stats.update(features.hashes, 1);
  }

  forgetFlat(features: { hashes: Uint32Array }): void {
    this.stats.update(features.hashes, -1);
  }

  /** Removes a chunk's features from the IDF statistics. */
  forget(text: string): void {
    this.forgetFeatures(this.featuresOf(text));
  }

  forgetFeatures(features: ReadonlyMap<number, number>): void {
    this.stats.update(features.keys(), -1);
  }

  /** The vector of one text, synchronously, as a Float32Array (the fast path used internally). */
  embed(text: string): Float32Array {
    return this.embedFeatures(this.featuresOf(text));
  }

  embedFeatures(features: ReadonlyMap<number, number>): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const [hash, raw] of features) this.addFeature(vector, hash, raw);
    return this.normalise(vector);
  }

  /** `embedFeatures` of one text of a `FeatureList` (features made on another thread): the same bytes. */
  embedFlat(features: { hashes: Uint32Array; raws: Float64Array }): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const { hashes, raws } = features;
    for (let i = 0; i < hashes.length; i++) this.addFeature(vector, hashes[i]!, raws[i]!);
    return this.normalise(vector);
  }

  private addFeature(vector: Float32Array, hash: number, raw: number): void {
    const weight = (raw >= 1 ? 1 + Math.log(raw) : raw) * this.stats.idf(hash);
    // Low bits pick the dimension, the top bit the sign: collisions cancel out on average.
    const dim = (hash >>> 1) % this.dimensions;
    vector[dim]! += hash & 1 ? weight : -weight;
  }

  private normalise(vector: Float32Array): Float32Array {
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let i = 0; i < vector.length; i++) vector[i]! *= scale;
    }
    return vector;
  }

  override async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => Array.from(this.embed(d)));
  }

  override async embedQuery(document: string): Promise<number[]> {
    return Array.from(this.embed(document));
  }
}
