import type { OcrEngine } from './ocr-engine.js';
import { ocrPage, type OcrPage } from './ocr-page.js';
import { defaultImageLimits, readImage, type ImageLimits } from './read-image.js';
import { sharedOcrEngine } from './shared-ocr-engine.js';

/**
 * Reads a photo or scan of one page (PNG or JPEG). The header is checked first (`readImage`:
 * size limit, a file cut short), so a bad image is refused before any worker starts.
 * Throws `OcrError`.
 */
export async function ocrImage(
  bytes: Uint8Array,
  options: { engine?: OcrEngine; limits?: ImageLimits; onProgress?: (done: number, total: number) => void } = {},
): Promise<OcrPage> {
  readImage(bytes, options.limits ?? defaultImageLimits);
  options.onProgress?.(0, 1);
  const page = await ocrPage(options.engine ?? sharedOcrEngine(), bytes, 1);
  options.onProgress?.(1, 1);
  return page;
}
