import { inflateRawSync } from 'node:zlib';
import { formatBytes, ingestError } from './errors.js';

/**
 * Most document data (XML and relationship parts) a .docx may unpack to: 16 MiB, about a
 * 600-page book. mammoth holds the whole XML as a DOM, at roughly 70–250 bytes of memory per
 * byte of XML, so this bounds one upload to a few GB at worst instead of "whatever the zip says".
 */
export const maxDocxXmlBytes = 16 * 1024 * 1024;

/**
 * Highest compression ratio accepted for a part over `ratioGraceBytes`. Real Word XML compresses
 * 5–20 to 1 and a document of the same few sentences repeated 10,000 times about 130 to 1; zip
 * bombs sit at 300–1032 (deflate's maximum). Apache POI refuses above 100 by default; 200 leaves
 * room for very repetitive forms and tables.
 */
export const maxInflateRatio = 200;
const ratioGraceBytes = 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const notDocx = {
  en: 'The Word file is damaged or is not a real .docx document, so it cannot be read. Open it in Word, save it again as .docx, and upload it.',
  vi: 'Tệp Word bị hỏng hoặc không phải tệp .docx thật nên không đọc được. Hãy mở bằng Word, lưu lại dạng .docx rồi tải lên lại.',
};

const tampered = {
  en: 'The Word file is damaged: the sizes recorded inside it do not match its content (a damaged download or a deliberately crafted file). Open it in Word, save it again as .docx, and upload it.',
  vi: 'Tệp Word bị hỏng: kích thước ghi bên trong tệp không khớp với nội dung (tải về bị lỗi hoặc tệp bị làm giả). Hãy mở bằng Word, lưu lại dạng .docx rồi tải lên lại.',
};

/** Reads the central directory; undefined when there is none (truncated or not a zip). */
function readEntries(bytes: Buffer): ZipEntry[] | undefined {
  // The end-of-central-directory record is in the last 22 + 65,535 (comment) bytes.
  const from = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= from; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return undefined;
  const directorySize = bytes.readUInt32LE(end + 12);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (directoryOffset + directorySize > end) return undefined;
  const entries: ZipEntry[] = [];
  // Walk records by signature rather than trusting the entry count (ZIP64 sets it to 0xFFFF).
  for (let at = directoryOffset; at + 46 <= end && bytes.readUInt32LE(at) === 0x02014b50; ) {
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    entries.push({
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      localOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** What a zip without Word parts is, in the user's words. */
function describeOtherZip(names: readonly string[]): { en: string; vi: string } {
  if (names.some((n) => n.startsWith('xl/'))) return { en: 'an Excel workbook', vi: 'một bảng tính Excel' };
  if (names.some((n) => n.startsWith('ppt/'))) return { en: 'a PowerPoint presentation', vi: 'một bài trình chiếu PowerPoint' };
  if (names.includes('mimetype')) return { en: 'an OpenDocument or EPUB file', vi: 'một tệp OpenDocument hoặc EPUB' };
  return { en: 'a zip archive of other files', vi: 'một tệp nén chứa các tệp khác' };
}

function tooMuch(size: number, why: 'size' | 'ratio') {
  const limitEn = formatBytes(maxDocxXmlBytes);
  const limitVi = formatBytes(maxDocxXmlBytes, 'vi');
  return ingestError(
    'too_large',
    why === 'size'
      ? {
          en: `The Word file unpacks to ${formatBytes(size)} of document data; at most ${limitEn} is accepted. Split it into smaller documents and upload them one by one.`,
          vi: `Tệp Word khi giải nén ra tới ${formatBytes(size, 'vi')} dữ liệu, vượt quá giới hạn ${limitVi}. Hãy tách thành các tài liệu nhỏ hơn rồi tải lên từng tệp.`,
        }
      : {
          en: `The Word file is compressed more than ${maxInflateRatio} to 1, the way a "zip bomb" is built to exhaust memory; it was not opened. Open it in Word, save it again as .docx, and upload it.`,
          vi: `Tệp Word bị nén hơn ${maxInflateRatio} lần, giống kiểu "bom nén" làm cạn bộ nhớ máy chủ, nên không được mở. Hãy mở bằng Word, lưu lại dạng .docx rồi tải lên lại.`,
        },
  );
}

/** Parts mammoth may parse: XML and relationships. Media is never unpacked (images are dropped). */
const isParsedPart = (name: string): boolean => /\.(xml|rels)$/i.test(name);

/**
 * Checks a .docx package before mammoth unpacks it, because mammoth (via JSZip) inflates parts
 * whole, trusting nothing and limiting nothing: a 1 MB "zip bomb" would become gigabytes.
 *
 * - no central directory → `corrupt_file` (truncated);
 * - no `word/` parts → `unsupported_format`, naming what the zip is (Excel, PowerPoint, …);
 * - declared size of the parsed parts over `maxDocxXmlBytes`, or a part compressed more than
 *   `maxInflateRatio`:1 → `too_large`, before anything is inflated;
 * - each parsed part is then actually inflated with the output capped at its declared size, so a
 *   file whose headers understate the content is `corrupt_file` after at most that many bytes.
 */
export function checkDocxPackage(bytes: Uint8Array): void {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = readEntries(buffer);
  if (!entries || entries.length === 0) throw ingestError('corrupt_file', notDocx);
  if (!entries.some((e) => e.name.startsWith('word/'))) {
    const what = describeOtherZip(entries.map((e) => e.name));
    throw ingestError('unsupported_format', {
      en: `The file is named .docx but it is ${what.en}, not a Word document. Upload a PDF, Word (.docx), Markdown, HTML or plain-text file.`,
      vi: `Tệp có đuôi .docx nhưng thực ra là ${what.vi}, không phải tài liệu Word. Hãy tải lên tệp PDF, Word (.docx), Markdown, HTML hoặc văn bản thường (.txt).`,
    });
  }
  const parsed = entries.filter((e) => isParsedPart(e.name));
  // Encrypted zip entries are never written by Word.
  if (parsed.some((e) => e.flags & 1)) throw ingestError('corrupt_file', notDocx);
  const declared = parsed.reduce((sum, e) => sum + e.size, 0);
  if (declared > maxDocxXmlBytes) throw tooMuch(declared, 'size');
  for (const e of parsed) {
    if (e.size > ratioGraceBytes && e.size > e.compressedSize * maxInflateRatio) throw tooMuch(e.size, 'ratio');
  }
  for (const e of parsed) {
    if (e.localOffset + 30 > buffer.length || buffer.readUInt32LE(e.localOffset) !== 0x04034b50) throw ingestError('corrupt_file', notDocx);
    const start = e.localOffset + 30 + buffer.readUInt16LE(e.localOffset + 26) + buffer.readUInt16LE(e.localOffset + 28);
    const data = buffer.subarray(start, start + e.compressedSize);
    if (data.length !== e.compressedSize) throw ingestError('corrupt_file', notDocx);
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw ingestError('corrupt_file', tampered);
    } else if (e.method === 8) {
      let actual: number;
      try {
        // One byte over the declared size is enough to know it lies; never more.
        actual = inflateRawSync(data, { maxOutputLength: e.size + 1 }).length;
      } catch (error) {
        throw ingestError('corrupt_file', (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? tampered : notDocx, error);
      }
      if (actual !== e.size) throw ingestError('corrupt_file', tampered);
    } else {
      throw ingestError('corrupt_file', notDocx);
    }
  }
}
