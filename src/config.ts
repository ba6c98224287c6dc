import { z } from 'zod';

/** Thrown when a setting is invalid; the message names the environment variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const positiveInt = z.coerce.number().int().positive();

/**
 * Every setting, with its environment variable and default. Only this module reads
 * `process.env`; the rest of the code receives the frozen `Config`.
 */
const schema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  CORPUS_DIR: z.string().min(1).default('./corpus'),
  DEFAULT_COLLECTION: z.string().regex(/^[\p{L}\p{N}_.-]{1,64}$/u, 'letters, digits, _ . - (at most 64)').default('chung'),
  EMBEDDINGS: z.enum(['local', 'openai']).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  EMBEDDING_MODEL: z.string().min(1).default('text-embedding-3-small'),
  EMBEDDING_DIMENSIONS: positiveInt.optional(),
  LOCAL_EMBEDDING_DIMENSIONS: positiveInt.max(4096).default(512),
  MAX_UPLOAD_BYTES: positiveInt.default(50 * 1024 * 1024),
  MAX_PDF_PAGES: positiveInt.default(2000),
});

/** The parsed settings. */
export interface Config {
  dataDir: string;
  corpusDir: string;
  defaultCollection: string;
  embeddings:
    | { kind: 'local'; dimensions: number }
    | { kind: 'openai'; baseURL: string | undefined; apiKey: string | undefined; model: string; dimensions: number | undefined };
  limits: { maxBytes: number; maxPages: number };
}

/**
 * Parses settings from an environment (default `process.env`) once.
 * `EMBEDDINGS` defaults to `openai` when an endpoint or key is configured, else `local`.
 * @throws ConfigError naming each invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid setting: ${problems}`);
  }
  const s = parsed.data;
  const endpointConfigured = Boolean(s.OPENAI_BASE_URL || s.OPENAI_API_KEY);
  const embeddingsKind = s.EMBEDDINGS ?? (endpointConfigured ? 'openai' : 'local');
  return Object.freeze({
    dataDir: s.DATA_DIR,
    corpusDir: s.CORPUS_DIR,
    defaultCollection: s.DEFAULT_COLLECTION,
    embeddings:
      embeddingsKind === 'local'
        ? { kind: 'local' as const, dimensions: s.LOCAL_EMBEDDING_DIMENSIONS }
        : { kind: 'openai' as const, baseURL: s.OPENAI_BASE_URL, apiKey: s.OPENAI_API_KEY, model: s.EMBEDDING_MODEL, dimensions: s.EMBEDDING_DIMENSIONS },
    limits: { maxBytes: s.MAX_UPLOAD_BYTES, maxPages: s.MAX_PDF_PAGES },
  });
}
