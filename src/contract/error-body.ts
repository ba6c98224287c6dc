import type { ApiErrorCode } from '../server/error-map.js';

/**
 * The body of every error response: a stable `code`, the English `message` and the Vietnamese
 * `messageVi`, plus details some codes carry (the invalid `field`, a layer's own `reason`…).
 */
export interface ErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    messageVi: string;
    /** The invalid field, e.g. `allowedOrigins.1`. */
    field?: string;
    /** The layer's own code (`invalid_credentials`, `throttled`, a site key address's problem…). */
    reason?: string;
    problem?: string;
    retryAfter?: number;
    retryAfterSeconds?: number;
  } & Record<string, unknown>;
}
