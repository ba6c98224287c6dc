import { z } from 'zod';

/** Thrown when a setting is invalid; the message names the environment variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting, with its environment variable and default. Only this module reads
 * `process.env`; the rest of the code receives the frozen `Config`. Exported so that
 * docs/settings.md is checked against it (test/docs/settings-doc.test.ts).
 */
export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.string().url().optional(),
  ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  LLM: z.enum(['none', 'openai']).optional(),
  CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  LLM_TIMEOUT_MS: positiveInt.max(300_000).default(20_000),
  MAX_QUESTION_CHARS: positiveInt.max(100_000).default(1000),
  MAX_JSON_BYTES: positiveInt.default(64 * 1024),
  RATE_LIMIT_PER_MINUTE: positiveInt.max(100_000).default(30),
  RATE_LIMIT_PER_IP_PER_MINUTE: positiveInt.max(1_000_000).default(300),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(?:ql)?:\/\/\S+$/, 'a postgres://… connection URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'a redis://… connection URL')
    .optional(),
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]{1,64}$/, 'letters, digits, _ : - (at most 64)')
    .default('trogiang'),
  JOB_TIMEOUT_SECONDS: positiveInt.max(86_400).default(900),
  CORPUS_DIR: z.string().min(1).default('./corpus'),
  DEFAULT_COLLECTION: z
    .string()
    .regex(/^[\p{L}\p{N}_.-]{1,64}$/u, 'letters, digits, _ . - (at most 64)')
    .default('chung'),
  EMBEDDINGS: z.enum(['local', 'openai']).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: positiveInt.optional(),
  LOCAL_EMBEDDING_DIMENSIONS: positiveInt.max(4096).default(512),
  MAX_UPLOAD_BYTES: positiveInt.default(50 * 1024 * 1024),
  MAX_PDF_PAGES: positiveInt.default(2000),
  PROCESSES: positiveInt.max(64).default(1),
  PROCESS_PORT_BASE: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535 - 64)
    .optional(),
});

/** The parsed settings. */
export interface Config {
  port: number;
  host: string;
  /** Base URL learners reach the service at (links in citations); default http://HOST:PORT. */
  publicUrl: string | undefined;
  /** Unset: generated on first start and kept in the data folder. */
  adminToken: string | undefined;
  /** Generated answers through an OpenAI-compatible endpoint, or null for offline extractive answers. */
  llm: { baseURL: string | undefined; apiKey: string | undefined; model: string; timeoutMs: number } | null;
  /**
   * `ratePerMinute`: learner requests a minute per browser (the widget's `x-client-id`), or per
   * address for callers without one; `ratePerIpPerMinute`: the cap for one address however many
   * browsers it claims (a computer room behind one NAT address). See docs/widget.md.
   */
  limits: {
    maxBytes: number;
    maxPages: number;
    maxQuestionChars: number;
    maxJsonBytes: number;
    ratePerMinute: number;
    ratePerIpPerMinute: number;
  };
  trustProxy: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
  /** `postgres://…`: the store is PostgreSQL (docs/settings.md#postgresql); unset: SQLite in `dataDir`. */
  databaseUrl: string | undefined;
  /** `redis://…`: rate limits shared by every process over Redis (docs/operations.md#shared-limits); unset: over PostgreSQL when `databaseUrl` is set, else in memory. */
  redisUrl: string | undefined;
  /** Prefix of this deployment's keys in Redis, so deployments (and test runs) sharing one Redis keep their own counts. */
  redisPrefix: string;
  /**
   * On PostgreSQL, how long one file's ingest job may run before another replica takes it over
   * (a replica killed mid-ingest leaves its job for that long); re-index jobs get at least an hour.
   */
  jobTimeoutSeconds: number;
  corpusDir: string;
  defaultCollection: string;
  /**
   * `processes`: service processes on one data folder, one writer and the rest following its
   * change log (docs/operations.md#several-processes); 1 is one process, as before.
   * `processPortBase`: process i (0 the writer) also listens on 127.0.0.1:base+i, to reach each one.
   */
  processes: number;
  processPortBase: number | undefined;
  embeddings:
    | { kind: 'local'; dimensions: number }
    | { kind: 'openai'; baseURL: string | undefined; apiKey: string | undefined; model: string; dimensions: number | undefined };
}

/**
 * Parses settings from an environment (default `process.env`) once.
 * `EMBEDDINGS` and `LLM` default to `openai` when an endpoint or key is configured, else offline.
 * @throws ConfigError naming each invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid setting: ${problems}`);
  }
  const s = parsed.data;
  const endpointConfigured = Boolean(s.OPENAI_BASE_URL || s.OPENAI_API_KEY);
  const embeddingsKind = s.EMBEDDINGS ?? (endpointConfigured ? 'openai' : 'local');
  const llmKind = s.LLM ?? (endpointConfigured ? 'openai' : 'none');
  if (llmKind === 'openai' && !endpointConfigured) {
    throw new ConfigError('invalid setting: LLM=openai needs OPENAI_BASE_URL or OPENAI_API_KEY');
  }
  return Object.freeze({
    port: s.PORT,
    host: s.HOST,
    publicUrl: s.PUBLIC_URL?.replace(/\/+$/, ''),
    adminToken: s.ADMIN_TOKEN,
    llm:
      llmKind === 'openai'
        ? { baseURL: s.OPENAI_BASE_URL, apiKey: s.OPENAI_API_KEY, model: s.CHAT_MODEL, timeoutMs: s.LLM_TIMEOUT_MS }
        : null,
    trustProxy: s.TRUST_PROXY === 'true',
    logLevel: s.LOG_LEVEL,
    dataDir: s.DATA_DIR,
    databaseUrl: s.DATABASE_URL,
    redisUrl: s.REDIS_URL,
    redisPrefix: s.REDIS_PREFIX,
    jobTimeoutSeconds: s.JOB_TIMEOUT_SECONDS,
    corpusDir: s.CORPUS_DIR,
    defaultCollection: s.DEFAULT_COLLECTION,
    processes: s.PROCESSES,
    processPortBase: s.PROCESS_PORT_BASE,
    embeddings:
      embeddingsKind === 'local'
        ? { kind: 'local' as const, dimensions: s.LOCAL_EMBEDDING_DIMENSIONS }
        : {
            kind: 'openai' as const,
            baseURL: s.OPENAI_BASE_URL,
            apiKey: s.OPENAI_API_KEY,
            model: s.EMBEDDING_MODEL,
            dimensions: s.EMBEDDING_DIMENSIONS,
          },
    limits: {
      maxBytes: s.MAX_UPLOAD_BYTES,
      maxPages: s.MAX_PDF_PAGES,
      maxQuestionChars: s.MAX_QUESTION_CHARS,
      maxJsonBytes: s.MAX_JSON_BYTES,
      ratePerMinute: s.RATE_LIMIT_PER_MINUTE,
      // Never below the per-learner rate: a single learner must not hit the address cap first.
      ratePerIpPerMinute: Math.max(s.RATE_LIMIT_PER_IP_PER_MINUTE, s.RATE_LIMIT_PER_MINUTE),
    },
  });
}
