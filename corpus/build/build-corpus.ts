/**
 * Builds the binary files of the shipped sample corpus from their Markdown sources:
 *   corpus/build/handbook.vi.md    -> corpus/so-tay-hoc-vien.pdf   (pdfkit)
 *   corpus/build/exam-rules.vi.md  -> corpus/so-tay-hoc-vien.docx  (docx)
 *
 * Run: npx tsx corpus/build/build-corpus.ts
 *
 * The Markdown dialect is deliberately tiny (see parseMarkdown). Both outputs are
 * deterministic: re-running on unchanged sources gives byte-identical files, so git
 * does not churn.
 */
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  type ILevelsOptions,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  TextRun,
} from 'docx';
import PDFDocument from 'pdfkit';

// Zip entries carry local wall-clock times; pinning the zone makes the DOCX identical on every machine.
process.env.TZ = 'UTC';

const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(corpusDir, 'build');

/** Fixed timestamp for document metadata: the real clock would change the files on every build. */
const FIXED_DATE = new Date('2026-08-01T00:00:00.000Z');
const PUBLISHER = 'Trung tâm Giáo dục thường xuyên tỉnh Hòa An';

// ---------------------------------------------------------------------------
// Markdown subset
// ---------------------------------------------------------------------------

/** A piece of inline text; `**bold**` is the only inline markup we support. */
interface Run {
  text: string;
  bold: boolean;
}

type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; runs: Run[] }
  /** `- item`; nested when it directly follows a numbered item (a sub-list). */
  | { kind: 'bullet'; runs: Run[]; nested: boolean }
  /** `1. item`; `list` counts lists so each one restarts at 1 in Word. */
  | { kind: 'numbered'; number: number; list: number; runs: Run[] }
  /** `a) item`: Vietnamese letters include "đ", which Word cannot generate, so the marker is kept as text. */
  | { kind: 'lettered'; marker: string; runs: Run[] };

const HEADING = /^(#{1,3})\s+(.+)$/;
const BULLET = /^-\s+(.+)$/;
const NUMBERED = /^(\d+)\.\s+(.+)$/;
const LETTERED = /^([a-zđ]\))\s+(.+)$/;

function parseInline(text: string): Run[] {
  // Splitting on ** alternates plain and bold segments: even indexes are plain.
  return text
    .split('**')
    .map((segment, i) => ({ text: segment, bold: i % 2 === 1 }))
    .filter((run) => run.text.length > 0);
}

/** Parses the subset used by the corpus sources: headings, paragraphs, `-`, `1.` and `a)` items, **bold**. */
function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let listCount = 0;
  let expectedNumber = 1;
  let previous: Block['kind'] | 'blank' = 'blank';

  const flushParagraph = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', runs: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };

  for (const [index, rawLine] of source.normalize('NFC').split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    const lettered = LETTERED.exec(line);

    if (line === '') {
      flushParagraph();
      previous = 'blank';
      continue;
    }
    if (heading?.[1] && heading[2]) {
      flushParagraph();
      blocks.push({ kind: 'heading', level: heading[1].length as 1 | 2 | 3, text: heading[2] });
    } else if (numbered?.[1] && numbered[2]) {
      flushParagraph();
      const number = Number(numbered[1]);
      // A numbered item right after a blank line or other block starts a new list.
      const continues = previous === 'numbered' || (previous === 'bullet' && number === expectedNumber);
      if (!continues) {
        listCount += 1;
        expectedNumber = 1;
      }
      // Word renumbers lists itself, so a typo in the source would silently disagree with the PDF.
      if (number !== expectedNumber) {
        throw new Error(`line ${index + 1}: expected item ${expectedNumber}, found ${number}`);
      }
      expectedNumber += 1;
      blocks.push({ kind: 'numbered', number, list: listCount, runs: parseInline(numbered[2]) });
    } else if (bullet?.[1]) {
      flushParagraph();
      const last = blocks.at(-1);
      const nested = previous !== 'blank' && (last?.kind === 'numbered' || (last?.kind === 'bullet' && last.nested));
      blocks.push({ kind: 'bullet', runs: parseInline(bullet[1]), nested });
    } else if (lettered?.[1] && lettered[2]) {
      flushParagraph();
      blocks.push({ kind: 'lettered', marker: lettered[1], runs: parseInline(lettered[2]) });
    } else {
      paragraph.push(line);
      previous = 'paragraph';
      continue;
    }
    previous = blocks.at(-1)?.kind ?? 'blank';
  }
  flushParagraph();
  return blocks;
}

function documentTitle(blocks: Block[], file: string): string {
  const first = blocks.find((block) => block.kind === 'heading' && block.level === 1);
  if (first?.kind !== 'heading') throw new Error(`${file}: needs a "# Title" line`);
  return first.text;
}

// ---------------------------------------------------------------------------
// PDF (pdfkit)
// ---------------------------------------------------------------------------

