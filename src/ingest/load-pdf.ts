// Must stay the first import: it captures V8's push before pdf.js replaces it.
import { keepNativePush } from './native-push.js';
import type { PDFParse } from 'pdf-parse';
import { ingestError } from './errors.js';
import { firstHeadingTitle } from './load-html.js';
import { singleLineText, titleFromFileName } from './normalize-text.js';
import { pdfPagesToBlocks } from './pdf-blocks.js';
import { ocrPdfPages, type OcrPage } from '../ocr/index.js';
import { defaultOcrLimits, IngestError, type LoadedDocument, type LoadLimits, type LoadOptions } from './types.js';

let pdfModule: Promise<typeof import('pdf-parse')> | null = null;

/**
 * pdf-parse (pdf.js) is loaded on the first PDF, not with the engine: it adds about 170 MB to a
 * process, which searching, answering and the CLI never need.
 */
function loadPdfModule(): Promise<typeof import('pdf-parse')> {
  pdfModule ??= import('pdf-parse').then((module) => {
    keepNativePush();
    return module;
  });
  return pdfModule;
}

/** Metadata titles that are tool noise rather than the document's name. */
function usefulTitle(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const title = singleLineText(raw);
  if (title.length < 2 || title.length > 200) return undefined;
  if (/^(untitled|no title|tiêu đề|document\d*|microsoft word - .*)$/i.test(title)) return undefined;
  if (/\.(docx?|pdf|odt|rtf|pptx?|txt|tmp)$/i.test(title)) return undefined;
  return title;
}

/** pdf.js failures that mean the file itself cannot be opened (vs. a broken outline or metadata). */
function isOpenFailure(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name === 'PasswordException' || name === 'InvalidPDFException' || name === 'FormatError';
}

/** Page count and metadata title; a damaged outline or info dictionary must not hide readable text. */
async function readInfo(parser: PDFParse): Promise<{ total: number; title: string | undefined }> {
  try {
    const info = await parser.getInfo();
    return { total: info.total, title: usefulTitle((info.info as Record<string, unknown> | undefined)?.['Title']) };
  } catch (error) {
    if (isOpenFailure(error)) throw error;
    const probe = await parser.getText({ partial: [1] });
    return { total: probe.total, title: undefined };
  }
}

function toIngestError(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  if (error instanceof Error && error.name === 'PasswordException') return ingestError('encrypted_pdf', undefined, error);
  return ingestError(
    'corrupt_file',
    {
      en: 'The PDF is damaged or incomplete and cannot be read. Download or export it again and upload the new copy.',
      vi: 'Tệp PDF bị hỏng hoặc chưa tải về đầy đủ nên không đọc được. Hãy tải về hoặc xuất lại tệp rồi tải lên lại.',
    },
    error,
  );
}

/**
 * Loads a PDF with pdf-parse (pdf.js): the page count is checked against `limits.maxPages`
 * before any text is extracted, then each page's lines are rebuilt into headings and
 * paragraphs that keep their page number. Pages without a text layer (scans) are read by OCR
 * (`readScannedPages`): their text is that page's text, so citations still name the page.
 * Title: metadata Title, else first heading, else file name. Throws `encrypted_pdf`,
 * `too_many_pages` (also for more scanned pages than `maxOcrPages`), `no_text_layer` (no text
 * even by OCR) or `corrupt_file`.
 */
