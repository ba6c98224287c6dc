/** HTTP status for each stable error code. Tests assert codes, not messages. */
export const errorStatus = {
  bad_request: 400,
  invalid_json: 400,
  invalid_field: 400,
  question_too_long: 400,
  unauthorized: 401,
  forbidden_origin: 403,
  unknown_site_key: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable_file: 422,
  rate_limited: 429,
  internal: 500,
  not_ready: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * An error the API reports as `{ "error": { "code", "message" } }` with the status of its code.
 * `details` (optional) adds machine-readable context, such as the invalid field.
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

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): { error: { code: string; message: string } & Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...(this.details ?? {}) } };
  }
}
