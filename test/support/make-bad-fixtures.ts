/**
 * Generators for the bad input catalogue (`test/fixtures/bad/catalogue.json`).
 *
 * Files the per-loader tests already make (encrypted, scanned, corrupt PDFs; truncated DOCX;
 * invalid UTF-8; UTF-16; hostile HTML) come from `make-fixtures.ts`; this module adds what the
 * catalogue needs beyond them: hand-written PDFs (10,000 pages in ~1.5 MB), DOCX zip bombs built
 * without inflating anything, ZIPs dressed as .docx, UTF-16 without a byte-order mark, and the
 * bodies of bad requests (1 MB questions, deeply nested JSON, broken UTF-8). Everything is made
 * in memory at test time; no binary is committed.
 *
 * Run `npx tsx test/support/make-bad-fixtures.ts [folder]` to write the catalogue's files into
 * `test/fixtures/bad/generated/` (git-ignored) or `folder`, to look at them or to try the CLI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { createCanvas } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';
import { makeTextPdf, renderPdf } from '../../evals/ocr/scan-pages.js';
import {
  makeCorruptDocx,
  makeCorruptPdf,
  makeEmptyFile,
  makeEncryptedPdf,
  makeHostileHtml,
  makeInvalidUtf8Text,
  makeStackedMarksText,
  makePng,
  makeScannedPdf,
  makeTextbookPdf,
  makeUtf16BeText,
  makeUtf16LeText,
  sampleUtf16Text,
} from './make-fixtures.js';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// ---------------------------------------------------------------------------------------------
// PDF

/**
 * A PDF written by hand: one page per entry of `pages` (ASCII text drawn in Helvetica), or,
 * with `sharedPage`, `count` pages that all point at the same content stream, so 10,000 pages
 * take about 1.5 MB and no rendering time. Offsets in the cross-reference table are exact.
 */
export function makeHandmadePdf(options: { pages: readonly string[] } | { count: number; sharedPage: string }): Uint8Array {
  const objects: string[] = [];
  const stream = (text: string): string => {
    const ops = `BT /F1 12 Tf 72 720 Td (${text.replace(/[\\()]/g, (c) => `\\${c}`)}) Tj ET`;
    return `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
  };
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  let next = 4;
  const kids: string[] = [];
  const pageObject = (contents: number) =>
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contents} 0 R >>`;
  if ('pages' in options) {
    for (const text of options.pages) {
      const contents = next++;
      objects[contents] = stream(text);
      const page = next++;
      objects[page] = pageObject(contents);
      kids.push(`${page} 0 R`);
    }
  } else {
    const contents = next++;
    objects[contents] = stream(options.sharedPage);
    for (let i = 0; i < options.count; i++) {
      const page = next++;
      objects[page] = pageObject(contents);
      kids.push(`${page} 0 R`);
    }
  }
  objects[2] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${kids.length} >>`;
  const parts: string[] = ['%PDF-1.4\n%\xE2\xE3\xCF\xD3\n'];
  let length = Buffer.byteLength(parts[0]!, 'latin1');
  const offsets: number[] = [];
  for (let id = 1; id < next; id++) {
    offsets.push(length);
    const text = `${id} 0 obj\n${objects[id]}\nendobj\n`;
    parts.push(text);
    length += Buffer.byteLength(text, 'latin1');
  }
  const xref = [`xref\n0 ${next}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)];
  parts.push(...xref, `trailer\n<< /Size ${next} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`);
  return new Uint8Array(latin1(parts.join('')));
}

/** 10,000 pages, each "Trang mau" (the default limit is 2,000): refused from the page count alone. */
export function makeTenThousandPagePdf(): Uint8Array {
  return makeHandmadePdf({ count: 10_000, sharedPage: 'Trang mau cua giao trinh' });
}

/** Bytes that start like a PDF and then are not one at all. */
export function makeMalformedPdf(): Uint8Array {
  return new Uint8Array(latin1('%PDF-1.7\n% this is not a PDF: no objects, no cross-reference table, no trailer\n'));
}

/** A real 6-page PDF cut at 60% of its bytes, as left by a broken download. */
export async function makeTruncatedPdf(): Promise<Uint8Array> {
  const whole = await makeTextbookPdf(6);
  return whole.slice(0, Math.floor(whole.length * 0.6));
}

// ---------------------------------------------------------------------------------------------
// ZIP / DOCX

/** One member of a hand-made ZIP: `data` is stored raw, or `deflated` is already compressed. */
export interface ZipMember {
  name: string;
  data?: Uint8Array;
  deflated?: { bytes: Uint8Array; size: number; crc: number };
  /** Uncompressed size written into both headers (default: the true size). Lets a bomb lie. */
  claimedSize?: number;
}

