/**
 * Scanned pages made from text, reproducibly, for the OCR tests and measurements: text laid out
 * in a PDF (pdfkit, DejaVu Sans: the standard PDF fonts have no Vietnamese), drawn to images
 * with pdf.js on @napi-rs/canvas at a chosen dpi, optionally degraded like a cheap scanner
 * (seeded speckle noise, a slight rotation), and wrapped back into an image-only PDF.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { PDFParse, VerbosityLevel } from 'pdf-parse';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

function collect(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  doc.on('data', (part: Buffer) => parts.push(part));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
    doc.on('error', reject);
    doc.end();
  });
}

/** A fixed date, so the same text gives the same bytes. */
const fixedInfo = {
  CreationDate: new Date('2026-09-01T00:00:00Z'),
  ModDate: new Date('2026-09-01T00:00:00Z'),
  Producer: 'trogiang',
  Creator: 'trogiang',
};

/** One page of a text PDF: an optional heading and paragraphs. */
export interface TextPage {
  heading?: string;
  paragraphs: string[];
}

/** A scanned page (PNG or JPEG) with, optionally, a line of real text stamped on it (a page number), as some scanners add. */
export interface ScannedPage {
  image: Uint8Array;
  stamp?: string;
}

/**
 * An A4 PDF with one page per entry, 11 pt body text (a typical printed notice); an entry that
 * is an image (PNG or JPEG) becomes a page holding only that image, as a scanner writes it.
 */
export function makeTextPdf(
  pages: ReadonlyArray<TextPage | Uint8Array | ScannedPage>,
  options: { fontSize?: number } = {},
): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 64, autoFirstPage: false, info: fixedInfo as never });
  doc.registerFont('body', join(fontDir, 'DejaVuSans.ttf'));
  doc.registerFont('bold', join(fontDir, 'DejaVuSans-Bold.ttf'));
  for (const page of pages) {
    if (page instanceof Uint8Array || 'image' in page) {
      const { image, stamp } = page instanceof Uint8Array ? { image: page, stamp: undefined } : page;
      doc.addPage({ size: 'A4', margin: 0 });
      doc.image(Buffer.from(image), 0, 0, { width: doc.page.width, height: doc.page.height });
      if (stamp)
        doc
          .font('body')
          .fontSize(9)
          .text(stamp, 0, doc.page.height - 30, { width: doc.page.width, align: 'center', lineBreak: false });
      continue;
    }
    doc.addPage({ size: 'A4', margin: 64 });
    if (page.heading) doc.font('bold').fontSize(15).text(page.heading, { paragraphGap: 10 });
    doc.font('body').fontSize(options.fontSize ?? 11);
    for (const paragraph of page.paragraphs) doc.text(paragraph, { paragraphGap: 7, lineGap: 2, align: 'left' });
  }
  return collect(doc);
}

/** Pages of a PDF drawn to images (PNG, or JPEG at quality 90) at `dpi`. */
export async function renderPdf(bytes: Uint8Array, dpi: number, format: 'png' | 'jpeg' = 'png', pages?: number[]): Promise<Uint8Array[]> {
  const parser = new PDFParse({ data: bytes.slice(), verbosity: VerbosityLevel.ERRORS });
  try {
    const shot = await parser.getScreenshot({ scale: dpi / 72, imageBuffer: true, imageDataUrl: false, ...(pages && { partial: pages }) });
    if (format === 'png') return shot.pages.map((p) => p.data);
    return Promise.all(shot.pages.map((p) => toJpeg(p.data)));
  } finally {
    await parser.destroy();
  }
}

async function toJpeg(png: Uint8Array): Promise<Uint8Array> {
  const image = await loadImage(Buffer.from(png));
  const canvas = createCanvas(image.width, image.height);
  canvas.getContext('2d').drawImage(image, 0, 0);
  return new Uint8Array(await canvas.encode('jpeg', 90));
}

/** A small seeded generator (mulberry32): the same noise on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How a page is spoiled: rotation in degrees, share of pixels speckled, sensor noise (± gray levels). */
export interface Degradation {
  rotateDegrees: number;
  speckle: number;
  seed: number;
  /** Amplitude of the noise added to every pixel; 20 unless given. */
  jitter?: number;
}

/** A "cheap scan" of a page: rotated slightly on a gray-white sheet, with dark and light speckles. PNG out. */
export async function degrade(
  png: Uint8Array,
  how: Degradation = { rotateDegrees: 1.2, speckle: 0.01, seed: 18 },
  format: 'png' | 'jpeg' = 'png',
): Promise<Uint8Array> {
  const image = await loadImage(Buffer.from(png));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f2f0ea';
  ctx.fillRect(0, 0, image.width, image.height);
  ctx.translate(image.width / 2, image.height / 2);
  ctx.rotate((how.rotateDegrees * Math.PI) / 180);
  ctx.translate(-image.width / 2, -image.height / 2);
  ctx.globalCompositeOperation = 'multiply';
  ctx.drawImage(image, 0, 0);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalCompositeOperation = 'source-over';
  const data = ctx.getImageData(0, 0, image.width, image.height);
  const next = random(how.seed);
  const pixels = data.data;
  for (let i = 0; i < pixels.length; i += 4) {
    // Sensor noise on every pixel, plus speckles (dust, toner) on a few.
    const jitter = (next() - 0.5) * 2 * (how.jitter ?? 20);
    let value = pixels[i]! + jitter;
    const r = next();
    if (r < how.speckle / 2) value = 40 + next() * 60;
    else if (r < how.speckle) value = 255;
    const v = Math.max(0, Math.min(255, value));
    pixels[i] = v;
    pixels[i + 1] = v;
    pixels[i + 2] = v;
  }
  ctx.putImageData(data, 0, 0);
  return new Uint8Array(format === 'png' ? await canvas.encode('png') : await canvas.encode('jpeg', 75));
}

/** An image-only A4 PDF, one image (PNG or JPEG) filling each page: what a scanner's "scan to PDF" writes. */
export function imagesToPdf(images: readonly Uint8Array[]): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: fixedInfo as never });
  for (const image of images) {
    doc.addPage({ size: 'A4', margin: 0 });
    doc.image(Buffer.from(image), 0, 0, { width: doc.page.width, height: doc.page.height });
  }
  return collect(doc);
}

/** The scanned version of a text PDF: each page drawn at `dpi` (JPEG, as scanners write) into an image-only PDF. */
export async function scanPdf(textPdf: Uint8Array, dpi: number): Promise<Uint8Array> {
  return imagesToPdf(await renderPdf(textPdf, dpi, 'jpeg'));
}

/** Text of each page of a text PDF, as the reference for OCR: what the text layer holds. */
export async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const parser = new PDFParse({ data: bytes.slice(), verbosity: VerbosityLevel.ERRORS });
  try {
    return (await parser.getText({ pageJoiner: '' })).pages.map((p) => p.text);
  } finally {
    await parser.destroy();
  }
}
