import { describe, expect, it } from 'vitest';
import { loadDocument, preloadPdfEngine } from '../../src/ingest/index.js';
import { nativePush } from '../../src/ingest/native-push.js';
import { makeVietnamesePdf } from '../support/make-fixtures.js';

describe('pdf.js and Array.prototype.push', () => {
  it("leaves V8's own push in place after loading pdf.js and reading a PDF (regression: 17x slower push)", async () => {
    expect(Array.prototype.push).toBe(nativePush);
    await preloadPdfEngine();
    expect(Array.prototype.push).toBe(nativePush);
    const doc = await loadDocument(await makeVietnamesePdf(), 'tin-hoc.pdf');
    expect(doc.pages).toBe(3);
    expect(Array.prototype.push).toBe(nativePush);
    expect(String(Array.prototype.push)).toContain('[native code]');
  });
});
