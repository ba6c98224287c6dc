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

export const invalidCredentials = () =>
  new AuthError('invalid_credentials', 'wrong username or password', 'Sai tên đăng nhập hoặc mật khẩu.');
export const forbidden = () => new AuthError('forbidden', 'your account may not do this', 'Tài khoản của bạn không được làm việc này.');
export const userNotFound = () =>
  new AuthError('user_not_found', 'no such account in this center', 'Không có tài khoản này trong trung tâm.');
export const usernameTaken = () => new AuthError('username_taken', 'this username is taken', 'Tên đăng nhập này đã có người dùng.');
export const linkInvalid = () =>
  new AuthError(
    'link_invalid',
    'this link is not valid: it was used already, has expired, or was mistyped',
    'Liên kết không hợp lệ: đã được dùng, đã hết hạn hoặc bị chép sai.',
  );
