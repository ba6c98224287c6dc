import { describe, expect, it } from 'vitest';
import { IngestError, loadDocument } from '../../src/ingest/index.js';
import { makeCorruptDocx, makeDocx, sampleDocx } from '../support/make-fixtures.js';

describe('DOCX loading', () => {
  it('turns Word headings into heading blocks', async () => {
    const doc = await loadDocument(await makeDocx(), 'bang-tinh.docx');
    expect(doc.format).toBe('docx');
    expect(doc.pages).toBe(1);
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: sampleDocx.title },
      { kind: 'heading', level: 1, text: sampleDocx.heading1 },
      { kind: 'paragraph', text: sampleDocx.heading1Body },
      { kind: 'heading', level: 2, text: sampleDocx.heading2 },
      { kind: 'paragraph', text: sampleDocx.heading2Body },
      { kind: 'heading', level: 1, text: sampleDocx.heading1b },
      { kind: 'paragraph', text: sampleDocx.heading1bBody },
    ]);
  });

  it('takes the title from the Word Title paragraph', async () => {
    expect((await loadDocument(await makeDocx(), 'bang-tinh.docx')).title).toBe(sampleDocx.title);
  });

  it('refuses a truncated DOCX with corrupt_file', async () => {
    const error = await loadDocument(await makeCorruptDocx(), 'hong.docx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).code).toBe('corrupt_file');
    expect((error as IngestError).messageVi).not.toBe('');
  });
});
