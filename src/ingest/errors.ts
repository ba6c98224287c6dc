import { IngestError, type IngestErrorCode } from './types.js';

/** Default English and Vietnamese wording per code; callers may pass a more specific pair. */
const defaultMessages: Record<IngestErrorCode, { en: string; vi: string }> = {
  unsupported_format: {
    en: 'This file type is not supported. Upload a PDF, Word (.docx), Markdown, HTML or plain-text file, or a PNG or JPEG scan of a page.',
    vi: 'Loại tệp này chưa được hỗ trợ. Hãy tải lên tệp PDF, Word (.docx), Markdown, HTML, văn bản thường (.txt), hoặc ảnh quét một trang (PNG, JPEG).',
  },
  too_large: {
    en: 'The file is too large to read.',
    vi: 'Tệp quá lớn nên không đọc được. Hãy chia nhỏ tệp rồi tải lên lại.',
  },
  too_many_pages: {
    en: 'The PDF has too many pages.',
    vi: 'Tệp PDF có quá nhiều trang. Hãy tách thành nhiều tệp nhỏ hơn rồi tải lên lại.',
  },
  encrypted_pdf: {
    en: 'The PDF is password-protected, so it cannot be read. Remove the password and upload it again.',
    vi: 'Tệp PDF có mật khẩu nên không đọc được. Hãy gỡ mật khẩu rồi tải lên lại.',
  },
  no_text_layer: {
    en: 'The PDF has no text layer (it looks like a scan of paper pages), and text recognition (OCR) found no readable text on its pages. Scan the pages again, straight and at 300 dpi, or upload the original document.',
    vi: 'Tệp PDF không có lớp chữ (có vẻ là bản quét), và nhận dạng chữ (OCR) không tìm thấy chữ nào đọc được trên các trang. Hãy quét lại cho thẳng, ở 300 dpi, hoặc tải lên tệp gốc.',
  },
  no_text_found: {
    en: 'No readable text was found in the image. Upload a photo or scan of a page with printed text, straight, sharp and at 300 dpi.',
    vi: 'Không tìm thấy chữ nào đọc được trong ảnh. Hãy tải lên ảnh chụp hoặc bản quét một trang có chữ in, chụp thẳng, rõ nét, ở 300 dpi.',
  },
  corrupt_file: {
    en: 'The file is damaged or incomplete and cannot be read.',
    vi: 'Tệp bị hỏng hoặc chưa tải về đầy đủ nên không đọc được. Hãy lấy lại tệp gốc rồi tải lên lại.',
  },
  empty_file: {
    en: 'The file is empty: there is no text to read.',
    vi: 'Tệp trống, không có chữ nào để đọc.',
  },
  too_many_combining_marks: {
    en: 'The file has a letter carrying dozens of stacked accent marks, which no real text needs; it looks damaged or made to slow the server down. Fix that text and upload it again.',
    vi: 'Tệp có một chữ mang hàng chục dấu chồng lên nhau, điều mà văn bản thật không bao giờ cần; tệp có vẻ bị hỏng hoặc được tạo ra để làm chậm máy chủ. Hãy sửa đoạn đó rồi tải lên lại.',
  },
};

/**
 * Builds an `IngestError` for `code`, with the default wording unless a specific
 * English/Vietnamese pair is given. `cause` keeps the underlying exception for logs.
 */
export function ingestError(code: IngestErrorCode, specific?: { en: string; vi: string }, cause?: unknown): IngestError {
  const text = specific ?? defaultMessages[code];
  const error = new IngestError(code, text.en, text.vi);
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, enumerable: false });
  return error;
}

/** Formats a byte count the way a teacher reads it: "12.5 MB", or "12,5 MB" in Vietnamese. */
export function formatBytes(bytes: number, lang: 'en' | 'vi' = 'en'): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'byte'];
  const text = value.toFixed(unit === 'byte' ? 0 : 1).replace(/\.0$/, '');
  return `${lang === 'vi' ? text.replace('.', ',') : text} ${unit === 'byte' && lang === 'en' ? 'bytes' : unit}`;
}

/** `too_large` for a file of `size` bytes over `limit`, with both sizes in the reason. */
export function fileTooLarge(size: number, limit: number): IngestError {
  return ingestError('too_large', {
    en: `The file is ${formatBytes(size)}; the limit is ${formatBytes(limit)}. Split it into smaller files and upload them one by one.`,
    vi: `Tệp nặng ${formatBytes(size, 'vi')}, vượt quá giới hạn ${formatBytes(limit, 'vi')}. Hãy chia thành các tệp nhỏ hơn rồi tải lên từng tệp.`,
  });
}
