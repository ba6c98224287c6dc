/** HTTP status for each stable error code. Tests assert codes, not messages. */
export const errorStatus = {
  bad_request: 400,
  /** The `Host` header is not a host name. */
  bad_host: 400,
  invalid_json: 400,
  invalid_field: 400,
  question_too_long: 400,
  unauthorized: 401,
  /** The account may not do this (its role, its collections, another center's). */
  forbidden: 403,
  /** A cookie-authenticated change from another site, or without `X-Requested-With`. */
  csrf_refused: 403,
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
  /** The disk (or SQLite) had no room for a write, which was rolled back. */
  storage_full: 507,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/**
 * Vietnamese wording per code, sent as `messageVi` when the thrower gave no specific one, so every
 * error a teacher or learner can see has both languages (the English `message` is the specific one).
 */
const defaultMessagesVi: Record<ErrorCode, string> = {
  bad_request: 'Yêu cầu không hợp lệ.',
  bad_host: 'Tiêu đề Host của yêu cầu không phải tên máy hợp lệ.',
  invalid_json: 'Nội dung gửi lên không phải JSON hợp lệ.',
  invalid_field: 'Có trường dữ liệu không hợp lệ.',
  question_too_long: 'Câu hỏi quá dài.',
  unauthorized: 'Cần mã quản trị hợp lệ (gửi trong tiêu đề Authorization).',
  forbidden: 'Tài khoản của bạn không được làm việc này.',
  csrf_refused: 'Yêu cầu bị từ chối vì không gửi từ trang quản trị của trợ giảng.',
  forbidden_origin: 'Trang này không được phép dùng trợ giảng.',
  unknown_site_key: 'Mã trang (site key) không tồn tại; hãy xin lại mã nhúng từ trung tâm.',
  not_found: 'Không tìm thấy.',
  conflict: 'Xung đột với dữ liệu hiện có.',
  payload_too_large: 'Dữ liệu gửi lên quá lớn.',
  unsupported_media_type: 'Sai kiểu nội dung (Content-Type).',
  unprocessable_file: 'Không đọc được tệp.',
  rate_limited: 'Quá nhiều yêu cầu; hãy chờ một lát rồi thử lại.',
  internal: 'Máy chủ gặp lỗi.',
  not_ready: 'Trợ giảng đang khởi động lại; hãy thử lại sau giây lát.',
  storage_full: 'Ổ đĩa của máy chủ đã đầy; không có gì được lưu. Hãy báo cho người quản trị.',
};

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

  get status(): number {
    return errorStatus[this.code];
  }

  toBody(): { error: { code: string; message: string } & Record<string, unknown> } {
    const field = typeof this.details?.field === 'string' ? ` (${this.details.field})` : '';
    return { error: { code: this.code, message: this.message, messageVi: `${defaultMessagesVi[this.code]}${field}`, ...(this.details ?? {}) } };
  }
}
