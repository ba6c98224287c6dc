/**
 * Builds the sample corpus's scanned document, reproducibly (issue 18, item 3):
 *
 *   corpus/build/notice-scan.vi.md -> corpus/thong-bao-ngay-hoi-doc-sach-ban-scan.pdf
 *
 *   npx tsx corpus/build/build-scanned-notice.ts
 *
 * The notice is laid out as a printed A4 page (pdfkit, DejaVu Sans), drawn at 200 dpi, spoiled
 * like an office scanner's copy (turned 0.6°, light noise and specks, fixed seed), and written as
 * a JPEG into an image-only PDF: no text layer, so trogiang reads it by OCR. Dates in the PDF
 * are fixed, so an unchanged source gives the same bytes (with the same canvas and pdfkit versions).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { degrade, makeTextPdf, renderPdf } from '../../evals/ocr/scan-pages.js';

const source = new URL('./notice-scan.vi.md', import.meta.url);
const target = new URL('../thong-bao-ngay-hoi-doc-sach-ban-scan.pdf', import.meta.url);

/** Paragraphs separated by blank lines; the "# " line is the heading; lines inside a paragraph are joined. */
function parse(markdown: string): { heading: string; paragraphs: string[] } {
  let heading = '';
  const paragraphs: string[] = [];
  for (const block of markdown.trim().split(/\n\s*\n/)) {
    if (block.startsWith('# ')) heading = block.slice(2).trim();
    else if (heading === '')
      paragraphs.push(...block.split('\n')); // the letterhead keeps its lines
    else paragraphs.push(block.replace(/\n/g, ' '));
  }
  return { heading, paragraphs };
}

const { heading, paragraphs } = parse(readFileSync(source, 'utf8'));
const letterhead = paragraphs.splice(0, 3);
const printed = await makeTextPdf([{ heading: `${letterhead.join('\n')}\n\n${heading}`, paragraphs }]);
const [page] = await renderPdf(printed, 200);
const scan = await degrade(page!, { rotateDegrees: 0.6, speckle: 0.0005, seed: 2027, jitter: 4 }, 'jpeg');
const pdf = await makeTextPdf([scan]);
writeFileSync(target, pdf);
process.stdout.write(`wrote ${target.pathname} (${(pdf.length / 1024).toFixed(0)} KB, 1 scanned page, no text layer)\n`);
