import { ocrImage, OcrError } from '../ocr/index.js';
import { ingestError } from './errors.js';
import { titleFromFileName } from './normalize-text.js';
import { pdfPagesToBlocks } from './pdf-blocks.js';
import { firstHeadingTitle } from './load-html.js';
import { defaultOcrLimits, type LoadedDocument, type LoadLimits, type LoadOptions } from './types.js';

/**
 * An `OcrError` as the ingest's coded error: a cut-off or damaged image is `corrupt_file`, an
 * oversized one `too_large`; the OCR wording is kept, it names the problem precisely.
 */
export function ocrToIngestError(error: OcrError) {
  const code = error.code === 'image_too_large' ? 'too_large' : 'corrupt_file';
  return ingestError(code, { en: error.message, vi: error.messageVi }, error);
}

/**
 * Loads a photo or scan of one page (PNG, JPEG) by OCR. Lines are rebuilt into headings and
 * paragraphs as for a PDF page (`pdfPagesToBlocks`), without a page number: the file is one page.
 * Title: the first heading, else the file name. Throws `too_large` (over `maxImagePixels`),
 * `corrupt_file` (cut short or damaged) or `no_text_found`.
 */
export async function loadImage(
  bytes: Uint8Array,
  fileName: string,
  limits: LoadLimits,
  options: LoadOptions = {},
): Promise<LoadedDocument> {
  let page;
  try {
    page = await ocrImage(bytes, {
      limits: { maxPixels: limits.maxImagePixels ?? defaultOcrLimits.maxImagePixels },
      onProgress: options.onOcrProgress,
    });
  } catch (error) {
    if (error instanceof OcrError) throw ocrToIngestError(error);
    throw ingestError('corrupt_file', undefined, error);
  }
  const blocks = pdfPagesToBlocks([{ num: 1, text: page.text }]).map(({ page: _page, ...block }) => block);
  if (blocks.length === 0) throw ingestError('no_text_found');
  return {
    format: 'image',
    title: firstHeadingTitle(blocks) ?? titleFromFileName(fileName),
    pages: 1,
    blocks,
    ocr: { pages: [{ page: 1, confidence: page.confidence, lowConfidence: page.lowConfidence }] },
  };
}
