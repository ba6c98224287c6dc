import type { Embedder, EmbeddedDocument, SliceRunner } from './embedder.js';
import { featureListOf, featuresAt, type FeatureList } from './feature-list.js';
import type { FeatureStats } from './feature-stats.js';
import type { LocalEmbeddings } from './local-embeddings.js';

/** The offline embedder: hashed features weighted by the corpus statistics it keeps. */
export class LocalEmbedder implements Embedder {
  readonly keepsStats = true;
  constructor(readonly local: LocalEmbeddings) {}

  get id(): string {
    return this.local.id;
  }
  get dimensions(): number {
    return this.local.dimensions;
  }
  get stats(): FeatureStats {
    return this.local.stats;
  }
  useStats(stats: FeatureStats): void {
    this.local.stats = stats;
  }
  get featureWeights() {
    return this.local.weights;
  }
  async embedQuery(text: string): Promise<Float32Array> {
    return this.local.embed(text);
  }
  observe(text: string): void {
    this.local.observe(text);
  }
  forget(text: string): void {
    this.local.forget(text);
  }

  /** The features are extracted once per chunk, for the statistics and the vector. */
  async embedDocument(texts: readonly string[], prepared: FeatureList | null, slices: SliceRunner): Promise<EmbeddedDocument> {
    const local = this.local;
    const features = prepared ?? featureListOf(await slices.map(texts, (t) => local.featuresOf(t)));
    let observed = 0;
    const undo = () => {
      for (let i = 0; i < observed; i++) local.forgetFlat(featuresAt(features, i));
      observed = 0;
    };
    try {
      await slices.each(texts, (_, i) => {
        local.observeFlat(featuresAt(features, i));
        observed++;
      });
      const vectors = await slices.map(texts, (_, i) => local.embedFlat(featuresAt(features, i)));
      return { vectors, undo };
    } catch (error) {
      undo();
      throw error;
    }
  }
}