export async function loadPdf(bytes: Uint8Array, fileName: string, limits: LoadLimits, options: LoadOptions = {}): Promise<LoadedDocument> {
  const { PDFParse, VerbosityLevel } = await loadPdfModule();
  const parser = new PDFParse({
    // pdf.js takes ownership of (detaches) the array it is given; pass a copy so the caller's bytes survive.
    data: bytes.slice(),
    // Errors only: pdf.js otherwise prints warnings about fonts and malformed objects to the console.
    verbosity: VerbosityLevel.ERRORS,
    // No eval of PDF-supplied code paths: we only read text from untrusted files.
    isEvalSupported: false,
  });
  try {
    const info = await readInfo(parser);
    if (info.total > limits.maxPages) {
      throw ingestError('too_many_pages', {
        en: `The PDF has ${info.total} pages; at most ${limits.maxPages} are accepted. Split it into smaller files and upload them one by one.`,
        vi: `Tệp PDF có ${info.total} trang, vượt quá giới hạn ${limits.maxPages} trang. Hãy tách thành các tệp nhỏ hơn rồi tải lên từng tệp.`,
      });
    }
    // Page boundaries come from `pages`; no joiner text, and spaces rather than tabs between cells.
    const result = await parser.getText({ pageJoiner: '', cellSeparator: ' ' });
    const scanned = await readScannedPages(bytes, result.pages, limits, options);
    // OCR text replaces the page's (near-empty) text layer; where OCR found nothing, the layer stays.
    const pages = result.pages.map((p) => ({ num: p.num, text: scanned.get(p.num)?.text || p.text }));
    const blocks = pdfPagesToBlocks(pages);
    if (blocks.length === 0) throw ingestError('no_text_layer');
    return {
      format: 'pdf',
      title: info.title ?? firstHeadingTitle(blocks) ?? titleFromFileName(fileName),
      pages: info.total,
      blocks,
      ...(scanned.size > 0 && {
        ocr: { pages: [...scanned.values()].map(({ page, confidence, lowConfidence }) => ({ page, confidence, lowConfidence })) },
      }),
    };
  } catch (error) {
    throw toIngestError(error);
  } finally {
    // Frees pdf.js' document and worker resources; a failure here must not mask the result.
    await parser.destroy().catch(() => undefined);
    keepNativePush();
  }
}

/**
 * A page whose text layer holds fewer than 10 letters or digits: a scan, a blank page, or a scan
 * the scanner's software stamped with a page number or a date ("- 3 -", "12/03/2026"), whose
 * text layer would otherwise hide the page's real content.
 */
const hasNoText = (text: string): boolean => (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < 10;

/**
 * OCR of the pages without a text layer, by page number; none when every page has text. More
 * such pages than `maxOcrPages` are refused before any is read (`too_many_pages`), so a scanned
 * archive is a clear answer at once rather than an hour of both cores.
 */
async function readScannedPages(
  bytes: Uint8Array,
  pages: ReadonlyArray<{ num: number; text: string }>,
  limits: LoadLimits,
  options: LoadOptions,
): Promise<Map<number, OcrPage>> {
  const numbers = pages.filter((p) => hasNoText(p.text)).map((p) => p.num);
  if (numbers.length === 0) return new Map();
  const max = limits.maxOcrPages ?? defaultOcrLimits.maxOcrPages;
  if (numbers.length > max) {
    throw ingestError('too_many_pages', {
      en: `The PDF has ${numbers.length} scanned pages (pages without a text layer, read by OCR); at most ${max} are read per file. Split it into files of ${max} pages or fewer and upload them one by one.`,
      vi: `Tệp PDF có ${numbers.length} trang quét (trang không có lớp chữ, phải nhận dạng chữ bằng OCR), vượt quá giới hạn ${max} trang mỗi tệp. Hãy tách thành các tệp không quá ${max} trang rồi tải lên từng tệp.`,
    });
  }
  try {
    const read = await ocrPdfPages(bytes, numbers, { onProgress: options.onOcrProgress });
    return new Map(read.map((p) => [p.page, p]));
  } catch (error) {
    if (isOpenFailure(error)) throw error;
    throw ingestError(
      'corrupt_file',
      {
        en: 'Text recognition (OCR) of the scanned pages of this PDF failed, so it cannot be read. Scan the pages again and upload the new file.',
        vi: 'Nhận dạng chữ (OCR) các trang quét của tệp PDF này bị lỗi nên không đọc được. Hãy quét lại các trang rồi tải lên tệp mới.',
      },
      error,
    );
  }
}

/** A one-page PDF with no content: just enough for pdf.js to start. */
const TINY_PDF =
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
  '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/**
 * Loads pdf.js' worker code ahead of the first upload. The first PDF in a process otherwise
 * pays about 1–2 s for it; later PDFs do not. Safe to call more than once; never throws.
 */
export async function preloadPdfEngine(): Promise<void> {
  const { PDFParse, VerbosityLevel } = await loadPdfModule();
  const parser = new PDFParse({ data: new TextEncoder().encode(TINY_PDF), verbosity: VerbosityLevel.ERRORS });
  try {
    await parser.getInfo();
  } catch {
    // Warm-up only: a failure here surfaces properly on the first real PDF.
  } finally {
    await parser.destroy().catch(() => undefined);
    keepNativePush();
  }
}
