/**
 * OCR of scanned pages, offline: PDF pages without a text layer and page images (PNG, JPEG) are
 * read by Tesseract (tesseract.js, Vietnamese and English models from npm packages). The ingest
 * calls `ocrPdfPages` and `ocrImage`; `sharedOcrEngine` owns the workers.
 */
export { OcrEngine, defaultOcrEngineOptions, languageDataDir, type OcrEngineOptions, type RecognizedText } from './ocr-engine.js';
export { sharedOcrEngine, closeSharedOcrEngine } from './shared-ocr-engine.js';
export { ocrPage, lowConfidenceBelow, noTextBelow, type OcrPage } from './ocr-page.js';
export { ocrPdfPages, defaultOcrRender, type OcrPdfOptions, type OcrProgress } from './ocr-pdf-pages.js';
export { ocrImage } from './ocr-image.js';
export { readImage, imageFormatOf, defaultImageLimits, type ImageInfo, type ImageLimits } from './read-image.js';
export { PdfPageRenderer, type RenderedPage, type RenderOptions } from './render-pdf-page.js';
export { OcrError, type OcrErrorCode } from './ocr-errors.js';
export { reportOcrProgress, ocrProgressTracker, OcrProgressTracker, type OcrProgressEntry } from './ocr-progress.js';
export { OcrPageStore, type DocumentOcr } from './ocr-page-store.js';
