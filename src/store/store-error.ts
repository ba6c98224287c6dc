import type { z } from 'zod';

/**
 * Stable error codes of the store. `src/server/error-map.ts` gives each its HTTP status; the codes
 * are part of the API (sent as `reason`), the messages are for people.
 */
export const storeErrorCodes = [
  'collection_exists',
  'collection_not_empty',
  'collection_in_use',
  'collection_not_found',
  'site_key_not_found',
  'invalid_input',
] as const;

/** One of `storeErrorCodes`. */
export type StoreErrorCode = (typeof storeErrorCodes)[number];

/** One problem with an input, as zod reports it (path names the field). */
export interface StoreIssue {
  path: Array<string | number>;
  message: string;
}

/** An expected failure of a store operation, with a stable `code`. */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** Machine-readable context (ids involved, counts). */
    readonly details: Record<string, unknown> = {},
    /** For `invalid_input`: what is wrong, field by field. */
    readonly issues: StoreIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `error` is a StoreError (with `code`, when given). */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

/**
 * Parses `value` with `schema`; a failure becomes a StoreError `invalid_input` whose issues name
 * the fields (`allowedOrigins.0`, `title`, …).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
  const summary = issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new StoreError('invalid_input', `invalid ${what}: ${summary}`, {}, issues, { cause: result.error });
}

/**
 * True for the errors of a full disk or quota: SQLite's `SQLITE_FULL` (its transaction was rolled
 * back) and the file system's `ENOSPC` / `EDQUOT`.
 */
export function isDiskFull(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** True when another connection held SQLite's write lock past the busy timeout (`SQLITE_BUSY`, `SQLITE_BUSY_*`). */
export function isBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
