/**
 * The large PDF of the responsiveness benchmark: 2,000 A4 pages (the upload limit) of Vietnamese
 * text drawn with pdfkit in DejaVu Sans, and a 25 MB embedded attachment of seeded random bytes,
 * so the file is about 27 MB, like a scanned-and-OCRed textbook with its images. The text layer
 * is what ingest reads (a paragraph per page); the size is what `GET /docs/:id` must serve.
 * Cached under `.cache/big-pdf-v1.pdf`.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { dejaVuSansBoldPath, dejaVuSansPath } from '../../test/support/make-fixtures.js';
import { cacheDir, mulberry32 } from './corpus-gen.js';
import { largeMarkdown } from './large-markdown.js';

export const bigPdfPages = 2000;
const paddingBytes = 25 * 2 ** 20;

export async function ensureBigPdf(): Promise<string> {
  const path = join(cacheDir, 'big-pdf-v1.pdf');
  if (existsSync(path)) return path;
  mkdirSync(cacheDir, { recursive: true });
  // About 500 characters of lesson text per page, from the same generator as the Markdown.
  const paragraphs = largeMarkdown(bigPdfPages * 560, 7)
    .split('\n\n')
    .filter((p) => p && !p.startsWith('#'));
  const random = mulberry32(27);
  const padding = Buffer.alloc(paddingBytes);
  for (let i = 0; i < padding.length; i += 4) padding.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
  const bytes = await new Promise<Buffer>((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', autoFirstPage: false, info: { Title: 'Giáo trình ôn tập 2.000 trang' } });
    const parts: Buffer[] = [];
    pdf.on('data', (c: Buffer) => parts.push(c));
    pdf.on('end', () => resolve(Buffer.concat(parts)));
    pdf.on('error', reject);
    pdf.registerFont('DejaVu', dejaVuSansPath);
    pdf.registerFont('DejaVu-Bold', dejaVuSansBoldPath);
    for (let page = 1; page <= bigPdfPages; page++) {
      pdf.addPage({ size: 'A4', margins: { top: 72, bottom: 72, left: 72, right: 72 } });
      if (page % 10 === 1)
        pdf
          .font('DejaVu-Bold')
          .fontSize(15)
          .text(`Bài ${(page + 9) / 10}`, { width: 451 })
          .moveDown(0.5);
      pdf
        .font('DejaVu')
        .fontSize(11)
        .text(paragraphs[(page - 1) % paragraphs.length]!.slice(0, 600), { width: 451 });
    }
    pdf.file(padding, { name: 'hinh-anh.bin', type: 'application/octet-stream', description: 'padding' });
    pdf.end();
  });
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
  return path;
}