/** The standard 14 PDF fonts have no Vietnamese glyphs; DejaVu Sans covers them. */
function dejaVuFontPaths(): { regular: string; bold: string } {
  const require = createRequire(import.meta.url);
  const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return { regular: path.join(fontDir, 'DejaVuSans.ttf'), bold: path.join(fontDir, 'DejaVuSans-Bold.ttf') };
}

const PDF = {
  margin: { top: 52, bottom: 62, left: 56, right: 56 },
  bodySize: 9.5,
  lineGap: 1.4,
  paragraphGap: 5,
  listIndent: 20, // wide enough for a two-digit marker such as "10."
  headingSize: { 1: 20, 2: 15, 3: 11.5 } as const,
  headingColor: '#1f3a5f',
  textColor: '#111111',
} as const;

type Pdf = PDFKit.PDFDocument;

function contentWidth(doc: Pdf): number {
  return doc.page.width - PDF.margin.left - PDF.margin.right;
}

/** Starts a new page when less than `needed` points remain, so a heading is never orphaned at the bottom. */
function ensureSpace(doc: Pdf, needed: number): void {
  if (doc.y + needed > doc.page.height - PDF.margin.bottom) doc.addPage();
}

/** Writes runs as one flowing paragraph, switching font for bold runs. */
function writeRuns(doc: Pdf, runs: Run[], x: number, width: number): void {
  runs.forEach((run, i) => {
    const options: PDFKit.Mixins.TextOptions = { width, lineGap: PDF.lineGap, continued: i < runs.length - 1 };
    doc.font(run.bold ? 'bold' : 'regular');
    // Only the first call may carry a position; later ones continue where the previous stopped.
    if (i === 0) doc.text(run.text, x, doc.y, options);
    else doc.text(run.text, options);
  });
  doc.font('regular');
}

function isListItem(block: Block | undefined): boolean {
  return block?.kind === 'numbered' || block?.kind === 'bullet' || block?.kind === 'lettered';
}

/** A list item: marker in the gutter, text indented so wrapped lines align under the first. */
function writeListItem(doc: Pdf, marker: string, runs: Run[], depth: number): void {
  const x = PDF.margin.left + PDF.listIndent * (depth - 1);
  const textX = x + PDF.listIndent;
  ensureSpace(doc, PDF.bodySize * 2);
  const top = doc.y;
  doc.font('regular').fontSize(PDF.bodySize).text(marker, x, top, { lineBreak: false });
  doc.y = top;
  writeRuns(doc, runs, textX, PDF.margin.left + contentWidth(doc) - textX);
  doc.moveDown(PDF.paragraphGap / 3 / PDF.bodySize);
}

function writeHeading(doc: Pdf, level: 1 | 2 | 3, text: string, isFirstBlock: boolean): void {
  if (level === 2 && !isFirstBlock) doc.addPage(); // each chapter starts on a fresh page
  if (level === 2) doc.outline.addItem(text);
  const size = PDF.headingSize[level];
  ensureSpace(doc, size * 4);
  if (level === 3) doc.moveDown(0.4);
  doc
    .font('bold')
    .fontSize(size)
    .fillColor(PDF.headingColor)
    .text(text, PDF.margin.left, doc.y, { width: contentWidth(doc), align: level === 1 ? 'center' : 'left' });
  doc.moveDown(level === 1 ? 0.8 : 0.45);
  doc.font('regular').fontSize(PDF.bodySize).fillColor(PDF.textColor);
}

/** Page numbers are drawn last, over buffered pages, because the page count is only known at the end. */
function writeFooters(doc: Pdf): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // The footer sits inside the bottom margin; lifting the margin stops pdfkit from adding a page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(9)
      .fillColor('#555555')
      .text(`Trang ${i + 1}`, PDF.margin.left, doc.page.height - 42, {
        width: contentWidth(doc),
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}

async function buildPdf(blocks: Block[], title: string, outFile: string): Promise<number> {
  const fonts = dejaVuFontPaths();
  const doc = new PDFDocument({
    size: 'A4',
    margins: PDF.margin,
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: title,
      Author: PUBLISHER,
      Subject: 'Sổ tay học viên năm học 2026-2027',
      Keywords: 'GDTX, sổ tay học viên, học phí, thời khóa biểu, quy chế',
      Creator: 'trogiang corpus/build/build-corpus.ts',
      CreationDate: FIXED_DATE,
      ModDate: FIXED_DATE,
    },
  });
  const written = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(outFile);
    out.on('finish', resolve);
    out.on('error', reject);
    doc.pipe(out);
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  doc.font('regular').fontSize(PDF.bodySize).fillColor(PDF.textColor);

  blocks.forEach((block, i) => {
    // A list's last item gets paragraph spacing so the following text does not stick to it.
    if (isListItem(blocks[i - 1]) && !isListItem(block)) doc.moveDown(PDF.paragraphGap / PDF.bodySize);
    switch (block.kind) {
      case 'heading':
        writeHeading(doc, block.level, block.text, i === 0);
        break;
      case 'paragraph':
        ensureSpace(doc, PDF.bodySize * 2);
        writeRuns(doc, block.runs, PDF.margin.left, contentWidth(doc));
        doc.moveDown(PDF.paragraphGap / PDF.bodySize);
        break;
      case 'numbered':
        writeListItem(doc, `${block.number}.`, block.runs, 1);
        break;
      case 'bullet':
        writeListItem(doc, '•', block.runs, block.nested ? 2 : 1);
        break;
      case 'lettered':
        writeListItem(doc, block.marker, block.runs, 1);
        break;
    }
  });

  const pages = doc.bufferedPageRange().count;
  writeFooters(doc);
  doc.end();
  await written;
  return pages;
}

