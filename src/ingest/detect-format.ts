import { decodeText, guessEncoding } from './decode-text.js';
import { ingestError } from './errors.js';
import { extensionOf } from './normalize-text.js';
import type { DocumentFormat } from './types.js';

/** A format decision, with the decoded text for text formats so it is not decoded twice. */
export type SniffResult = { format: 'pdf' | 'docx' | 'image' } | { format: 'markdown' | 'html' | 'text'; text: string };

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

function startsWith(bytes: Uint8Array, magic: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + magic.length) return false;
  return magic.every((b, i) => bytes[offset + i] === b);
}

/** Index of `needle` in `bytes[from, to)`, or -1. Plain loop: inputs here are small windows. */
function indexOf(bytes: Uint8Array, needle: readonly number[], from = 0, to = bytes.length): number {
  const end = Math.min(to, bytes.length) - needle.length;
  outer: for (let i = from; i <= end; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const PDF_MAGIC = ascii('%PDF-');
const PDF_EOF = ascii('%%EOF');
const ZIP_MAGICS = [ascii('PK\x03\x04'), ascii('PK\x05\x06'), ascii('PK\x07\x08')];
const DOCX_PART = ascii('word/document.xml');

/** Binary types people upload by mistake, each with a plain name for the message. */
const binaryMagics: ReadonlyArray<{ magic: number[]; offset?: number; en: string; vi: string }> = [
  { magic: ascii('GIF87a'), en: 'an image (GIF)', vi: 'một ảnh (GIF)' },
  { magic: ascii('GIF89a'), en: 'an image (GIF)', vi: 'một ảnh (GIF)' },
  { magic: ascii('WEBP'), offset: 8, en: 'an image (WebP)', vi: 'một ảnh (WebP)' },
  { magic: [0x49, 0x49, 0x2a, 0x00], en: 'an image (TIFF)', vi: 'một ảnh (TIFF)' },
  { magic: [0x4d, 0x4d, 0x00, 0x2a], en: 'an image (TIFF)', vi: 'một ảnh (TIFF)' },
  { magic: [0x1f, 0x8b], en: 'a compressed archive (gzip)', vi: 'một tệp nén (gzip)' },
  { magic: ascii('Rar!\x1a\x07'), en: 'a compressed archive (RAR)', vi: 'một tệp nén (RAR)' },
  { magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], en: 'a compressed archive (7z)', vi: 'một tệp nén (7z)' },
  { magic: [0x7f, 0x45, 0x4c, 0x46], en: 'a program (ELF)', vi: 'một chương trình (ELF)' },
  { magic: ascii('ftyp'), offset: 4, en: 'a video or audio file (MP4)', vi: 'một tệp video hoặc âm thanh (MP4)' },
];

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const RTF_MAGIC = ascii('{\\rtf');

function unsupported(en: string, vi: string) {
  return ingestError('unsupported_format', { en, vi });
}

const supportedListEn = 'Upload a PDF, Word (.docx), Markdown, HTML or plain-text file, or a PNG or JPEG scan of a page.';
const supportedListVi = 'Hãy tải lên tệp PDF, Word (.docx), Markdown, HTML, văn bản thường (.txt), hoặc ảnh quét một trang (PNG, JPEG).';

/** PNG and JPEG: a photo or scan of a page, read by OCR (src/ocr). */
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/**
 * A "%PDF-" header. PDF readers accept it anywhere in the first KB (some generators prepend junk),
 * but a text file may quote "%PDF-" too, so a late header also needs a .pdf name or a %%EOF trailer.
 */
function looksLikePdf(bytes: Uint8Array, ext: string): boolean {
  const at = indexOf(bytes, PDF_MAGIC, 0, 1024 + PDF_MAGIC.length);
  if (at === 0) return true;
  if (at < 0) return false;
  return ext === '.pdf' || indexOf(bytes, PDF_EOF, Math.max(0, bytes.length - 2048)) >= 0;
}

// First tag of an HTML page or fragment, after optional comments.
const htmlStart =
  /^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|link|h[1-6]|p|div|table|ul|ol|article|section|main|header|nav)[\s>/]/i;
const xhtmlStart = /^<\?xml[^>]*\?>\s*(?:<!doctype\s+html|<html)/i;

/** Whether the start of decoded text is HTML (looks at the first KB only). */
function sniffHtml(text: string): boolean {
  const head = text.slice(0, 1024).replace(/^[\uFEFF\s]+/, '');
  return htmlStart.test(head) || xhtmlStart.test(head);
}

/**
 * Decides the format from the bytes first and the file name second, and decodes text formats.
 * Throws `unsupported_format` for binaries we do not read and `corrupt_file` for text that is
 * not valid UTF-8/UTF-16.
 */