/** Writes a ZIP (no ZIP64, no data descriptors) from members, in order. */
export function makeZip(members: readonly ZipMember[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.from(m.name, 'utf8');
    const method = m.deflated ? 8 : 0;
    const body = m.deflated ? Buffer.from(m.deflated.bytes) : Buffer.from(m.data ?? new Uint8Array(0));
    const size = m.claimedSize ?? (m.deflated ? m.deflated.size : body.length);
    const crc = m.deflated ? m.deflated.crc : crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const contentTypesXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '</Types>';
const rootRelsXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  '</Relationships>';
const documentHead =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>';
const documentTail = '</w:body></w:document>';

/** A minimal, valid DOCX (three parts, stored) whose body is the given paragraphs. */
export function makeMinimalDocx(paragraphs: readonly string[]): Uint8Array {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('');
  return makeZip([
    { name: '[Content_Types].xml', data: utf8(contentTypesXml) },
    { name: '_rels/.rels', data: utf8(rootRelsXml) },
    { name: 'word/document.xml', data: utf8(documentHead + body + documentTail) },
  ]);
}

/**
 * A DOCX zip bomb: a well-formed `word/document.xml` of `unpackedMiB` MiB of paragraphs that
 * compresses about 1000 to 1. Built without compressing the whole: 1 MiB of paragraphs is
 * deflated once with a full flush (which resets the window, so the block stands alone) and the
 * compressed block is repeated; the CRC is chained over the repeats. With `lie`, both ZIP
 * headers claim the part is 4 KiB, as a hostile file would.
 */
export function makeZipBombDocx(options: { unpackedMiB: number; lie?: boolean }): Uint8Array {
  const paragraph = '<w:p><w:r><w:t>bom</w:t></w:r></w:p>';
  // Whole paragraphs only, so the repeats join into well-formed XML.
  const unit = Buffer.from(paragraph.repeat(Math.floor((1 << 20) / paragraph.length)));
  const flush = { finishFlush: constants.Z_FULL_FLUSH, level: 9 };
  const head = Buffer.from(documentHead);
  const tail = Buffer.from(documentTail);
  const compressedHead = deflateRawSync(head, flush);
  const compressedUnit = deflateRawSync(unit, flush);
  const compressedTail = deflateRawSync(tail); // final block
  let crc = crc32(head);
  for (let i = 0; i < options.unpackedMiB; i++) crc = crc32(unit, crc);
  crc = crc32(tail, crc);
  const size = head.length + unit.length * options.unpackedMiB + tail.length;
  const compressed = Buffer.concat([compressedHead, ...Array.from({ length: options.unpackedMiB }, () => compressedUnit), compressedTail]);
  return makeZip([
    { name: '[Content_Types].xml', data: utf8(contentTypesXml) },
    { name: '_rels/.rels', data: utf8(rootRelsXml) },
    {
      name: 'word/document.xml',
      deflated: { bytes: compressed, size, crc },
      ...(options.lie ? { claimedSize: 4096 } : {}),
    },
  ]);
}

/** A ZIP of a photo and a note, named .docx: no Word parts at all. */
export function makeZipOfOtherFiles(): Uint8Array {
  return makeZip([
    { name: 'anh-lop-hoc.png', data: makePng(16, 16) },
    { name: 'ghi-chu.txt', data: utf8('Danh sách học viên lớp tin học buổi tối.\n') },
  ]);
}

/** An Excel workbook's parts (xl/workbook.xml), named .docx. */
export function makeXlsxAsDocx(): Uint8Array {
  return makeZip([
    {
      name: '[Content_Types].xml',
      data: utf8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    },
    {
      name: 'xl/workbook.xml',
      data: utf8('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'),
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Text and HTML

/** `sampleUtf16Text` as UTF-16LE without a byte-order mark (some exporters write this). */
export function makeUtf16LeWithoutBom(): Uint8Array {
  return new Uint8Array(Buffer.from(sampleUtf16Text, 'utf16le'));
}

/** UTF-16LE with a BOM but an odd number of bytes: the last character is cut in half. */
export function makeUtf16OddLength(): Uint8Array {
  const whole = makeUtf16LeText();
  return whole.slice(0, whole.length - 1);
}

/** An HTML page that is nothing but scripts, an iframe, styles and event handlers. */
export function makeScriptOnlyHtml(): Uint8Array {
  return utf8(
    '<!DOCTYPE html><html><head><script>stealCookies()</script><style>body{}</style></head>' +
      '<body onload="stealCookies()"><iframe src="https://evil.example/"></iframe>' +
      '<img src=x onerror="alert(1)"><script type="module">alert(2)</script></body></html>',
  );
}

/** Only spaces, tabs and newlines. */
export function makeWhitespaceOnly(): Uint8Array {
  return utf8(' \n\t \r\n   \n');
}

/** A short, valid lesson in Markdown, used under the hostile file names. */
export function makeNamedLesson(marker: string): Uint8Array {
  return utf8(`# Ghi chú ${marker}\n\nBài ôn tập về đơn vị đo độ dài: một ki-lô-mét bằng một nghìn mét (${marker}).\n`);
}

// ---------------------------------------------------------------------------------------------
// Scans (read by OCR, src/ocr)

/** The text of the scanned notice: what OCR must find in it. */
export const scannedNoticeText = {
  heading: 'Thông báo lịch thi học kỳ I',
  paragraphs: [
    'Kỳ thi học kỳ I năm học 2026-2027 diễn ra từ ngày 11/01/2027 đến ngày 16/01/2027 tại phòng thi của trung tâm.',
    'Học viên có mặt trước giờ thi 15 phút, mang theo thẻ học viên và giấy tờ tùy thân có ảnh.',
  ],
};

/** A one-page notice scanned at 200 dpi into an image-only PDF (no text layer). */
export async function makeScannedNoticePdf(): Promise<Uint8Array> {
  const [scan] = await renderPdf(await makeTextPdf([scannedNoticeText]), 200, 'jpeg');
  return makeTextPdf([scan!]);
}

/** A "photo" with no text: sky, hills and a sun, drawn on a canvas (PNG, 1200 × 900). */
export async function makeImageWithoutText(): Promise<Uint8Array> {
  const canvas = createCanvas(1200, 900);
  const ctx = canvas.getContext('2d');
  const sky = ctx.createLinearGradient(0, 0, 0, 900);
  sky.addColorStop(0, '#6fa8dc');
  sky.addColorStop(1, '#d9ead3');
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, 1200, 900);
  ctx.fillStyle = '#f1c232';
  ctx.beginPath();
  ctx.arc(900, 200, 90, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#38761d';
  ctx.beginPath();
  ctx.moveTo(0, 900);
  ctx.bezierCurveTo(300, 450, 600, 800, 1200, 550);
  ctx.lineTo(1200, 900);
  ctx.fill();
  return new Uint8Array(await canvas.encode('png'));
}

/** A PNG of a page of text, cut at half its bytes (a broken download). */
export async function makeTruncatedPng(): Promise<Uint8Array> {
  const [png] = await renderPdf(await makeTextPdf([scannedNoticeText]), 100);
  return png!.subarray(0, Math.floor(png!.length / 2));
}

/**
 * A PNG whose header says 20,000 × 20,000 pixels (400 megapixels): real and complete, 1 bit a
 * pixel, all white, so it takes about 60 KB. Refused by its size before any decoding.
 */
export function makeHugePng(): Uint8Array {
  const side = 20_000;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const row = Buffer.alloc(1 + side / 8, 0xff);
  row[0] = 0; // filter: none
  const raw = Buffer.concat(Array.from({ length: side }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/**
 * A 100-page scan at 600 dpi: one A4 page image (4,961 × 7,016, a few lines of text, JPEG)
 * shown on 100 pages, stored once, so the file is small while every page is a full 600-dpi scan.
 */
export async function makeHundredPageScan(): Promise<Uint8Array> {
  const canvas = createCanvas(4961, 7016);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 4961, 7016);
  ctx.fillStyle = '#111111';
  ctx.font = '92px sans-serif'; // 11 pt at 600 dpi
  scannedNoticeText.paragraphs.forEach((line, i) => ctx.fillText(line.slice(0, 60), 530, 700 + i * 160));
  const jpeg = Buffer.from(await canvas.encode('jpeg', 60));
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false });
  // pdfkit's openImage (missing from @types/pdfkit) embeds the image once for every page that shows it.
  const image = (doc as unknown as { openImage(src: Buffer): Buffer }).openImage(jpeg);
  for (let i = 0; i < 100; i++) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.image(image, 0, 0, { width: doc.page.width, height: doc.page.height });
  }
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    doc.on('error', reject);
    doc.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Catalogue files

/** Builds one catalogue file by its generator name (see `generator` in catalogue.json). */
export const badFileGenerators: Record<string, () => Uint8Array | Promise<Uint8Array>> = {
  malformedPdf: makeMalformedPdf,
  garbagePdf: makeCorruptPdf,
  truncatedPdf: makeTruncatedPdf,
  encryptedPdf: makeEncryptedPdf,
  scannedPdf: makeScannedPdf,
  scannedNoticePdf: makeScannedNoticePdf,
  hundredPageScan: makeHundredPageScan,
  imageWithoutText: makeImageWithoutText,
  truncatedPng: makeTruncatedPng,
  hugePng: makeHugePng,
  tenThousandPagePdf: makeTenThousandPagePdf,
  pngAsPdf: () => makePng(),
  zipBombDocx: () => makeZipBombDocx({ unpackedMiB: 1024 }),
  smallZipBombDocx: () => makeZipBombDocx({ unpackedMiB: 15 }),
  lyingZipBombDocx: () => makeZipBombDocx({ unpackedMiB: 1024, lie: true }),
  truncatedDocx: makeCorruptDocx,
  zipOfOtherFilesAsDocx: makeZipOfOtherFiles,
  xlsxAsDocx: makeXlsxAsDocx,
  scriptOnlyHtml: makeScriptOnlyHtml,
  hostileHtml: makeHostileHtml,
  invalidUtf8: makeInvalidUtf8Text,
  utf16LeWithoutBom: makeUtf16LeWithoutBom,
  utf16OddLength: makeUtf16OddLength,
  utf16Le: () => makeUtf16LeText(),
  utf16Be: () => makeUtf16BeText(),
  emptyFile: makeEmptyFile,
  whitespaceOnly: makeWhitespaceOnly,
  stackedMarks: makeStackedMarksText,
  namedLesson: () => makeNamedLesson('tên tệp lạ'),
};

/** Nested JSON arrays `depth` deep: `[[[…]]]`. */
const nestedArrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Request bodies of the catalogue, by `bodyGenerator` name. */
export const badRequestBodies: Record<string, () => string | Uint8Array> = {
  // 1 MiB of question: 131,072 × "hoc phi " (8 bytes).
  oneMegabyteChat: () => JSON.stringify({ message: 'hoc phi '.repeat(131_072) }),
  oneMegabyteTry: () => JSON.stringify({ question: 'hoc phi '.repeat(131_072) }),
  deepArray: () => nestedArrays(30_000),
  deepObject: () => '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000),
  deepInUnknownField: () => `{"message":"hoc phi bao nhieu","x":${nestedArrays(20_000)}}`,
  deepSiteKey: () => `{"title":"Moodle","allowedOrigins":${nestedArrays(20_000)}}`,
  deepOverLimit: () => nestedArrays(200_000),
  // {"message":"<FF FE C3>"}: a lone continuation-less lead byte and two bytes UTF-8 never uses.
  invalidUtf8Json: () => new Uint8Array([...utf8('{"message":"h'), 0xff, 0xfe, 0xc3, ...utf8('c phi"}')]),
};

/** Query strings of the catalogue, by `queryGenerator` name (appended to the path). */
export const badQueries: Record<string, () => string> = {
  oneMegabyteQuery: () => `?q=${'hoc+phi+'.repeat(131_072)}`,
  tenKilobyteQuery: () => `?q=${'hoc+phi+'.repeat(1280)}`,
};

/**
 * Writes the files named in `fileNames` (generator → file name, as in the catalogue) into `dir`;
 * returns their paths by generator. Names must be plain file names: the hostile-name cases are
 * never written to disk by this helper.
 */
export async function writeBadFixtures(dir: string, fileNames: Record<string, string>): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const [generator, fileName] of Object.entries(fileNames)) {
    if (fileName !== basename(fileName) || /[\u0000-\u001f]/.test(fileName))
      throw new Error(`unsafe fixture name ${JSON.stringify(fileName)}`);
    const make = badFileGenerators[generator];
    if (!make) throw new Error(`no generator "${generator}"`);
    const path = join(dir, fileName);
    writeFileSync(path, await make());
    paths[generator] = path;
  }
  return paths;
}

const isEntry = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const dir = process.argv[2] ?? join(here, '../fixtures/bad/generated');
  const { readFileSync } = await import('node:fs');
  const catalogue = JSON.parse(readFileSync(join(here, '../fixtures/bad/catalogue.json'), 'utf8')) as {
    cases: Array<{ generator?: string; fileName?: string; via: string[] }>;
  };
  // File cases the CLI reads from disk; the hostile-name cases are upload-only (their names are the attack).
  const names = Object.fromEntries(
    catalogue.cases.filter((c) => c.generator && c.fileName && c.via.includes('cli')).map((c) => [c.generator!, c.fileName!]),
  );
  const paths = await writeBadFixtures(dir, names);
  process.stdout.write(`wrote ${Object.keys(paths).length} files into ${dir}\n`);
}
