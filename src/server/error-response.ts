import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type pino from 'pino';
import { AuthError } from '../auth/index.js';
import type { IngestOutcome } from '../engine/index.js';
import { IngestError } from '../ingest/index.js';
import { isPackageError } from '../packages/index.js';
import { isDiskFull, isStoreError, isStoreUnavailable } from '../store/index.js';
import { AppError } from './app-error.js';
import { apiErrors, authErrorApiCodes, ingestFailureApiCodes, packageErrorApiCodes, storeErrorApiCodes } from './error-map.js';

/**
 * The API error for a coded error of any layer (`AppError`, the store's `StoreError`, the loaders'
 * `IngestError`, the accounts' `AuthError`, a refused package's `PackageError`, a full disk); undefined for anything else. The layer's own code goes in `reason`.
 */
export function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (isStoreError(error)) {
    const issue = error.issues[0];
    const field = issue ? issue.path : undefined;
    return new AppError(storeErrorApiCodes[error.code], issue ? `${issue.path}: ${issue.message}` : error.message, {
      reason: error.code,
      ...(field ? { field } : {}),
    });
  }
  if (error instanceof IngestError)
    return new AppError(ingestFailureApiCodes[error.code], error.message, { reason: error.code, messageVi: error.messageVi });
  if (error instanceof AuthError) {
    const retry = error.retryAfterSeconds;
    return new AppError(
      authErrorApiCodes[error.code],
      error.message,
      {
        reason: error.code,
        messageVi: error.messageVi,
        ...(error.code === 'wrong_password' ? { field: 'currentPassword' } : {}),
        ...(retry ? { retryAfterSeconds: retry } : {}),
      },
      retry ? { 'retry-after': String(retry) } : undefined,
    );
  }
  if (isPackageError(error)) {
    return new AppError(packageErrorApiCodes[error.code], error.message, {
      ...error.details,
      reason: error.code,
      messageVi: error.messageVi,
    });
  }
  // A write the disk had no room for was rolled back: say so (507), not "something went wrong".
  if (isDiskFull(error)) return new AppError('storage_full', apiErrors.storage_full.en);
  // PostgreSQL restarting or out of reach: a 503 to retry, not a storm of 500s.
  if (isStoreUnavailable(error)) {
    const { en, retryAfterSeconds } = apiErrors.store_unavailable;
    return new AppError('store_unavailable', en, { retryAfterSeconds }, { 'retry-after': String(retryAfterSeconds) });
  }
  return undefined;
}

/** The error of an upload whose every file failed, by the first one's code; `results` lists them all. */
export function uploadFailed(first: Extract<IngestOutcome, { status: 'failed' }>, results: unknown[]): AppError {
  return new AppError(ingestFailureApiCodes[first.code], `${first.fileName}: ${first.message}`, {
    reason: first.code,
    messageVi: `${first.fileName}: ${first.messageVi}`,
    results,
  });
}

/** `app.notFound`: a 404 `not_found` for a path no route serves. */
export const routeNotFound: NotFoundHandler = (c) => c.json(new AppError('not_found', 'no such route').toBody(), 404);

/**
 * `app.onError`: the one place an error becomes a response. Coded errors answer with their code's
 * status (`error-map.ts`); Hono's own exceptions keep theirs; anything else is logged with the
 * request id and answered with a plain 500.
 */
export function errorResponse(logger: pino.Logger): ErrorHandler {
  return (error, c: Context) => {
    const requestId = c.get('requestId');
    const known = toAppError(error);
    if (known) {
      if (known.code === 'storage_full' && !(error instanceof AppError)) logger.error({ requestId, err: error }, 'disk full');
      if (known.code === 'store_unavailable') logger.warn({ requestId, err: (error as Error).message }, 'store unavailable');
      for (const [name, value] of Object.entries(known.headers ?? {})) c.header(name, value);
      return c.json(known.toBody(), known.status);
    }
    if (error instanceof HTTPException) {
      const body = new AppError(
        error.status === 413 ? 'payload_too_large' : 'bad_request',
        error.message || apiErrors.bad_request.en,
      ).toBody();
      return c.json(body, error.status);
    }
    // The client went away while its body was being read (a dropped phone connection, a closed
    // tab): nothing failed here and nobody is left to answer, so no 500 and no error-level log
    // (found by fuzzing with raw HTTP: each such request counted as a server error).
    if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' && error.message === 'aborted') {
      logger.info({ requestId, method: c.req.method, route: c.req.routePath }, 'client closed the request');
      return c.json(new AppError('bad_request', 'the request was cut off before its body was complete').toBody(), 400);
    }
    logger.error({ requestId, err: error }, 'unexpected error');
    return c.json(new AppError('internal', apiErrors.internal.en, { requestId }).toBody(), 500);
  };
}