export function sniffDocument(bytes: Uint8Array, fileName: string): SniffResult {
  const ext = extensionOf(fileName);

  if (looksLikePdf(bytes, ext)) return { format: 'pdf' };
  // By the bytes, whatever the name: a page photo saved as "scan.pdf" is still read.
  if (startsWith(bytes, PNG_MAGIC) || startsWith(bytes, JPEG_MAGIC)) return { format: 'image' };

  if (ZIP_MAGICS.some((m) => startsWith(bytes, m))) {
    // Part names are stored uncompressed in zip headers, so a byte search finds them.
    if (indexOf(bytes, DOCX_PART) >= 0 || ext === '.docx') return { format: 'docx' };
    return unsupportedZip(ext);
  }
  if (startsWith(bytes, OLE2_MAGIC)) {
    throw unsupported(
      `This is an old Office file (${ext || '.doc/.xls/.ppt'}), which is not supported. Open it in Word and save it as .docx, or export it as PDF.`,
      `Đây là tệp Office kiểu cũ (${ext || '.doc/.xls/.ppt'}), chưa được hỗ trợ. Hãy mở bằng Word rồi lưu lại dạng .docx, hoặc xuất ra PDF.`,
    );
  }
  if (startsWith(bytes, RTF_MAGIC)) {
    throw unsupported(
      'This is an RTF file, which is not supported. Open it in Word and save it as .docx.',
      'Đây là tệp RTF, chưa được hỗ trợ. Hãy mở bằng Word rồi lưu lại dạng .docx.',
    );
  }
  for (const { magic, offset, en, vi } of binaryMagics) {
    if (startsWith(bytes, magic, offset ?? 0)) {
      throw unsupported(
        `This file is ${en}, not a document with text${ext ? ` (even though its name ends in ${ext})` : ''}. ${supportedListEn}`,
        `Tệp này là ${vi}, không phải tài liệu chữ${ext ? ` (dù tên tệp có đuôi ${ext})` : ''}. ${supportedListVi}`,
      );
    }
  }

  const encoding = guessEncoding(bytes);
  // Checked before the NUL test below, which would otherwise call it "a binary file": the reason
  // the user can act on is the encoding.
  if (encoding === 'utf-8' && looksLikeUtf16WithoutBom(bytes)) {
    throw unsupported(
      'The text looks like UTF-16 saved without a byte-order mark, so its byte order cannot be known for sure. Save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8) and upload it again.',
      'Tệp văn bản có vẻ dùng bảng mã UTF-16 nhưng thiếu dấu nhận dạng (BOM) nên không đọc chắc chắn được. Hãy lưu lại với bảng mã UTF-8 (trong Notepad: Save as → Encoding: UTF-8) rồi tải lên lại.',
    );
  }
  // NUL never appears in UTF-8 text; it marks a binary (Windows programs "MZ", databases, ...).
  if (!encoding.startsWith('utf-16') && bytes.subarray(0, 64 * 1024).includes(0)) {
    throw unsupported(
      `This is a binary file, not a document with text. ${supportedListEn}`,
      `Đây là tệp nhị phân, không phải tài liệu chữ. ${supportedListVi}`,
    );
  }
  const text = decodeText(bytes);
  if (text.includes('\u0000')) {
    throw unsupported(
      `This is a binary file, not a document with text. ${supportedListEn}`,
      `Đây là tệp nhị phân, không phải tài liệu chữ. ${supportedListVi}`,
    );
  }

  // Markdown may legitimately start with an HTML tag; trust its extension over the sniff.
  if (ext === '.md' || ext === '.markdown') return { format: 'markdown', text };
  if (sniffHtml(text)) return { format: 'html', text };
  if (ext === '.html' || ext === '.htm' || ext === '.xhtml') return { format: 'html', text };
  if (ext === '.txt' || ext === '.text' || ext === '') return { format: 'text', text };

  if (ext === '.pdf' || ext === '.docx') {
    throw unsupported(
      `The file is named ${ext} but its content is plain text, not a real ${ext} document. ${supportedListEn}`,
      `Tệp có đuôi ${ext} nhưng bên trong không phải tài liệu ${ext} thật. ${supportedListVi}`,
    );
  }
  throw unsupported(
    `Files ending in ${ext} are not supported. ${supportedListEn}`,
    `Tệp có đuôi ${ext} chưa được hỗ trợ. ${supportedListVi}`,
  );
}

/**
 * UTF-16 text without a BOM: in the first 4 KB, at least a third of the bytes on one parity are
 * NUL (the high byte of ASCII letters, digits and spaces) and almost none on the other.
 */
function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return false;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const half = n / 2;
  return (oddZeros >= half / 3 && evenZeros <= half / 50) || (evenZeros >= half / 3 && oddZeros <= half / 50);
}

function unsupportedZip(ext: string): never {
  const office = ['.xlsx', '.pptx', '.odt', '.ods', '.odp', '.epub'].includes(ext);
  if (office) {
    throw unsupported(
      `${ext} files are not supported. Export the content as PDF or save it as .docx.`,
      `Tệp ${ext} chưa được hỗ trợ. Hãy xuất nội dung ra PDF hoặc lưu lại dạng .docx.`,
    );
  }
  throw unsupported(
    `This is a compressed archive (zip), not a document. Extract it and upload the documents inside. ${supportedListEn}`,
    `Đây là tệp nén (zip), không phải tài liệu. Hãy giải nén rồi tải lên từng tài liệu bên trong. ${supportedListVi}`,
  );
}

/**
 * The format of a file, decided from its bytes first and its name second.
 * Throws `IngestError` (`unsupported_format` or `corrupt_file`) when the file cannot be read.
 */
export function detectFormat(bytes: Uint8Array, fileName: string): DocumentFormat {
  return sniffDocument(bytes, fileName).format;
}
