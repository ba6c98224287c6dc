/** Why a login or launch was refused; each has a status and wording in both languages (lti-pages.ts shows them). */
export const ltiRefusals = {
  unknown_platform: {
    status: 400,
    en: 'This platform (issuer and client id) is not registered with the assistant.',
    vi: 'Nền tảng này (issuer và client id) chưa được đăng ký với trợ giảng.',
  },
  bad_request: { status: 400, en: 'The launch request is missing a field.', vi: 'Yêu cầu mở trợ giảng thiếu thông tin.' },
  state_mismatch: {
    status: 400,
    en: 'The launch does not match a login started here (state). Open the activity again from the course.',
    vi: 'Lần mở này không khớp với lần đăng nhập đã bắt đầu (state). Hãy mở lại hoạt động từ khoá học.',
  },
  bad_signature: { status: 401, en: "The launch token's signature is not valid.", vi: 'Chữ ký của mã mở trợ giảng không hợp lệ.' },
  unknown_key: {
    status: 401,
    en: 'The launch token was signed with a key the platform does not publish.',
    vi: 'Mã mở trợ giảng được ký bằng khoá mà nền tảng không công bố.',
  },
  expired: {
    status: 401,
    en: 'The launch token has expired. Open the activity again from the course.',
    vi: 'Mã mở trợ giảng đã hết hạn. Hãy mở lại hoạt động từ khoá học.',
  },
  wrong_audience: {
    status: 401,
    en: 'The launch token was made for another tool (audience).',
    vi: 'Mã mở trợ giảng được cấp cho công cụ khác (audience).',
  },
  invalid_token: { status: 401, en: 'The launch token is not valid.', vi: 'Mã mở trợ giảng không hợp lệ.' },
  replayed_nonce: {
    status: 401,
    en: 'This launch was already used. Open the activity again from the course.',
    vi: 'Lần mở này đã được dùng. Hãy mở lại hoạt động từ khoá học.',
  },
  unknown_deployment: {
    status: 403,
    en: 'This deployment of the tool is not registered.',
    vi: 'Bản triển khai (deployment) này của công cụ chưa được đăng ký.',
  },
  bad_lti_claim: { status: 400, en: 'The launch is not a valid LTI 1.3 message.', vi: 'Lần mở này không phải thông điệp LTI 1.3 hợp lệ.' },
  platform_unreachable: {
    status: 502,
    en: "The platform's public keys could not be fetched.",
    vi: 'Không tải được khoá công khai của nền tảng.',
  },
  session_expired: {
    status: 401,
    en: 'The session has ended. Open the activity again from the course.',
    vi: 'Phiên làm việc đã hết. Hãy mở lại hoạt động từ khoá học.',
  },
  not_instructor: { status: 403, en: 'Only the course teacher may do this.', vi: 'Chỉ giáo viên của khoá học được làm việc này.' },
} as const;

export type LtiRefusalCode = keyof typeof ltiRefusals;

/** A refused LTI step; the routes show it as a page (never a 500), with `detail` in English for the admin. */
export class LtiError extends Error {
  override readonly name = 'LtiError';
  constructor(
    readonly code: LtiRefusalCode,
    readonly detail?: string,
  ) {
    super(`${code}${detail ? `: ${detail}` : ''}`);
  }

  get status(): 400 | 401 | 403 | 502 {
    return ltiRefusals[this.code].status;
  }
}
