import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { formatBytes } from '../ingest/index.js';
import { PackageError } from './package-error.js';
import { defaultPackageLimits, type PackageLimits } from './package-limits.js';

/** One file of a package, inflated and checked. */
export interface ZipFileEntry {
  /** Its path inside the package, `/`-separated, NFC. */
  name: string;
  bytes: Buffer;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const madeByUnix = 3;

const shown = (name: string) => JSON.stringify(name.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 120));

function unsafePath(name: string, why: { en: string; vi: string }): PackageError {
  return new PackageError(
    'unsafe_path',
    `the package holds an entry with an unsafe path (${why.en}): ${shown(name)}; nothing was imported`,
    `Gói có mục với đường dẫn không an toàn (${why.vi}): ${shown(name)}; không có gì được nhập.`,
    { entry: name },
  );
}

/** yauzl's own refusals of a name, said plainly. */
function nameError(message: string): PackageError | undefined {
  const name = message.replace(/^[^:]*: /, '');
  if (message.startsWith('invalid characters in fileName')) return unsafePath(name, { en: 'a backslash', vi: 'có dấu gạch ngược \\' });
  if (message.startsWith('absolute path')) return unsafePath(name, { en: 'an absolute path', vi: 'đường dẫn tuyệt đối' });
  if (message.startsWith('invalid relative path'))
    return unsafePath(name, { en: '"../" leads out of the package', vi: '"../" trỏ ra ngoài gói' });
  return undefined;
}

function damaged(bytes: Uint8Array, detail: string): PackageError {
  const looksLikeZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5 || bytes[2] === 7);
  if (/end of central directory record signature not found/i.test(detail) && !looksLikeZip) {
    return new PackageError(
      'not_a_zip',
      'this file is not a zip package: export a collection from trogiang, or a course from Moodle as an IMS Common Cartridge (.imscc)',
      'Tệp này không phải gói zip: hãy xuất bộ tài liệu từ trogiang, hoặc xuất khoá học từ Moodle dưới dạng IMS Common Cartridge (.imscc).',
    );
  }
  return new PackageError(
    'truncated_zip',
    'the zip package is damaged or cut short (an interrupted download?): download or export it again; nothing was imported',
    'Gói zip bị hỏng hoặc bị cắt cụt (tải xuống bị gián đoạn?): hãy tải hoặc xuất lại; không có gì được nhập.',
  );
}

function bomb(name: string, en: string, vi: string, details: Record<string, unknown>): PackageError {
  return new PackageError(
    'zip_bomb',
    `the entry ${shown(name)} ${en}: a zip bomb is refused; nothing was imported`,
    `Mục ${shown(name)} ${vi}: gói kiểu "bom zip" bị từ chối; không có gì được nhập.`,
    { entry: name, ...details },
  );
}

/** Reads one entry's bytes, stopping as soon as it inflates past what it declared or the limit. */
async function inflate(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string, limit: number): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const part of stream as AsyncIterable<Buffer>) {
      total += part.length;
      if (total > limit || total > entry.uncompressedSize) {
        stream.destroy();
        throw bomb(
          name,
          `inflates to more than it declares (${entry.uncompressedSize} bytes)`,
          `giải nén ra nhiều hơn kích thước khai báo (${entry.uncompressedSize} byte)`,
          { declared: entry.uncompressedSize },
        );
      }
      parts.push(part);
    }
  } catch (error) {
    if (error instanceof PackageError) throw error;
    // yauzl's size check ("too many bytes in the stream") or a broken deflate stream.
    if (/too many bytes/.test((error as Error).message)) {
      throw bomb(name, 'inflates to more than it declares', 'giải nén ra nhiều hơn kích thước khai báo', {
        declared: entry.uncompressedSize,
      });
    }
    throw new PackageError(
      'truncated_zip',
      `the entry ${shown(name)} is damaged and cannot be read; nothing was imported`,
      `Mục ${shown(name)} bị hỏng, không đọc được; không có gì được nhập.`,
      { entry: name },
    );
  }
  const bytes = Buffer.concat(parts, total);
  if (total !== entry.uncompressedSize || crc32(bytes) >>> 0 !== entry.crc32 >>> 0) {
    throw new PackageError(
      'checksum_mismatch',
      `the entry ${shown(name)} does not match its zip checksum (damaged); nothing was imported`,
      `Mục ${shown(name)} không khớp mã kiểm tra của zip (bị hỏng); không có gì được nhập.`,
      { entry: name },
    );
  }
  return bytes;
}

