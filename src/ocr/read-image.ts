import { OcrError } from './ocr-errors.js';

/** Limits on an image given to OCR. Defaults in `defaultImageLimits`. */
export interface ImageLimits {
  /** Largest image, in pixels (width × height). */
  maxPixels: number;
}

/**
 * 40 megapixels: an A4 page scanned at 600 dpi (4,961 × 7,016 = 34.8 MP) fits; Tesseract's WASM
 * memory holds several copies of the image (about 5 bytes a pixel each), so much larger pages
 * risk its 2 GB heap on a 2-core, few-GB machine.
 */
export const defaultImageLimits: ImageLimits = { maxPixels: 40_000_000 };

/** A checked image: its format and size, read from its header. */
export interface ImageInfo {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const truncated = () =>
  new OcrError(
    'image_truncated',
    'The image is incomplete (the file was cut off, for example by a broken download). Copy or export it again and upload the new file.',
    'Ảnh bị thiếu dữ liệu (tệp bị cắt ngang, ví dụ do tải về chưa xong). Hãy sao chép hoặc xuất lại ảnh rồi tải lên tệp mới.',
  );

const corrupt = (what: string, whatVi: string) =>
  new OcrError('image_corrupt', `The image is damaged: ${what}.`, `Ảnh bị hỏng: ${whatVi}.`);

/** Whether the bytes start like a PNG or a JPEG (the formats read by OCR). */
export function imageFormatOf(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return undefined;
}

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) + b[at + 1]!;

/** PNG: IHDR gives the size; walking the chunk lengths to IEND finds a file cut short. */
function readPng(bytes: Uint8Array): ImageInfo {
  if (bytes.length < 33) throw truncated();
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
    throw corrupt('the PNG header (IHDR) is missing', 'thiếu phần đầu ảnh PNG (IHDR)');
  const width = u32(bytes, 16);
  const height = u32(bytes, 20);
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) throw truncated();
    const length = u32(bytes, at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    at += 12 + length;
    if (at > bytes.length) throw truncated();
    if (type === 'IEND') break;
  }
  return { format: 'png', width, height };
}

/** JPEG: the frame header (SOFn) gives the size; a file without its end marker (EOI) was cut short. */
function readJpeg(bytes: Uint8Array): ImageInfo {
  let at = 2;
  let size: { width: number; height: number } | undefined;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw corrupt('a JPEG marker is missing', 'thiếu dấu đoạn của ảnh JPEG');
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = u16(bytes, at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (at + 9 > bytes.length) throw truncated();
      size = { height: u16(bytes, at + 5), width: u16(bytes, at + 7) };
    }
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
    at += 2 + length;
  }
  if (!size) throw at + 4 > bytes.length ? truncated() : corrupt('the JPEG has no frame header', 'ảnh JPEG không có phần khung');
  // The end-of-image marker, allowing for padding some cameras and scanners write after it.
  const tail = bytes.subarray(Math.max(0, bytes.length - 4096));
  let end = -1;
  for (let i = tail.length - 2; i >= 0; i--) {
    if (tail[i] === 0xff && tail[i + 1] === 0xd9) {
      end = i;
      break;
    }
  }
  if (end < 0) throw truncated();
  return { format: 'jpeg', ...size };
}

/**
 * Checks a PNG or JPEG before OCR: reads its size from the header, refuses one cut short
 * (`image_truncated`), damaged (`image_corrupt`) or over `limits.maxPixels` (`image_too_large`),
 * without decoding the pixels.
 */
export function readImage(bytes: Uint8Array, limits: ImageLimits = defaultImageLimits): ImageInfo {
  const format = imageFormatOf(bytes);
  if (!format) throw corrupt('it is neither a PNG nor a JPEG', 'tệp không phải ảnh PNG hay JPEG');
  const info = format === 'png' ? readPng(bytes) : readJpeg(bytes);
  if (info.width === 0 || info.height === 0) throw corrupt('its width or height is 0', 'chiều rộng hoặc chiều cao bằng 0');
  const pixels = info.width * info.height;
  if (pixels > limits.maxPixels) {
    const mp = (n: number) => (n / 1e6).toFixed(1);
    throw new OcrError(
      'image_too_large',
      `The image is ${info.width} × ${info.height} pixels (${mp(pixels)} megapixels); at most ${mp(limits.maxPixels)} megapixels are read. Scan at 300 dpi, or reduce the image size, and upload it again.`,
      `Ảnh có kích thước ${info.width} × ${info.height} điểm ảnh (${mp(pixels).replace('.', ',')} megapixel), vượt quá giới hạn ${mp(limits.maxPixels).replace('.', ',')} megapixel. Hãy quét ở 300 dpi hoặc giảm kích thước ảnh rồi tải lên lại.`,
    );
  }
  return info;
}
