import type { OcrEngine } from './ocr-engine.js';
import { ocrPage, type OcrPage } from './ocr-page.js';
import { PdfPageRenderer, type RenderOptions } from './render-pdf-page.js';
import { sharedOcrEngine } from './shared-ocr-engine.js';

/** Reports OCR progress: `done` of `total` pages read. */
export type OcrProgress = (done: number, total: number) => void;

/** How the pages of a PDF are read. */
export interface OcrPdfOptions extends RenderOptions {
  engine: OcrEngine;
  onProgress?: OcrProgress;
}

/** 300 dpi (Tesseract's own recommendation, and 0.3% CER on the handbook) and 12 megapixels a page (A4 at 300 dpi is 8.7). */
export const defaultOcrRender: RenderOptions = { dpi: 300, maxPixels: 12_000_000 };

/**
 * Renders `pages` of a PDF (on a worker thread) and reads each with OCR, at most as many pages at
 * once as the engine has workers; results are in the order of `pages`. Rendering one page
 * overlaps reading the previous ones. A page that fails stops the document (the error is thrown).
 */
export async function ocrPdfPages(bytes: Uint8Array, pages: readonly number[], options: Partial<OcrPdfOptions> = {}): Promise<OcrPage[]> {
  const engine = options.engine ?? sharedOcrEngine();
  const render: RenderOptions = { dpi: options.dpi ?? defaultOcrRender.dpi, maxPixels: options.maxPixels ?? defaultOcrRender.maxPixels };
  const results: OcrPage[] = new Array(pages.length);
  if (pages.length === 0) return results;
  const renderer = new PdfPageRenderer(bytes);
  let next = 0;
  let done = 0;
  options.onProgress?.(0, pages.length);
  const lane = async () => {
    while (next < pages.length) {
      const index = next++;
      const page = pages[index]!;
      const image = await renderer.render(page, render);
      results[index] = await ocrPage(engine, image.png, page);
      options.onProgress?.(++done, pages.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(engine.options.workers, pages.length) }, lane));
    return results;
  } finally {
    await renderer.close();
  }
}