/**
 * Reads a zip held in memory, entry by entry, refusing it whole at the first problem: too many
 * entries (counted from the central directory before any is read), unsafe names (`../`, absolute,
 * backslashes, control characters), symbolic links, encrypted or unknown-compression entries,
 * duplicate names, declared sizes or ratios over `limits` (checked before inflating), and entries
 * that inflate past what they declared or do not match their CRC-32. Folder entries are skipped.
 *
 * @example const files = await readZip(bytes); // [{ name: 'manifest.json', bytes }, …]
 */
export async function readZip(bytes: Uint8Array, limits: PackageLimits = defaultPackageLimits): Promise<ZipFileEntry[]> {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { strictFileNames: true, validateEntrySizes: true, decodeStrings: true, autoClose: false });
  } catch (error) {
    throw damaged(buffer, (error as Error).message);
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new PackageError(
        'too_many_entries',
        `the package holds ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted; nothing was imported`,
        `Gói có ${zip.entryCount} mục; tối đa ${limits.maxEntries} mục; không có gì được nhập.`,
        { entries: zip.entryCount, limit: limits.maxEntries },
      );
    }
    const files: ZipFileEntry[] = [];
    const seen = new Set<string>();
    let declaredTotal = 0;
    const entries = zip.eachEntry();
    for (;;) {
      let next: IteratorResult<yauzl.Entry>;
      try {
        next = await entries.next();
      } catch (error) {
        throw nameError((error as Error).message) ?? damaged(buffer, (error as Error).message);
      }
      if (next.done) break;
      const entry = next.value;
      const name = entry.fileName.normalize('NFC');
      if (/[\u0000-\u001f\u007f]/.test(name))
        throw unsafePath(name, { en: 'control characters in the name', vi: 'tên có ký tự điều khiển' });
      if (seen.has(name)) {
        throw new PackageError(
          'duplicate_name',
          `the package holds two entries named ${shown(name)}; nothing was imported`,
          `Gói có hai mục cùng tên ${shown(name)}; không có gì được nhập.`,
          { entry: name },
        );
      }
      seen.add(name);
      if (entry.versionMadeBy >> 8 === madeByUnix && ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
        throw new PackageError(
          'symlink_entry',
          `the entry ${shown(name)} is a symbolic link; packages may hold files only; nothing was imported`,
          `Mục ${shown(name)} là liên kết tượng trưng (symlink); gói chỉ được chứa tệp; không có gì được nhập.`,
          { entry: name },
        );
      }
      if (entry.isEncrypted()) {
        throw new PackageError(
          'encrypted_entry',
          `the entry ${shown(name)} is encrypted (password-protected); export the package without a password; nothing was imported`,
          `Mục ${shown(name)} bị mã hoá (có mật khẩu); hãy xuất gói không đặt mật khẩu; không có gì được nhập.`,
          { entry: name },
        );
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw new PackageError(
          'unsupported_compression',
          `the entry ${shown(name)} uses compression method ${entry.compressionMethod}; only stored and deflated entries are read; nothing was imported`,
          `Mục ${shown(name)} dùng kiểu nén ${entry.compressionMethod}; chỉ đọc được mục không nén hoặc nén deflate; không có gì được nhập.`,
          { entry: name },
        );
      }
      if (name.endsWith('/')) continue;
      const declared = entry.uncompressedSize;
      if (declared >= limits.ratioFloorBytes && declared / Math.max(1, entry.compressedSize) > limits.maxRatio) {
        throw bomb(
          name,
          `declares ${declared} bytes packed into ${entry.compressedSize} (over ${limits.maxRatio} times)`,
          `khai báo ${declared} byte nén trong ${entry.compressedSize} byte (hơn ${limits.maxRatio} lần)`,
          { declared, compressed: entry.compressedSize },
        );
      }
      declaredTotal += declared;
      if (declared > limits.maxEntryBytes || declaredTotal > limits.maxTotalBytes) {
        const over = declared > limits.maxEntryBytes;
        throw new PackageError(
          'too_large',
          over
            ? `the entry ${shown(name)} is ${formatBytes(declared)}; one file may be at most ${formatBytes(limits.maxEntryBytes)}; nothing was imported`
            : `the package inflates to more than ${formatBytes(limits.maxTotalBytes)}; split it; nothing was imported`,
          over
            ? `Mục ${shown(name)} nặng ${formatBytes(declared, 'vi')}; mỗi tệp tối đa ${formatBytes(limits.maxEntryBytes, 'vi')}; không có gì được nhập.`
            : `Gói giải nén ra hơn ${formatBytes(limits.maxTotalBytes, 'vi')}; hãy tách nhỏ; không có gì được nhập.`,
          { entry: name, declared },
        );
      }
      files.push({ name, bytes: await inflate(zip, entry, name, limits.maxEntryBytes) });
    }
    return files;
  } finally {
    zip.close();
  }
}
