/** Stable codes of the account layer; the routes map them to HTTP (docs/accounts.md). */
export type AuthErrorCode =
  | 'invalid_credentials'
  | 'throttled'
  | 'center_suspended'
  | 'center_not_found'
  | 'user_not_found'
  | 'username_taken'
  | 'link_invalid'
  | 'wrong_password'
  | 'forbidden';

/** An expected failure of an account operation, with an English and a Vietnamese message. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    readonly messageVi: string,
    /** For `throttled`: seconds until a login may be tried again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
