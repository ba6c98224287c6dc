/**
 * Real good and bad input files, generated on the fly so the repo carries no binaries.
 *
 * Every maker returns the file's bytes (`Uint8Array`); `writeFixtures(dir)` writes the whole
 * catalog to disk for tests that need paths. `badFileCases()` lists one real file per
 * ingest failure code, with the limits that trigger it, for pipeline and service tests.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { IngestErrorCode, LoadLimits } from '../../src/ingest/types.js';
import { defaultLoadLimits } from '../../src/ingest/types.js';

const require = createRequire(import.meta.url);

/** DejaVu Sans covers every Vietnamese letter; pdfkit's built-in Helvetica does not. */
export const dejaVuSansPath: string = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
export const dejaVuSansBoldPath: string = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** Header line repeated at the top of every page of the sample PDF (should be dropped). */
export const samplePdfRunningHeader = 'Giáo trình Tin học cơ bản - Trung tâm GDTX';

/** Title stored in the sample PDF's metadata. */
export const samplePdfTitle = 'Tin học cơ bản cho người tự học';

/** Known content of the 3-page sample PDF: one heading and some paragraphs per page. */
export const samplePdfPages: ReadonlyArray<{ heading: string; paragraphs: readonly string[] }> = [
  {
    heading: 'Chương 1. Làm quen với máy tính',
    paragraphs: [
      'Máy tính là thiết bị điện tử dùng để xử lý thông tin theo chương trình. Một bộ máy tính gồm phần cứng như màn hình, bàn phím, chuột và phần mềm như hệ điều hành, trình duyệt, trình soạn thảo văn bản.',
      'Khi bật máy, hãy nhấn nút nguồn một lần rồi chờ hệ điều hành khởi động xong. Không tắt máy bằng cách rút điện vì dữ liệu đang mở có thể bị mất.',
    ],
  },
  {
    heading: '1.2 Hệ điều hành',
    paragraphs: [
      'Hệ điều hành quản lý tài nguyên của máy tính, bao gồm bộ nhớ, ổ đĩa và các thiết bị ngoại vi. Người dùng làm việc với hệ điều hành qua cửa sổ, biểu tượng và thanh tác vụ.',
      'Các hệ điều hành phổ biến ở Việt Nam là Windows, Linux và Android trên điện thoại di động.',
    ],
  },
  {
    heading: 'Chương 2. Soạn thảo văn bản',
    paragraphs: [
      'Trình soạn thảo văn bản giúp gõ, sửa và định dạng tài liệu. Để gõ tiếng Việt có dấu, cần cài bộ gõ như Unikey và chọn kiểu gõ Telex hoặc VNI.',
      'Lưu tài liệu thường xuyên bằng tổ hợp phím Ctrl và S để tránh mất bài khi mất điện đột ngột.',
    ],
  },
];

