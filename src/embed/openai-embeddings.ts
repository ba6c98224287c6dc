/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint: OpenAI itself,
 * or a local server such as Ollama, vLLM, LM Studio or llama.cpp.
 *
 * A thin factory over `OpenAIEmbeddings` from `@langchain/openai` that picks
 * settings suited to local, offline-first use: an explicit base URL, a
 * placeholder API key, few retries, a bounded timeout, and the `float` wire
 * encoding (which every compatible server implements).
 */
import type { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';

/** Options for {@link createOpenAIEmbeddings}. */
export interface OpenAIEmbeddingsOptions {
  /** Base URL including the API prefix, e.g. `http://127.0.0.1:11434/v1` (Ollama) or `https://api.openai.com/v1`. */
  baseURL: string;
  /**
   * Sent as `Authorization: Bearer <apiKey>`. Local servers usually need none; a
   * placeholder is sent then. The `OPENAI_API_KEY` environment variable is never
   * read here, so a real key cannot leak to a local server by accident.
   */
  apiKey?: string;
  /** Model name as the server knows it, e.g. `text-embedding-3-small` or `nomic-embed-text`. */
  model: string;
  /**
   * Requested vector size (`dimensions` in the request). Only some models honour
   * it (OpenAI `text-embedding-3-*`); omit it to use the model's native size.
   */
  dimensions?: number;
  /** Per-request timeout in milliseconds. Default 60 000. */
  timeoutMs?: number;
  /** Texts per request in `embedDocuments`. Default 64; at most 2048 (OpenAI's limit). */
  batchSize?: number;
  /** Retries after a failed request (5xx, 429, timeout, network error), with ~1–2 s backoff. Default 1. */
  maxRetries?: number;
  /**
   * Wire encoding. Default `'float'`: the `openai` SDK would otherwise ask for
   * `'base64'`, which some OpenAI-compatible servers reject. `'base64'` (float32
   * little-endian) is smaller on the wire. Either way the vectors come back as
   * `number[]` (with `'base64'`, rounded to float32 precision).
   */
  encodingFormat?: 'float' | 'base64';
}

/** Sent when no API key is given: local servers ignore it, but the `openai` client requires one. */
export const PLACEHOLDER_API_KEY = 'not-needed';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_BATCH_SIZE = 64;
const DEFAULT_MAX_RETRIES = 1;
const MAX_BATCH_SIZE = 2048;

/**
 * Create a LangChain `Embeddings` backed by an OpenAI-compatible endpoint.
 *
 * Texts are sent exactly as given (no newline stripping), so what is embedded is
 * what was indexed. Throws a `RangeError` on invalid numeric options.
 *
 * @example
 * ```ts
 * const embedder = createOpenAIEmbeddings({ baseURL: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text' });
 * const [vector] = await embedder.embedDocuments(['Định luật Ôm']);
 * ```
 */
export function createOpenAIEmbeddings(options: OpenAIEmbeddingsOptions): Embeddings {
  validateOptions(options);
  return new OpenAIEmbeddings({
    model: options.model,
    apiKey: options.apiKey || PLACEHOLDER_API_KEY,
    configuration: { baseURL: options.baseURL },
    // Only sent when set: servers without the feature may reject the field.
    ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
    // 'float' is sent explicitly. For 'base64' the field is left unset on purpose: the openai SDK
    // then requests base64 itself AND decodes it to number[]; an explicit 'base64' would be
    // returned undecoded (raw strings) through LangChain.
    ...((options.encodingFormat ?? 'float') === 'float' ? { encodingFormat: 'float' as const } : {}),
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    // LangChain's AsyncCaller does the retrying; the openai client inside is created with maxRetries 0.
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    stripNewLines: false,
  });
}

/**
 * A stable id for the vectors this configuration produces, recorded in index
 * manifests so an index is never queried with a different embedder:
 * `openai:<model>:<dimensions|auto>`. It never contains the API key or URL.
 */
export function embedderId(options: Pick<OpenAIEmbeddingsOptions, 'model' | 'dimensions'>): string {
  return `openai:${options.model}:${options.dimensions ?? 'auto'}`;
}

function validateOptions(options: OpenAIEmbeddingsOptions): void {
  if (!options.baseURL) throw new RangeError('createOpenAIEmbeddings: baseURL is required');
  if (!options.model) throw new RangeError('createOpenAIEmbeddings: model is required');
  const positiveInt = (name: string, value: number | undefined, max = Number.MAX_SAFE_INTEGER): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw new RangeError(`createOpenAIEmbeddings: ${name} must be an integer between 1 and ${max}, got ${value}`);
    }
  };
  positiveInt('dimensions', options.dimensions);
  positiveInt('timeoutMs', options.timeoutMs);
  positiveInt('batchSize', options.batchSize, MAX_BATCH_SIZE);
  if (options.maxRetries !== undefined && (!Number.isInteger(options.maxRetries) || options.maxRetries < 0)) {
    throw new RangeError(`createOpenAIEmbeddings: maxRetries must be a non-negative integer, got ${options.maxRetries}`);
  }
}