// ---------------------------------------------------------------------------
// DOCX (docx)
// ---------------------------------------------------------------------------

const DOCX_HEADING = {
  1: HeadingLevel.TITLE,
  2: HeadingLevel.HEADING_1,
  3: HeadingLevel.HEADING_2,
} as const;

function textRuns(runs: Run[]): TextRun[] {
  return runs.map((run) => new TextRun({ text: run.text, bold: run.bold }));
}

function docxParagraph(block: Block): Paragraph {
  switch (block.kind) {
    case 'heading':
      return new Paragraph({ heading: DOCX_HEADING[block.level], text: block.text });
    case 'paragraph':
      return new Paragraph({ children: textRuns(block.runs), spacing: { after: 120 } });
    case 'numbered':
      return new Paragraph({
        children: textRuns(block.runs),
        numbering: { reference: 'decimal', level: 0, instance: block.list },
        spacing: { after: 60 },
      });
    case 'bullet':
      return new Paragraph({
        children: textRuns(block.runs),
        numbering: { reference: 'bullet', level: block.nested ? 1 : 0 },
        spacing: { after: 60 },
      });
    case 'lettered':
      return new Paragraph({
        children: [new TextRun(`${block.marker}\t`), ...textRuns(block.runs)],
        indent: { left: 720, hanging: 360 },
        spacing: { after: 60 },
      });
  }
}

function listLevel(level: number, format: ILevelsOptions['format'], text: string): ILevelsOptions {
  return {
    level,
    format,
    text,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
  };
}

/**
 * docx stamps core.xml and every zip entry with the current time. Freezing the clock
 * while packing keeps rebuilds byte-identical; the real Date is restored right after.
 */
async function withFixedClock<T>(at: Date, work: () => Promise<T>): Promise<T> {
  const RealDate = Date;
  const fixed = at.getTime();
  class FixedDate extends RealDate {
    constructor(...args: [] | [string | number | Date]) {
      if (args.length === 0) super(fixed);
      else super(args[0]);
    }
    static override now(): number {
      return fixed;
    }
  }
  globalThis.Date = FixedDate as DateConstructor;
  try {
    return await work();
  } finally {
    globalThis.Date = RealDate;
  }
}

function docxDocument(blocks: Block[], title: string): Document {
  return new Document({
    title,
    creator: PUBLISHER,
    lastModifiedBy: PUBLISHER,
    description: 'Phụ lục của Sổ tay học viên năm học 2026-2027',
    styles: {
      default: { document: { run: { font: 'Times New Roman', size: 26 } } },
    },
    numbering: {
      config: [
        { reference: 'decimal', levels: [listLevel(0, LevelFormat.DECIMAL, '%1.')] },
        {
          reference: 'bullet',
          levels: [listLevel(0, LevelFormat.BULLET, '•'), listLevel(1, LevelFormat.BULLET, '–')],
        },
      ],
    },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 } } }, // A4 in twentieths of a point
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['Trang ', PageNumber.CURRENT] })],
              }),
            ],
          }),
        },
        children: blocks.map(docxParagraph),
      },
    ],
  });
}

async function buildDocx(blocks: Block[], title: string, outFile: string): Promise<void> {
  // The document is built under the fixed clock too: core.xml takes its dates at construction.
  const buffer = await withFixedClock(FIXED_DATE, () => Packer.toBuffer(docxDocument(blocks, title)));
  writeFileSync(outFile, buffer);
}

// ---------------------------------------------------------------------------

function load(file: string): { blocks: Block[]; title: string } {
  const blocks = parseMarkdown(readFileSync(path.join(buildDir, file), 'utf8'));
  return { blocks, title: documentTitle(blocks, file) };
}

async function main(): Promise<void> {
  const handbook = load('handbook.vi.md');
  const pdfFile = path.join(corpusDir, 'so-tay-hoc-vien.pdf');
  const pages = await buildPdf(handbook.blocks, handbook.title, pdfFile);
  console.log(`${path.relative(process.cwd(), pdfFile)}: ${pages} pages`);

  const rules = load('exam-rules.vi.md');
  const docxFile = path.join(corpusDir, 'so-tay-hoc-vien.docx');
  await buildDocx(rules.blocks, rules.title, docxFile);
  console.log(`${path.relative(process.cwd(), docxFile)}: ${rules.blocks.length} paragraphs`);
}

await main();
