/**
 * Document loaders: bytes of an uploaded file in, headings and paragraphs out.
 * Entry point is `loadDocument`; failures are `IngestError`s with stable codes.
 */
export type { Block, DocumentFormat, IngestErrorCode, LoadedDocument, LoadLimits, LoadOptions, OcrSummary } from './types.js';
export { IngestError, defaultLoadLimits, defaultOcrLimits, ingestErrorCodes } from './types.js';
export { loadDocument } from './load-document.js';
export { detectFormat } from './detect-format.js';
export { htmlToBlocks } from './html-blocks.js';
export { preloadPdfEngine } from './load-pdf.js';
export { safeFileName } from './safe-file-name.js';
export { fileTooLarge, formatBytes } from './errors.js';
