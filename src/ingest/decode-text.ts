import { ingestError } from './errors.js';

/** Which byte-order mark, if any, starts the bytes. */
export type TextEncodingGuess = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** Reads the byte-order mark; without one, UTF-8 is assumed (the only encoding we accept unmarked). */
export function guessEncoding(bytes: Uint8Array): TextEncodingGuess {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

const notUtf8 = {
  en: 'The text is not valid UTF-8; it may be saved in an old Vietnamese encoding such as TCVN3 or VNI. Save it as UTF-8 (Unicode) and upload it again.',
  vi: 'Tệp văn bản không dùng bảng mã UTF-8 (có thể là bảng mã cũ như TCVN3 hoặc VNI). Hãy lưu lại với bảng mã Unicode (UTF-8) rồi tải lên lại.',
};

const brokenUtf16 = {
  en: 'The UTF-16 text is damaged (an odd number of bytes or a broken character).',
  vi: 'Tệp văn bản dạng UTF-16 bị hỏng nên không đọc được. Hãy lưu lại với bảng mã Unicode (UTF-8) rồi tải lên lại.',
};

/**
 * Decodes text bytes: UTF-8 (with or without BOM) or UTF-16 LE/BE with a BOM.
 * The BOM is removed. Invalid sequences throw `corrupt_file` instead of turning into U+FFFD,
 * so a file in a legacy code page is refused with a clear reason rather than ingested as garbage.
 */
export function decodeText(bytes: Uint8Array): string {
  const encoding = guessEncoding(bytes);
  try {
    switch (encoding) {
      case 'utf-8-bom':
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(3));
      case 'utf-16le':
      case 'utf-16be':
        if ((bytes.length - 2) % 2 !== 0) throw ingestError('corrupt_file', brokenUtf16);
        return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2));
      case 'utf-8':
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'IngestError') throw error;
    throw ingestError('corrupt_file', encoding.startsWith('utf-16') ? brokenUtf16 : notUtf8, error);
  }
}
