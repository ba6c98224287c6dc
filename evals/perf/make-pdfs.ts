/**
 * Real PDFs for the ingest-throughput stage: textbook-like A4 pages (running header, heading,
 * wrapped paragraphs in DejaVu Sans, "Trang N" footer) drawn with pdfkit from generated sections.
 * Cached under `.cache/pdf-v1-<pages>/`.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { dejaVuSansBoldPath, dejaVuSansPath } from '../../test/support/make-fixtures.js';
import { cacheDir, readDocs, type BenchDoc } from './corpus-gen.js';

const pagesPerFile = 10;

function renderPdf(doc: BenchDoc, firstPage: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({ size: 'A4', autoFirstPage: false, info: { Title: doc.title, Author: 'Trung tâm GDTX' } });
    const parts: Buffer[] = [];
    pdf.on('data', (c: Buffer) => parts.push(c));
    pdf.on('end', () => resolve(Buffer.concat(parts)));
    pdf.on('error', reject);
    pdf.registerFont('DejaVu', dejaVuSansPath);
    pdf.registerFont('DejaVu-Bold', dejaVuSansBoldPath);
    doc.sections.slice(0, pagesPerFile).forEach((section, i) => {
      pdf.addPage({ size: 'A4', margins: { top: 72, bottom: 72, left: 72, right: 72 } });
      pdf.font('DejaVu').fontSize(9).text(doc.title, 72, 36, { width: 451, align: 'center', lineBreak: false });
      pdf.font('DejaVu-Bold').fontSize(15).text(section.heading, 72, 90, { width: 451 });
      pdf.moveDown(0.8);
      pdf.font('DejaVu').fontSize(11).text(section.text, { width: 451, align: 'left' });
      pdf.page.margins.bottom = 0;
      pdf.fontSize(9).text(`Trang ${firstPage + i}`, 72, 790, { width: 451, align: 'center', lineBreak: false });
    });
    pdf.end();
  });
}

/** Writes (once) `pages` pages of PDFs made from the documents of `docsPath`; returns the folder. */
export async function ensurePdfs(docsPath: string, pages: number): Promise<string> {
  const dir = join(cacheDir, `pdf-v1-${pages}`);
  if (existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.pdf'))) return dir;
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let made = 0;
  let file = 0;
  for await (const doc of readDocs(docsPath)) {
    if (made >= pages) break;
    if (doc.sections.length < pagesPerFile) continue;
    const bytes = await renderPdf(doc, 1);
    writeFileSync(join(tmp, `giao-trinh-${String(file++).padStart(3, '0')}.pdf`), bytes);
    made += pagesPerFile;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
