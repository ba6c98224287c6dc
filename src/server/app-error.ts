import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { apiErrors, type ApiErrorCode } from './error-map.js';

/** A code the API answers with; statuses and default wording are in `error-map.ts`. */
export type ErrorCode = ApiErrorCode;

/**
 * An error the API reports as `{ "error": { "code", "message" } }` with the status of its code.
 * `details` (optional) adds machine-readable context, such as the invalid field, and may carry a
 * specific Vietnamese `messageVi` (otherwise a per-code default is sent).
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return apiErrors[this.code].status;
  }

  toBody(): { error: { code: string; message: string } & Record<string, unknown> } {
    const field = typeof this.details?.field === 'string' ? ` (${this.details.field})` : '';
    return { error: { code: this.code, message: this.message, messageVi: `${apiErrors[this.code].vi}${field}`, ...(this.details ?? {}) } };
  }
}
