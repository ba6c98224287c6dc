import { afterEach, describe, expect, it } from 'vitest';
import { handbookPages } from '../../evals/ocr/handbook-pages.js';
import { makeTextPdf, renderPdf } from '../../evals/ocr/scan-pages.js';
import { PdfPageRenderer, readImage } from '../../src/ocr/index.js';

let renderer: PdfPageRenderer | undefined;
afterEach(() => renderer?.close());

/** A 2-page image-only PDF, as a scanner writes it (JPEG pages at 150 dpi). */
async function scannedTwoPages(): Promise<Uint8Array> {
  const scans = await renderPdf(await makeTextPdf(handbookPages(2, { from: 40, charsPerPage: 600 })), 150, 'jpeg');
  return makeTextPdf(scans);
}

describe('PdfPageRenderer', () => {
  it('draws pages asked for at once, each at the dpi asked (A4 at 100 dpi is 826 × 1169)', async () => {
    renderer = new PdfPageRenderer(await scannedTwoPages());
    // Regression: two requests at once used to overlap inside pdf.js and fail with
    // "Unable to deserialize cloned data" (the OCR lanes ask for pages together).
    const [one, two] = await Promise.all([
      renderer.render(1, { dpi: 100, maxPixels: 12e6 }),
      renderer.render(2, { dpi: 100, maxPixels: 12e6 }),
    ]);
    for (const page of [one, two]) {
      expect(readImage(page.png)).toEqual({ format: 'png', width: page.width, height: page.height });
      expect([page.width, page.height]).toEqual([826, 1169]);
    }
    expect(Buffer.compare(Buffer.from(one.png), Buffer.from(two.png))).not.toBe(0);
  });

  it('draws a page smaller than asked when it would pass the pixel budget', async () => {
    renderer = new PdfPageRenderer(await scannedTwoPages());
    const page = await renderer.render(1, { dpi: 300, maxPixels: 1_000_000 });
    expect(page.width * page.height).toBeLessThanOrEqual(1_000_000);
    expect(page.width * page.height).toBeGreaterThan(950_000);
  });

  it('fails a page that does not exist with an error, and keeps serving the others', async () => {
    renderer = new PdfPageRenderer(await scannedTwoPages());
    await expect(renderer.render(9, { dpi: 72, maxPixels: 1e6 })).rejects.toThrow();
    expect((await renderer.render(2, { dpi: 72, maxPixels: 1e6 })).width).toBe(595);
  });
});
