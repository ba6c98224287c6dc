import { sniffDocument } from './detect-format.js';
import { fileTooLarge, ingestError } from './errors.js';
import { loadDocx } from './load-docx.js';
import { loadHtml } from './load-html.js';
import { loadImage } from './load-image.js';
import { loadMarkdown } from './load-markdown.js';
import { loadPdf } from './load-pdf.js';
import { loadText } from './load-text.js';
import { cleanBlocks, singleLineText } from './normalize-text.js';
import { IngestError, defaultLoadLimits, type LoadedDocument, type LoadLimits, type LoadOptions } from './types.js';

/**
 * Reads one uploaded file into headings and paragraphs.
 *
 * Order of checks: empty → size limit (before any parsing) → format from bytes, then name →
 * format loader → "no text at all". Every failure is an `IngestError` with a stable code and
 * English/Vietnamese messages; no other exception escapes. All text is NFC with control
 * characters removed and whitespace collapsed.
 */
export async function loadDocument(
  bytes: Uint8Array,
  fileName: string,
  limits: LoadLimits = defaultLoadLimits,
  options: LoadOptions = {},
): Promise<LoadedDocument> {
  try {
    if (bytes.length === 0) throw ingestError('empty_file');
    if (bytes.length > limits.maxBytes) throw fileTooLarge(bytes.length, limits.maxBytes);

    const sniffed = sniffDocument(bytes, fileName);
    if ('text' in sniffed && singleLineText(sniffed.text) === '') {
      throw ingestError('empty_file');
    }

    let document: LoadedDocument;
    switch (sniffed.format) {
      case 'pdf':
        document = await loadPdf(bytes, fileName, limits, options);
        break;
      case 'image':
        document = await loadImage(bytes, fileName, limits, options);
        break;
      case 'docx':
        document = await loadDocx(bytes, fileName);
        break;
      case 'html':
        document = loadHtml(sniffed.text, fileName);
        break;
      case 'markdown':
        document = loadMarkdown(sniffed.text, fileName);
        break;
      case 'text':
        document = loadText(sniffed.text, fileName);
        break;
    }

    // Loaders clean already; cleaning again here makes the guarantee independent of each loader.
    const blocks = cleanBlocks(document.blocks);
    if (blocks.length === 0)
      throw ingestError(document.format === 'pdf' ? 'no_text_layer' : document.format === 'image' ? 'no_text_found' : 'empty_file');
    return { ...document, title: singleLineText(document.title) || blocks[0]?.text.slice(0, 100) || 'Tài liệu', blocks };
  } catch (error) {
    if (error instanceof IngestError) throw error;
    // A parser bug or an input we did not foresee: still a plain, coded answer for the user.
    throw ingestError('corrupt_file', undefined, error);
  }
}
