import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../config.js';

export interface ChatModelOptions {
  /** An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio); default: OpenAI's. */
  baseURL?: string;
  /** Local servers need none: a placeholder is sent. */
  apiKey?: string;
  model: string;
  /** Default 0.2: grounded answers should stick to the sources. */
  temperature?: number;
  maxTokens?: number;
  /**
   * The openai SDK's own console logging. Default `'off'`: it would print unparseable stream
   * data to stderr, while every failure already reaches `AnswerDeps.onLlmError`.
   */
  logLevel?: 'off' | 'error' | 'warn' | 'info' | 'debug';
}

/**
 * The chat model of the LLM answerer.
 *
 * - `maxRetries: 0`: on an error the answerer streams the extractive answer instead of retrying
 *   (a learner waiting on a slow connection is better served by an answer now).
 * - `streamUsage: false`: @langchain/openai 1.5.8 otherwise sends
 *   `stream_options: { include_usage: true }` with every streamed request, which some
 *   OpenAI-compatible servers and gateways reject; the answerer does not use token counts.
 * - No `timeout`: the openai v6 client's timeout only covers the wait for response headers;
 *   the answerer cuts the whole call with an AbortSignal instead.
 * - `streaming` is left unset: `.stream()` streams, `.invoke()` (the question rewrite) does not.
 *   (Setting `streaming: false` would make `.stream()` fall back to one non-streamed call.)
 */
export function createChatModel(options: ChatModelOptions): ChatOpenAI {
  return new ChatOpenAI({
    model: options.model,
    apiKey: options.apiKey || 'not-needed',
    temperature: options.temperature ?? 0.2,
    ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
    maxRetries: 0,
    streamUsage: false,
    configuration: {
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      logLevel: options.logLevel ?? 'off',
    },
  });
}

/**
 * The chat model the settings configure (`LLM`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`,
 * `CHAT_MODEL`), or null for offline extractive answers: the same for the service and the CLI.
 */
export function createChatModelFromConfig(config: Config): BaseChatModel | null {
  const llm = config.llm;
  if (!llm) return null;
  return createChatModel({
    model: llm.model,
    ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
    ...(llm.apiKey ? { apiKey: llm.apiKey } : {}),
  });
}
