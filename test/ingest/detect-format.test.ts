import { describe, expect, it } from 'vitest';
import { detectFormat, IngestError } from '../../src/ingest/index.js';
import {
  makeCorruptDocx,
  makeDocx,
  makeInvalidUtf8Text,
  makePng,
  makeUtf16BeText,
  makeUtf16LeText,
  makeVietnamesePdf,
} from '../support/make-fixtures.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The IngestError code thrown by `fn`, or 'no error'. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).messageVi).not.toBe('');
    return (error as IngestError).code;
  }
}

describe('detectFormat', () => {
  it('detects a PDF by its bytes even with a .txt name', async () => {
    expect(detectFormat(await makeVietnamesePdf(), 'bai-hoc.txt')).toBe('pdf');
  });

  it('detects a PDF whose header follows a few junk bytes', async () => {
    const pdf = await makeVietnamesePdf();
    const junk = new Uint8Array([0x0d, 0x0a, 0x20, 0x00, 0x00]);
    expect(detectFormat(new Uint8Array([...junk, ...pdf]), 'scan.pdf')).toBe('pdf');
  });

  it('does not take a text file that quotes "%PDF-" for a PDF', () => {
    expect(detectFormat(utf8('Mọi tệp PDF đều bắt đầu bằng %PDF-1.7 ở đầu tệp.'), 'ghi-chu.txt')).toBe('text');
  });

  it('detects a DOCX by the word/document.xml part, whatever the name', async () => {
    expect(detectFormat(await makeDocx(), 'tai-lieu.bin')).toBe('docx');
  });

  it('hands a truncated zip named .docx to the DOCX loader', async () => {
    expect(detectFormat(await makeCorruptDocx(), 'hong.docx')).toBe('docx');
  });

  it('rejects a zip that is not a Word document as unsupported_format', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...utf8('\x14\x00\x00\x00mimetypeapplication/epub+zip')]);
    expect(codeOf(() => detectFormat(zip, 'sach.epub'))).toBe('unsupported_format');
    expect(codeOf(() => detectFormat(zip, 'anh.zip'))).toBe('unsupported_format');
  });

  it('takes a PNG or a JPEG as an image of a page (read by OCR), by its bytes whatever its name', () => {
    expect(detectFormat(makePng(), 'bai-hoc.pdf')).toBe('image');
    expect(detectFormat(makePng(), 'trang-1.png')).toBe('image');
    expect(detectFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), 'a.jpg')).toBe('image');
    expect(detectFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10]), 'scan')).toBe('image');
  });

  it('rejects other binaries (GIF, TIFF, gzip, ELF, Windows programs, old .doc) as unsupported_format', () => {
    const binaries: Array<[string, number[]]> = [
      ['a.gif', [...utf8('GIF89a'), 0x01, 0x00]],
      ['a.tif', [0x49, 0x49, 0x2a, 0x00, 0x08, 0x00]],
      ['a.txt', [0x1f, 0x8b, 0x08, 0x00]],
      ['a.md', [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]],
      ['setup.txt', [0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]],
      ['bai.doc', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0x00]],
    ];
    for (const [name, bytes] of binaries) {
      expect(
        codeOf(() => detectFormat(new Uint8Array(bytes), name)),
        name,
      ).toBe('unsupported_format');
    }
  });

  it('sniffs HTML from the first tag, after a BOM and whitespace', () => {
    expect(detectFormat(utf8('\uFEFF\n  <!DOCTYPE html><html><body>x</body></html>'), 'trang')).toBe('html');
    expect(detectFormat(utf8('<h1>Bài 1</h1><p>Nội dung</p>'), 'bai1.txt')).toBe('html');
    expect(detectFormat(utf8('<!-- xuất từ Word --><html><p>x</p></html>'), 'x')).toBe('html');
  });

  it('falls back to the extension for plain text', () => {
    expect(detectFormat(utf8('# Tiêu đề\n\nĐoạn văn.'), 'on-tap.md')).toBe('markdown');
    expect(detectFormat(utf8('Tiêu đề\n=======\n'), 'on-tap.markdown')).toBe('markdown');
    expect(detectFormat(utf8('Đoạn văn.'), 'ghi-chu.txt')).toBe('text');
    expect(detectFormat(utf8('Đoạn văn.'), 'GHI-CHU')).toBe('text');
    expect(detectFormat(utf8('Đoạn văn <b>đậm</b>.'), 'trang.HTM')).toBe('html');
  });

  it('keeps a Markdown file that starts with an HTML tag as markdown', () => {
    expect(detectFormat(utf8('<div align="center">Logo</div>\n\n# Bài học'), 'README.md')).toBe('markdown');
  });

  it('rejects text whose name claims a binary format, and unknown extensions', () => {
    expect(codeOf(() => detectFormat(utf8('chỉ là chữ'), 'gia-mao.pdf'))).toBe('unsupported_format');
    expect(codeOf(() => detectFormat(utf8('{\\rtf1\\ansi Bai hoc}'), 'bai.rtf'))).toBe('unsupported_format');
    expect(codeOf(() => detectFormat(utf8('a,b\n1,2'), 'bang.csv'))).toBe('unsupported_format');
  });

  it('rejects text with a NUL byte as unsupported_format', () => {
    expect(codeOf(() => detectFormat(utf8('abc\u0000def'), 'x.txt'))).toBe('unsupported_format');
  });

  it('rejects invalid UTF-8 as corrupt_file', () => {
    expect(codeOf(() => detectFormat(makeInvalidUtf8Text(), 'cu.txt'))).toBe('corrupt_file');
  });

  it('decodes UTF-16 text with a BOM (both byte orders) instead of rejecting it', () => {
    expect(detectFormat(makeUtf16LeText(), 'ghi-chu.txt')).toBe('text');
    expect(detectFormat(makeUtf16BeText(), 'ghi-chu.txt')).toBe('text');
    expect(detectFormat(makeUtf16LeText('<html><body><p>Xin chào</p></body></html>'), 'trang.txt')).toBe('html');
  });

  it('rejects UTF-16 with an odd byte count as corrupt_file', () => {
    const broken = makeUtf16LeText().slice(0, 9);
    expect(codeOf(() => detectFormat(broken, 'ghi-chu.txt'))).toBe('corrupt_file');
  });
});