/** Collects a pdfkit document into bytes. `build` draws the content; `end()` is called here. */
function renderPdf(options: PDFKit.PDFDocumentOptions, build: (doc: PDFKit.PDFDocument) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    try {
      build(doc);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

/** Draws one textbook-like page: running header, heading, wrapped paragraphs, "Trang N" footer. */
function drawTextbookPage(doc: PDFKit.PDFDocument, pageNumber: number, heading: string, paragraphs: readonly string[]): void {
  doc.font('DejaVu').fontSize(9).text(samplePdfRunningHeader, 72, 36, { width: 451, align: 'center' });
  doc.font('DejaVu-Bold').fontSize(16).text(heading, 72, 90, { width: 451 });
  doc.moveDown(0.8);
  doc.font('DejaVu').fontSize(11);
  for (const paragraph of paragraphs) {
    doc.text(paragraph, { width: 451, align: 'left' });
    doc.moveDown(1);
  }
  // Footer below the bottom margin: drop the margin first or pdfkit spills onto a new page.
  doc.page.margins.bottom = 0;
  doc.fontSize(9).text(`Trang ${pageNumber}`, 72, 790, { width: 451, align: 'center', lineBreak: false });
}

/** The 3-page Vietnamese sample PDF whose text is `samplePdfPages`. */
export function makeVietnamesePdf(): Promise<Uint8Array> {
  return makeTextbookPdf(samplePdfPages.length);
}

/**
 * A textbook-like PDF of `pageCount` pages (cycling through `samplePdfPages`), with the
 * running header, footers and (unless `withMetadataTitle: false`) metadata title.
 * Used for the too-many-pages case and timing.
 */
export function makeTextbookPdf(
  pageCount: number,
  options: { userPassword?: string; withMetadataTitle?: boolean } = {},
): Promise<Uint8Array> {
  const withTitle = options.withMetadataTitle ?? true;
  return renderPdf(
    {
      size: 'A4',
      autoFirstPage: false,
      info: withTitle ? { Title: samplePdfTitle, Author: 'Trung tâm GDTX' } : { Author: 'Trung tâm GDTX' },
      ...(options.userPassword ? { userPassword: options.userPassword, pdfVersion: '1.7' as const } : {}),
    },
    (doc) => {
      doc.registerFont('DejaVu', dejaVuSansPath);
      doc.registerFont('DejaVu-Bold', dejaVuSansBoldPath);
      for (let i = 0; i < pageCount; i++) {
        const sample = samplePdfPages[i % samplePdfPages.length]!;
        doc.addPage({ size: 'A4', margin: 72 });
        drawTextbookPage(doc, i + 1, sample.heading, sample.paragraphs);
      }
    },
  );
}

/** A 2-page PDF that opens only with the password "matkhau" (AES, PDF 1.7). */
export function makeEncryptedPdf(): Promise<Uint8Array> {
  return makeTextbookPdf(2, { userPassword: 'matkhau' });
}

/** A "scanned" PDF: two pages holding only an image and vector shapes, no text layer. */
export function makeScannedPdf(): Promise<Uint8Array> {
  const png = Buffer.from(makePng(64, 64));
  return renderPdf({ size: 'A4', autoFirstPage: false }, (doc) => {
    for (let i = 0; i < 2; i++) {
      doc.addPage({ size: 'A4', margin: 72 });
      doc.image(png, 72, 72, { width: 400 });
      doc.rect(72, 500, 300, 20).fill('#333333');
      doc.rect(72, 540, 260, 20).fill('#333333');
    }
  });
}

/**
 * `base` (a PDF) grown by `padBytes` of random, incompressible bytes, as a valid incremental
 * update: an unreferenced stream object, its own cross-reference section and a trailer pointing
 * back at the original one. Readers see the same pages; the file is as large as a scanned
 * textbook (for memory and streaming tests of `/docs`).
 */
export function makePaddedPdf(base: Uint8Array, padBytes: number): Uint8Array {
  const text = Buffer.from(base).toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size (\d+)/.exec(trailer)?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)?.[1];
  const info = /\/Info (\d+ \d+ R)/.exec(trailer)?.[1];
  if (!Number.isFinite(prev) || !Number.isFinite(size) || !root) throw new Error('makePaddedPdf: no classic trailer in the base PDF');
  const head = Buffer.from(`\n${size} 0 obj\n<< /Length ${padBytes} >>\nstream\n`, 'latin1');
  const padding = randomBytes(padBytes);
  const objectAt = base.length + 1; // after the leading newline
  const xrefAt = base.length + head.length + padBytes + '\nendstream\nendobj\n'.length;
  const tail = Buffer.from(
    `\nendstream\nendobj\nxref\n0 1\n0000000000 65535 f \n${size} 1\n${String(objectAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root}${info ? ` /Info ${info}` : ''} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`,
    'latin1',
  );
  return new Uint8Array(Buffer.concat([base, head, padding, tail]));
}

/** A PDF with a valid header and garbage after it, as left by a broken download. */
export function makeCorruptPdf(): Uint8Array {
  const header = Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R', 'latin1');
  const garbage = Buffer.alloc(2048);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 73 + 41) % 256;
  return new Uint8Array(Buffer.concat([header, garbage]));
}

/** Headings and text of the sample DOCX. */
export const sampleDocx = {
  title: 'Bài 3. Bảng tính điện tử',
  heading1: 'Phần 1. Nhập dữ liệu',
  heading1Body: 'Mỗi ô của bảng tính được xác định bằng tên cột và số hàng, ví dụ ô B3.',
  heading2: 'Công thức đơn giản',
  heading2Body: 'Công thức luôn bắt đầu bằng dấu bằng, ví dụ =SUM(B2:B10) tính tổng các ô.',
  heading1b: 'Phần 2. Định dạng',
  heading1bBody: 'Chọn ô rồi dùng thanh công cụ để đổi phông chữ, màu nền và đường viền.',
} as const;

