import { beforeAll, describe, expect, it } from 'vitest';
import { IngestError, loadDocument, preloadPdfEngine, type LoadedDocument } from '../../src/ingest/index.js';
import {
  makeCorruptPdf,
  makeEncryptedPdf,
  makeScannedPdf,
  makeTextbookPdf,
  makeVietnamesePdf,
  samplePdfPages,
  samplePdfRunningHeader,
  samplePdfTitle,
} from '../support/make-fixtures.js';

/** Rejection of `promise` as an IngestError (fails the test on anything else). */
async function rejection(promise: Promise<unknown>): Promise<IngestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).messageVi.length).toBeGreaterThan(0);
  expect((error as IngestError).message.length).toBeGreaterThan(0);
  return error as IngestError;
}

describe('PDF loading', () => {
  let sample: LoadedDocument;

  beforeAll(async () => {
    sample = await loadDocument(await makeVietnamesePdf(), 'tin-hoc.pdf');
  });

  it('reads a Vietnamese PDF with its page count and metadata title', () => {
    expect(sample.format).toBe('pdf');
    expect(sample.pages).toBe(3);
    expect(sample.title).toBe(samplePdfTitle);
  });

  it('keeps page numbers of a PDF', () => {
    samplePdfPages.forEach((page, index) => {
      for (const paragraph of page.paragraphs) {
        const block = sample.blocks.find((b) => b.kind === 'paragraph' && b.text === paragraph);
        expect(block, paragraph).toBeDefined();
        expect(block?.page).toBe(index + 1);
      }
    });
    expect(sample.blocks.every((b) => b.page !== undefined)).toBe(true);
  });

  it('rebuilds whole paragraphs from wrapped PDF lines', () => {
    const paragraphs = sample.blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text);
    expect(paragraphs).toEqual(samplePdfPages.flatMap((p) => p.paragraphs));
  });

  it('turns chapter and numbered section lines into heading blocks with their page', () => {
    const headings = sample.blocks.filter((b) => b.kind === 'heading');
    expect(headings.map((h) => [h.text, h.page])).toEqual(samplePdfPages.map((p, i) => [p.heading, i + 1]));
    expect(headings.map((h) => (h.kind === 'heading' ? h.level : 0))).toEqual([1, 2, 1]);
  });

  it('drops the running header and the "Trang N" footers', () => {
    const all = sample.blocks.map((b) => b.text).join('\n');
    expect(all).not.toContain(samplePdfRunningHeader);
    expect(all).not.toMatch(/Trang \d/);
  });

  it('keeps Vietnamese text in NFC', () => {
    for (const block of sample.blocks) expect(block.text).toBe(block.text.normalize('NFC'));
  });

  it('falls back to the first heading for the title when metadata has none', async () => {
    const doc = await loadDocument(await makeTextbookPdf(2, { withMetadataTitle: false }), 'khong-ten.pdf');
    expect(doc.title).toBe(samplePdfPages[0]?.heading);
  });

  it('refuses a password-protected PDF with encrypted_pdf', async () => {
    expect((await rejection(loadDocument(await makeEncryptedPdf(), 'mat-khau.pdf'))).code).toBe('encrypted_pdf');
  });

  it('refuses a PDF over the page limit with too_many_pages', async () => {
    const pdf = await makeTextbookPdf(6);
    const error = await rejection(loadDocument(pdf, 'sau-trang.pdf', { maxBytes: 10_000_000, maxPages: 5 }));
    expect(error.code).toBe('too_many_pages');
  });

  it('accepts a PDF exactly at the page limit', async () => {
    const doc = await loadDocument(await makeTextbookPdf(5), 'nam-trang.pdf', { maxBytes: 10_000_000, maxPages: 5 });
    expect(doc.pages).toBe(5);
  });

  // Its 2 pages are read by OCR first (finding no text): seconds, more on a loaded machine.
  it('refuses an image-only scanned PDF with no_text_layer (OCR finds no text either)', { timeout: 120_000 }, async () => {
    expect((await rejection(loadDocument(await makeScannedPdf(), 'ban-scan.pdf'))).code).toBe('no_text_layer');
  });

  it('refuses a truncated PDF with corrupt_file', async () => {
    expect((await rejection(loadDocument(makeCorruptPdf(), 'hong.pdf'))).code).toBe('corrupt_file');
  });

  it('refuses a PDF cut off halfway through with corrupt_file or a partial read, never a raw error', async () => {
    const whole = await makeVietnamesePdf();
    const half = whole.slice(0, Math.floor(whole.length / 2));
    const outcome = await loadDocument(half, 'nua.pdf').then(
      (doc) => doc.format,
      (e: unknown) => (e instanceof IngestError ? e.code : 'raw error'),
    );
    expect(['pdf', 'corrupt_file', 'no_text_layer']).toContain(outcome);
  });

  it("leaves the caller's bytes intact (pdf.js detaches the array it is given)", async () => {
    const pdf = await makeVietnamesePdf();
    const length = pdf.length;
    await loadDocument(pdf, 'a.pdf');
    expect(pdf.length).toBe(length);
  });

  // Speed (pages per second) is measured by `npm run bench`, not asserted here.
  it('reads every page of a 20-page PDF, after a warm-up, keeping page numbers', async () => {
    await preloadPdfEngine();
    const doc = await loadDocument(await makeTextbookPdf(20), 'hai-muoi-trang.pdf');
    expect(doc.pages).toBe(20);
    const pages = new Set(doc.blocks.map((b) => b.page ?? 0));
    expect(pages.size).toBe(20);
    expect(Math.min(...pages)).toBe(1);
    expect(Math.max(...pages)).toBe(20);
  });
});
