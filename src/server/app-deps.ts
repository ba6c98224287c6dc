import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AuthService } from '../auth/index.js';
import type pino from 'pino';
import type { Config } from '../config.js';
import type { Engine } from '../engine/index.js';
import type { DocumentJobs } from '../jobs/index.js';
import type { PracticeService } from '../practice/index.js';
import type { Metrics } from './metrics.js';
import type { ProcessInfo } from './process-info.js';
import type { RequestLimiter } from './request-limiter.js';

/** Everything the HTTP app needs; `createApp` builds routes over these and opens no port. */
export interface AppDeps {
  config: Config;
  engine: Engine;
  /** Any LangChain chat model (`createChatModelFromConfig`); null: offline extractive answers. */
  chat: BaseChatModel | null;
  adminToken: string;
  logger: pino.Logger;
  metrics: Metrics;
  /** Learner rate limits: in memory, or shared by replicas over Redis or PostgreSQL (`openRateLimiter`). */
  limiter: RequestLimiter;
  /** Who runs uploads and re-indexing (issue 20 item 3); absent: this process's engine, in process. */
  documentJobs?: DocumentJobs;
  /** Teacher accounts and the audit log; `createApp` opens it over the engine's store when absent. */
  auth?: AuthService;
  /** Practice items (docs/practice.md); `createApp` makes it over the engine when absent. */
  practice?: PracticeService;
  /**
   * `draining`: flipped by the server entry during shutdown (/readyz turns 503, new chats are
   * refused). `listenOrigin`: the address the server entry listens on (`http://127.0.0.1:3000`),
   * set once it listens; the demo site key's origin when `PUBLIC_URL` is unset.
   */
  state: { draining: boolean; listenOrigin?: string };
  /** This process's role among several on one data folder (`PROCESSES` above 1); absent with one. */
  processes?: ProcessInfo;
  /** The clock validity dates are read against (issue 18); tests move it. Default: the system clock. */
  now?: () => Date;
}
