import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AuthErrorCode } from '../auth/index.js';
import type { IngestFailureCode } from '../engine/index.js';
import type { PackageErrorCode } from '../packages/index.js';
import type { StoreErrorCode } from '../store/index.js';

/**
 * The one table of the API's error codes: each code's HTTP status and its default wording in
 * English and Vietnamese. A response is `{ "error": { "code", "message", "messageVi", … } }`; the
 * English `message` is usually the thrower's specific one, `messageVi` this default unless the
 * thrower gave its own. Tests assert codes and statuses, not messages.
 */
export const apiErrors = {
  bad_request: { status: 400, en: 'bad request', vi: 'Yêu cầu không hợp lệ.' },
  /** The `Host` header is not a host name. */
  bad_host: { status: 400, en: 'the Host header is not a valid host name', vi: 'Tiêu đề Host của yêu cầu không phải tên máy hợp lệ.' },
  invalid_json: { status: 400, en: 'the body is not valid JSON', vi: 'Nội dung gửi lên không phải JSON hợp lệ.' },
  invalid_field: { status: 400, en: 'a field is not valid', vi: 'Có trường dữ liệu không hợp lệ.' },
  question_too_long: { status: 400, en: 'the question is too long', vi: 'Câu hỏi quá dài.' },
  unauthorized: {
    status: 401,
    en: 'a valid admin token is required (in the Authorization header)',
    vi: 'Cần mã quản trị hợp lệ (gửi trong tiêu đề Authorization).',
  },
  /** lti: the chat page's learner token (`x-learner-token`) is expired or not valid. */
  learner_session_expired: {
    status: 401,
    en: 'the learner session has ended; open the activity again',
    vi: 'Phiên học đã hết; hãy mở lại hoạt động từ khoá học.',
  },
  /** The account may not do this (its role, its collections, another center's). */
  forbidden: { status: 403, en: 'your account may not do this', vi: 'Tài khoản của bạn không được làm việc này.' },
  /** A cookie-authenticated change from another site, or without `X-Requested-With`. */
  csrf_refused: {
    status: 403,
    en: "refused: the request did not come from trogiang's admin page",
    vi: 'Yêu cầu bị từ chối vì không gửi từ trang quản trị của trợ giảng.',
  },
  forbidden_origin: { status: 403, en: 'this page may not use the assistant', vi: 'Trang này không được phép dùng trợ giảng.' },
  unknown_site_key: {
    status: 403,
    en: 'no such site key; ask the centre for the embed code again',
    vi: 'Mã trang (site key) không tồn tại; hãy xin lại mã nhúng từ trung tâm.',
  },
  not_found: { status: 404, en: 'not found', vi: 'Không tìm thấy.' },
  conflict: { status: 409, en: 'conflicts with existing data', vi: 'Xung đột với dữ liệu hiện có.' },
  payload_too_large: { status: 413, en: 'the request body is too large', vi: 'Dữ liệu gửi lên quá lớn.' },
  unsupported_media_type: { status: 415, en: 'wrong Content-Type', vi: 'Sai kiểu nội dung (Content-Type).' },
  unprocessable_file: { status: 422, en: 'the file cannot be read', vi: 'Không đọc được tệp.' },
  rate_limited: {
    status: 429,
    en: 'too many requests; wait a moment and try again',
    vi: 'Quá nhiều yêu cầu; hãy chờ một lát rồi thử lại.',
  },
  internal: { status: 500, en: 'something went wrong on the server', vi: 'Máy chủ gặp lỗi.' },
  not_ready: {
    status: 503,
    en: 'the assistant is restarting; try again in a moment',
    vi: 'Trợ giảng đang khởi động lại; hãy thử lại sau giây lát.',
  },
  /**
   * The store's server (PostgreSQL) cannot be reached or is restarting: the request changed
   * nothing and may be sent again after `retryAfterSeconds` (sent as Retry-After).
   */
  store_unavailable: {
    status: 503,
    en: 'the database is not reachable at the moment; nothing was changed, try again in a few seconds',
    vi: 'Hiện không kết nối được cơ sở dữ liệu; chưa có gì thay đổi, hãy thử lại sau vài giây.',
    retryAfterSeconds: 5,
  },
  /** The disk (or SQLite) had no room for a write, which was rolled back. */
  storage_full: {
    status: 507,
    en: "the server's disk is full: nothing was saved; ask the administrator to free some space",
    vi: 'Ổ đĩa của máy chủ đã đầy; không có gì được lưu. Hãy báo cho người quản trị.',
  },
} as const satisfies Record<string, { status: ContentfulStatusCode; en: string; vi: string; retryAfterSeconds?: number }>;

/** A code the API answers with. */
export type ApiErrorCode = keyof typeof apiErrors;

/** The API code of each store code (the store's own code is sent beside it as `reason`). */
export const storeErrorApiCodes = {
  collection_exists: 'conflict',
  collection_not_empty: 'conflict',
  collection_in_use: 'conflict',
  collection_not_found: 'not_found',
  site_key_not_found: 'not_found',
  invalid_input: 'invalid_field',
} as const satisfies Record<StoreErrorCode, ApiErrorCode>;

/**
 * The API code of an upload whose every file failed, by the first file's failure code (loaders'
 * and engine's; sent as `reason`). An upload with at least one stored file is a 200.
 */
export const ingestFailureApiCodes = {
  unsupported_format: 'unsupported_media_type',
  too_large: 'payload_too_large',
  too_many_pages: 'unprocessable_file',
  encrypted_pdf: 'unprocessable_file',
  no_text_layer: 'unprocessable_file',
  no_text_found: 'unprocessable_file',
  corrupt_file: 'unprocessable_file',
  empty_file: 'unprocessable_file',
  too_many_combining_marks: 'unprocessable_file',
  storage_full: 'storage_full',
} as const satisfies Record<IngestFailureCode, ApiErrorCode>;

/** The API code of each account-layer code (`src/auth`; sent as `reason`). */
export const authErrorApiCodes = {
  invalid_credentials: 'unauthorized',
  throttled: 'rate_limited',
  center_suspended: 'forbidden',
  center_not_found: 'not_found',
  user_not_found: 'not_found',
  username_taken: 'conflict',
  link_invalid: 'bad_request',
  wrong_password: 'invalid_field',
  forbidden: 'forbidden',
} as const satisfies Record<AuthErrorCode, ApiErrorCode>;

/** The API code of each refused package's code (`src/packages`; sent as `reason`). */
export const packageErrorApiCodes = {
  not_a_zip: 'unsupported_media_type',
  truncated_zip: 'unprocessable_file',
  too_many_entries: 'unprocessable_file',
  too_large: 'payload_too_large',
  zip_bomb: 'unprocessable_file',
  unsafe_path: 'unprocessable_file',
  symlink_entry: 'unprocessable_file',
  encrypted_entry: 'unprocessable_file',
  unsupported_compression: 'unprocessable_file',
  duplicate_name: 'unprocessable_file',
  missing_manifest: 'unprocessable_file',
  missing_metadata: 'unprocessable_file',
  invalid_manifest: 'unprocessable_file',
  invalid_metadata: 'unprocessable_file',
  missing_file: 'unprocessable_file',
  unlisted_file: 'unprocessable_file',
  checksum_mismatch: 'unprocessable_file',
  unsupported_file: 'unprocessable_file',
  no_documents: 'unprocessable_file',
  documents_exist: 'conflict',
  document_failed: 'unprocessable_file',
} as const satisfies Record<PackageErrorCode, ApiErrorCode>;
