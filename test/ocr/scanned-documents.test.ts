/**
 * Scanned documents read by OCR through the real loaders (pdf.js rendering on a worker thread,
 * tesseract.js with the Vietnamese and English models from node_modules). OCR is slow (about
 * 10-20 s a page here), so these tests read two pages in all; evals/ocr/measure-ocr.ts measures more.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../../evals/ocr/character-error-rate.js';
import { handbookPages } from '../../evals/ocr/handbook-pages.js';
import { makeTextPdf, pageTexts, renderPdf } from '../../evals/ocr/scan-pages.js';
import { loadDocument } from '../../src/ingest/index.js';
import { closeSharedOcrEngine } from '../../src/ocr/index.js';

afterAll(() => closeSharedOcrEngine());

const text = (blocks: ReadonlyArray<{ text: string; page?: number }>, page?: number) =>
  blocks
    .filter((b) => b.page === page)
    .map((b) => b.text)
    .join(' ');

describe('scanned documents', () => {
  it('reads the page of a PDF that has no text layer (a stamped page number aside) by OCR, keeps its page number, and leaves text pages alone', {
    timeout: 180_000,
  }, async () => {
    const [first, second] = handbookPages(2, { from: 12, charsPerPage: 700 });
    const textPdf = await makeTextPdf([first!, second!]);
    const [textOfFirst, reference] = await pageTexts(textPdf);
    // Page 1 keeps its text layer; page 2 is a 300-dpi scan of the second page, whose only text
    // is the page number the scanner stamped on it ("- 2 -"): it must still be read by OCR.
    const [scan] = await renderPdf(textPdf, 300, 'jpeg', [2]);
    const mixed = await makeTextPdf([first!, { image: scan!, stamp: '- 2 -' }]);

    const progress: Array<[number, number]> = [];
    const doc = await loadDocument(mixed, 'thong-bao-quet.pdf', undefined, {
      onOcrProgress: (done, total) => progress.push([done, total]),
    });

    expect(doc.format).toBe('pdf');
    expect(doc.pages).toBe(2);
    expect(doc.ocr?.pages).toEqual([{ page: 2, confidence: expect.any(Number), lowConfidence: false }]);
    expect(doc.ocr!.pages[0]!.confidence).toBeGreaterThan(80);
    expect(progress).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(characterErrorRate(text(doc.blocks, 1), textOfFirst!)).toBeLessThan(0.01);
    // The OCR text of page 2 is page 2 of the document, with at most 3% wrong characters.
    expect(characterErrorRate(text(doc.blocks, 2), reference!)).toBeLessThan(0.03);
  });

  it('reads a photo of a page (PNG) as a one-page image document', { timeout: 180_000 }, async () => {
    const [page] = handbookPages(1, { from: 30, charsPerPage: 500 });
    const textPdf = await makeTextPdf([page!]);
    const [reference] = await pageTexts(textPdf);
    const [png] = await renderPdf(textPdf, 200);

    const doc = await loadDocument(png!, 'anh-trang-1.png');

    expect(doc.format).toBe('image');
    expect(doc.pages).toBe(1);
    expect(doc.ocr?.pages).toHaveLength(1);
    expect(doc.blocks.every((b) => b.page === undefined)).toBe(true);
    expect(characterErrorRate(text(doc.blocks), reference!)).toBeLessThan(0.03);
  });
});
