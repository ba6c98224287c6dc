import type { Embeddings } from '@langchain/core/embeddings';
import type { Config } from '../config.js';
import { createOpenAIEmbeddings, embedderId } from './openai-embeddings.js';

/** The embedder the settings ask for; undefined means the engine's offline default. */
export function createEmbeddingsFromConfig(config: Config): { embeddings?: Embeddings; embedderId?: string; dimensions?: number } {
  const e = config.embeddings;
  if (e.kind === 'local') return {};
  if (!e.baseURL && !e.apiKey) throw new Error('EMBEDDINGS=openai needs OPENAI_BASE_URL or OPENAI_API_KEY');
  const options = {
    baseURL: e.baseURL ?? 'https://api.openai.com/v1',
    model: e.model,
    ...(e.apiKey ? { apiKey: e.apiKey } : {}),
    ...(e.dimensions ? { dimensions: e.dimensions } : {}),
  };
  return {
    embeddings: createOpenAIEmbeddings(options),
    embedderId: embedderId(options),
    ...(e.dimensions ? { dimensions: e.dimensions } : {}),
  };
}
