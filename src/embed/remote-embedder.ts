import type { Embeddings } from '@langchain/core/embeddings';
import type { Embedder, EmbeddedDocument } from './embedder.js';

/** Any LangChain `Embeddings` (an OpenAI-compatible endpoint): no statistics, batches of 64. */
export class RemoteEmbedder implements Embedder {
  readonly keepsStats = false;
  readonly stats = null;
  readonly featureWeights = null;
  constructor(
    readonly embeddings: Embeddings,
    readonly id: string,
    readonly dimensions: number,
  ) {}

  useStats(): void {}
  async embedQuery(text: string): Promise<number[]> {
    return this.embeddings.embedQuery(text);
  }
  observe(): void {}
  forget(): void {}

  async embedDocument(texts: readonly string[]): Promise<EmbeddedDocument> {
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 64) {
      const batch = await this.embeddings.embedDocuments(texts.slice(i, i + 64));
      for (const v of batch) {
        if (v.length !== this.dimensions) throw new Error(`the embedder returned ${v.length} dimensions, expected ${this.dimensions}`);
        vectors.push(Float32Array.from(v));
      }
    }
    return { vectors, undo: () => {} };
  }
}
