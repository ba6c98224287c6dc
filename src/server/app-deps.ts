import type { ChatOpenAI } from '@langchain/openai';
import type pino from 'pino';
import type { Config } from '../config.js';
import type { Engine } from '../engine/index.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limiter.js';

/** Everything the HTTP app needs; `createApp` builds routes over these and opens no port. */
export interface AppDeps {
  config: Config;
  engine: Engine;
  /** null: offline extractive answers. */
  chat: ChatOpenAI | null;
  adminToken: string;
  logger: pino.Logger;
  metrics: Metrics;
  limiter: RateLimiter;
  /** Flipped by the server entry during shutdown: /readyz turns 503, new chats are refused. */
  state: { draining: boolean };
}
