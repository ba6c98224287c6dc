import { AuthError, type AuthErrorCode } from '../auth/index.js';
import { AppError, type ErrorCode } from '../server/app-error.js';

const status: Record<AuthErrorCode, ErrorCode> = {
  invalid_credentials: 'unauthorized',
  throttled: 'rate_limited',
  center_suspended: 'forbidden',
  center_not_found: 'not_found',
  user_not_found: 'not_found',
  username_taken: 'conflict',
  link_invalid: 'bad_request',
  wrong_password: 'invalid_field',
  forbidden: 'forbidden',
};

/** Runs an account operation, turning its AuthError into the API's error (code in `reason`). */
export async function authCall<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const headers = error.retryAfterSeconds ? { 'retry-after': String(error.retryAfterSeconds) } : undefined;
    throw new AppError(
      status[error.code],
      error.message,
      {
        reason: error.code,
        messageVi: error.messageVi,
        ...(error.code === 'wrong_password' ? { field: 'currentPassword' } : {}),
        ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      },
      headers,
    );
  }
}