/** A valid DOCX with a Title, Heading 1 / Heading 2 paragraphs and body text. */
export async function makeDocx(): Promise<Uint8Array> {
  const d = sampleDocx;
  const document = new Document({
    creator: 'trogiang tests',
    title: d.title,
    sections: [
      {
        children: [
          new Paragraph({ text: d.title, heading: HeadingLevel.TITLE }),
          new Paragraph({ text: d.heading1, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun(d.heading1Body)] }),
          new Paragraph({ text: d.heading2, heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ children: [new TextRun({ text: d.heading2Body, bold: false })] }),
          new Paragraph({ text: d.heading1b, heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: d.heading1bBody }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

/** A DOCX cut off after 60% of its bytes: a zip whose central directory is gone. */
export async function makeCorruptDocx(): Promise<Uint8Array> {
  const whole = await makeDocx();
  return whole.slice(0, Math.floor(whole.length * 0.6));
}

/** CRC-32 as PNG chunks need it (table-driven, IEEE polynomial). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real greyscale PNG of a "page scan" (stripes that look like lines of text). */
export function makePng(width = 32, height = 32): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = y % 8 < 2 ? 40 : 235;
  }
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', header),
      pngChunk('IDAT', deflateSync(raw)),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** A zero-byte file. */
export function makeEmptyFile(): Uint8Array {
  return new Uint8Array(0);
}

/**
 * A lesson in which one letter carries 120,000 combining marks of mixed classes,
 * `'a' + '\u0301\u0323\u0302' × 40,000` (240 KB): Unicode normalisation sorts such a run in
 * quadratic time (5.5 s per NFC before the run was refused at ingest).
 */
export function makeStackedMarksText(): Uint8Array {
  return new TextEncoder().encode(`# Bài học\n\nHọc phí là a${'\u0301\u0323\u0302'.repeat(40_000)} đồng.\n`);
}

/** Text that is not valid UTF-8: Vietnamese saved in a legacy one-byte code page. */
export function makeInvalidUtf8Text(): Uint8Array {
  // "Bài h" + 0xF2 (ò in windows-1258) + "c" – 0xF2 starts a 4-byte UTF-8 sequence that never completes.
  return new Uint8Array(Buffer.from([0x42, 0xe0, 0x69, 0x20, 0x68, 0xf2, 0x63, 0x0a, 0x54, 0x6f, 0xe1, 0x6e]));
}

/** Known content of the UTF-16 text fixtures. */
export const sampleUtf16Text = 'Ghi chú ôn tập\n\nPhép cộng phân số: quy đồng mẫu số rồi cộng các tử số.\n\nVí dụ: 1/2 + 1/3 = 5/6.';

/** `text` as UTF-16LE with the FF FE byte-order mark, as Windows Notepad saves "Unicode". */
export function makeUtf16LeText(text: string = sampleUtf16Text): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
}

/** `text` as UTF-16BE with the FE FF byte-order mark. */
export function makeUtf16BeText(text: string = sampleUtf16Text): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
}

/** Marker strings that must never reach the extracted text of `hostileHtml`. */
export const hostileHtmlForbidden = [
  'alert(',
  'stealCookies',
  'color: red',
  'evil.example',
  'onerror',
  'noscript-text',
  'template-text',
  'svg-text',
] as const;

/** An HTML lesson laced with scripts, styles, iframes and event handlers. */
export const hostileHtml = `<!DOCTYPE html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <title>Bài 5: Phân số &amp; số thập phân</title>
  <style>body { color: red; }</style>
  <script>alert("xss"); stealCookies();</script>
</head>
<body onload="stealCookies()">
  <h1>Phân số</h1>
  <p>Phân số có dạng a/b với b&nbsp;khác 0. <img src="x" onerror="alert(1)">Ví dụ: &frac12; là một nửa.</p>
  <script type="module">stealCookies()</script>
  <iframe src="https://evil.example/frame">iframe fallback evil.example</iframe>
  <noscript>noscript-text</noscript>
  <template><p>template-text</p></template>
  <svg><text>svg-text</text></svg>
  <h2>Quy đồng mẫu số</h2>
  <ul><li>Tìm mẫu số chung.</li><li>Nhân tử và mẫu với cùng một số.</li></ul>
  <table><tr><th>Phân số</th><th>Thập phân</th></tr><tr><td>1/4</td><td>0,25</td></tr></table>
  <div>Ghi nhớ: <a href="javascript:stealCookies()">đọc thêm</a></div>
</body>
</html>`;

/** `hostileHtml` as UTF-8 bytes. */
export function makeHostileHtml(): Uint8Array {
  return new TextEncoder().encode(hostileHtml);
}

/** A small Markdown lesson with front matter, setext heading, lists, code and raw HTML. */
export const sampleMarkdown = `---
title: Ôn tập Toán lớp 9
tags: [toan, on-tap]
---

Hàm số bậc nhất
===============

Hàm số bậc nhất có dạng **y = ax + b** với a khác 0.

## Các bước vẽ đồ thị

1. Cho x = 0, tính y.
2. Cho y = 0, tính x.

- Nối hai điểm vừa tìm.

\`\`\`
y = 2x + 1
\`\`\`

<script>alert("md-xss")</script>
<div onclick="stealCookies()">Chú ý dấu của a.</div>
`;

/** `sampleMarkdown` as UTF-8 bytes. */
export function makeMarkdown(): Uint8Array {
  return new TextEncoder().encode(sampleMarkdown);
}

/** One real bad file per failure code, with the file name and limits that trigger it. */
export interface BadFileCase {
  /** Behaviour in words, for test names. */
  description: string;
  fileName: string;
  bytes: Uint8Array;
  limits: LoadLimits;
  expectedCode: IngestErrorCode;
}

/** Builds every bad-file case (PDFs are rendered, so this is async). */
export async function badFileCases(): Promise<BadFileCase[]> {
  const limits = defaultLoadLimits;
  return [
    { description: 'an empty file', fileName: 'rong.txt', bytes: makeEmptyFile(), limits, expectedCode: 'empty_file' },
    {
      description: 'a file over the byte limit',
      fileName: 'to.txt',
      bytes: new TextEncoder().encode('Nội dung bài học. '.repeat(100)),
      limits: { ...limits, maxBytes: 512 },
      expectedCode: 'too_large',
    },
    {
      description: 'a 6-page PDF over a 5-page limit',
      fileName: 'dai.pdf',
      bytes: await makeTextbookPdf(6),
      limits: { ...limits, maxPages: 5 },
      expectedCode: 'too_many_pages',
    },
    {
      description: 'a password-protected PDF',
      fileName: 'mat-khau.pdf',
      bytes: await makeEncryptedPdf(),
      limits,
      expectedCode: 'encrypted_pdf',
    },
    {
      description: 'an image-only scanned PDF',
      fileName: 'ban-scan.pdf',
      bytes: await makeScannedPdf(),
      limits,
      expectedCode: 'no_text_layer',
    },
    { description: 'a truncated PDF', fileName: 'hong.pdf', bytes: makeCorruptPdf(), limits, expectedCode: 'corrupt_file' },
    {
      description: 'a truncated DOCX',
      fileName: 'hong.docx',
      bytes: await makeCorruptDocx(),
      limits,
      expectedCode: 'corrupt_file',
    },
    {
      description: 'a PNG renamed to .pdf (read as an image: no text in it)',
      fileName: 'anh.pdf',
      bytes: makePng(),
      limits,
      expectedCode: 'no_text_found',
    },
    {
      description: 'a GIF image (only PNG and JPEG are read by OCR)',
      fileName: 'anh.gif',
      bytes: new Uint8Array([...Buffer.from('GIF89a', 'latin1'), 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x3b]),
      limits,
      expectedCode: 'unsupported_format',
    },
    {
      description: 'text that is not valid UTF-8',
      fileName: 'cu.txt',
      bytes: makeInvalidUtf8Text(),
      limits,
      expectedCode: 'corrupt_file',
    },
    {
      description: 'a letter carrying 120,000 stacked combining marks',
      fileName: 'dau-chong.md',
      bytes: makeStackedMarksText(),
      limits,
      expectedCode: 'too_many_combining_marks',
    },
  ];
}

/** Paths written by `writeFixtures`, keyed by fixture. */
export interface FixturePaths {
  samplePdf: string;
  encryptedPdf: string;
  scannedPdf: string;
  corruptPdf: string;
  longPdf: string;
  docx: string;
  corruptDocx: string;
  pngAsPdf: string;
  empty: string;
  invalidUtf8: string;
  utf16le: string;
  hostileHtml: string;
  markdown: string;
}

/** Writes every fixture into `dir` (created if missing) and returns their paths. */
export async function writeFixtures(dir: string): Promise<FixturePaths> {
  await mkdir(dir, { recursive: true });
  const files: Record<keyof FixturePaths, [string, Uint8Array]> = {
    samplePdf: ['tin-hoc-co-ban.pdf', await makeVietnamesePdf()],
    encryptedPdf: ['mat-khau.pdf', await makeEncryptedPdf()],
    scannedPdf: ['ban-scan.pdf', await makeScannedPdf()],
    corruptPdf: ['hong.pdf', makeCorruptPdf()],
    longPdf: ['sau-trang.pdf', await makeTextbookPdf(6)],
    docx: ['bang-tinh.docx', await makeDocx()],
    corruptDocx: ['hong.docx', await makeCorruptDocx()],
    pngAsPdf: ['anh.pdf', makePng()],
    empty: ['rong.txt', makeEmptyFile()],
    invalidUtf8: ['cu.txt', makeInvalidUtf8Text()],
    utf16le: ['ghi-chu-utf16.txt', makeUtf16LeText()],
    hostileHtml: ['bai-5.html', makeHostileHtml()],
    markdown: ['on-tap.md', makeMarkdown()],
  };
  const paths = {} as FixturePaths;
  for (const [key, [name, bytes]] of Object.entries(files) as Array<[keyof FixturePaths, [string, Uint8Array]]>) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    paths[key] = path;
  }
  return paths;
}
