import type { CallbackManagerForRetrieverRun } from '@langchain/core/callbacks/manager';
import type { Document } from '@langchain/core/documents';
import { BaseRetriever, type BaseRetrieverInput } from '@langchain/core/retrievers';
import { createEmbeddingsFromConfig } from '../embed/index.js';
import type { Config } from '../config.js';
import { Engine, type EngineOptions } from '../engine/index.js';
import type { RetrievalMode } from '../retrieve/index.js';
import { openSqliteStore } from '../store/index.js';
import { retrievalDocuments, type TrogiangDocumentMetadata } from './retrieval-documents.js';

/** A retriever option out of range; `code` is stable, the message says what to change. */
export class TrogiangRetrieverError extends Error {
  override readonly name = 'TrogiangRetrieverError';
  readonly code = 'invalid_retriever_option';
}

/** How the retriever searches (every field optional). */
export interface TrogiangRetrieverOptions extends BaseRetrieverInput {
  /** Passages per question, 1-100 (default 4, LangChain's usual). */
  k?: number;
  /** Only these collections (default: all). */
  collections?: readonly string[] | null;
  /** `hybrid` (default, the service's), `bm25` or `vector`. */
  mode?: RetrievalMode;
  /** The service's public URL: each document then carries a `link` to its page or heading. */
  baseUrl?: string;
  /**
   * Return no document when trogiang judges the question not covered by the materials (default
   * false: the best passages are returned anyway, with `answerable: false` in their metadata).
   */
  answerableOnly?: boolean;
}

const modes: readonly RetrievalMode[] = ['bm25', 'vector', 'hybrid'];

function checked(options: TrogiangRetrieverOptions): Required<Pick<TrogiangRetrieverOptions, 'k' | 'mode' | 'answerableOnly'>> {
  const k = options.k ?? 4;
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new TrogiangRetrieverError(`k must be a whole number from 1 to 100, not ${k}`);
  const mode = options.mode ?? 'hybrid';
  if (!modes.includes(mode)) throw new TrogiangRetrieverError(`mode must be bm25, vector or hybrid, not "${mode}"`);
  if (options.baseUrl !== undefined && !/^https?:\/\/[^/]/.test(options.baseUrl)) {
    throw new TrogiangRetrieverError(`baseUrl must be an http(s) URL such as http://127.0.0.1:8787, not "${options.baseUrl}"`);
  }
  return { k, mode, answerableOnly: options.answerableOnly ?? false };
}

/**
 * trogiang's retrieval as a LangChain retriever: BM25 over Vietnamese syllables and their
 * diacritic-free forms fused with vectors, re-ranked by proximity, near duplicates removed. A
 * question typed without diacritics finds the passage written with them, and each document says
 * where it comes from and whether trogiang judges the question covered (docs/langchain.md).
 *
 * @example
 * const retriever = await TrogiangRetriever.open({ dataDir: './data', k: 3 });
 * const docs = await retriever.invoke('hoc phi mot thang bao nhieu');
 * // docs[0].metadata: { title: 'Sổ tay học viên — …', page: 6, headingPath: [..., '3.3. Thời hạn nộp học phí'], … }
 * await retriever.close();
 */
export class TrogiangRetriever extends BaseRetriever<TrogiangDocumentMetadata> {
  lc_namespace = ['trogiang', 'retrievers'];
  readonly k: number;
  readonly mode: RetrievalMode;
  readonly collections: readonly string[] | null;
  readonly baseUrl: string | undefined;
  readonly answerableOnly: boolean;

  /** Over an engine the caller opened (and closes). */
  constructor(
    readonly engine: Engine,
    options: TrogiangRetrieverOptions = {},
    private readonly ownsEngine = false,
  ) {
    // Only the base fields: LangChain keeps the constructor's fields for serialisation, and an engine is not data.
    super({ callbacks: options.callbacks, tags: options.tags, metadata: options.metadata, verbose: options.verbose });
    const { k, mode, answerableOnly } = checked(options);
    this.k = k;
    this.mode = mode;
    this.answerableOnly = answerableOnly;
    this.collections = options.collections?.length ? [...options.collections] : null;
    this.baseUrl = options.baseUrl;
  }

  /**
   * Opens (or creates) a data folder with its own engine, closed by `close()`. Give the same
   * embedder the folder was indexed with (default: the offline local one), or its vectors are
   * rebuilt with this one.
   */
  static async open(
    options: TrogiangRetrieverOptions & Pick<EngineOptions, 'dataDir'> & Partial<Omit<EngineOptions, 'store'>>,
  ): Promise<TrogiangRetriever> {
    const { k, collections, mode, baseUrl, answerableOnly, callbacks, tags, metadata, verbose, ...engineOptions } = options;
    const retrieverOptions = { k, collections, mode, baseUrl, answerableOnly, callbacks, tags, metadata, verbose };
    checked(retrieverOptions); // before opening anything
    const engine = await Engine.open({ ...engineOptions, store: openSqliteStore(engineOptions.dataDir) });
    return new TrogiangRetriever(engine, retrieverOptions, true);
  }

  /**
   * Opens the data folder the settings name, with the embedder they choose: the folder the
   * `trogiang` command and the service use (`loadConfig(process.env)` reads them). Links default
   * to `PUBLIC_URL`, else `http://HOST:PORT`. The service should be stopped: two processes must
   * not write one data folder.
   */
  static async fromConfig(config: Config, options: TrogiangRetrieverOptions = {}): Promise<TrogiangRetriever> {
    const { embeddings, embedderId, dimensions } = createEmbeddingsFromConfig(config);
    return TrogiangRetriever.open({
      ...options,
      dataDir: config.dataDir,
      limits: config.limits,
      ...(embeddings ? { embeddings, embedderId } : {}),
      ...(dimensions ? { dimensions } : {}),
      // The links the service started with these settings gives.
      baseUrl:
        options.baseUrl ?? config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
    });
  }

  override async _getRelevantDocuments(
    query: string,
    _runManager?: CallbackManagerForRetrieverRun,
  ): Promise<Array<Document<TrogiangDocumentMetadata>>> {
    const retrieval = await this.engine.retrieve(query, { k: this.k, mode: this.mode, collections: this.collections });
    if (this.answerableOnly && !retrieval.answerable) return [];
    return retrievalDocuments(retrieval, this.baseUrl);
  }

  /** Closes the engine if `open` or `fromConfig` opened it; an engine passed in stays open. */
  async close(): Promise<void> {
    if (this.ownsEngine) await this.engine.close();
  }
}
