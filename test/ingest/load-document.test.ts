import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLoadLimits, IngestError, loadDocument } from '../../src/ingest/index.js';
import {
  badFileCases,
  makeEncryptedPdf,
  makeVietnamesePdf,
  writeFixtures,
  type BadFileCase,
  type FixturePaths,
} from '../support/make-fixtures.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => 'no error',
    (e: unknown) => e,
  );
  if (error === 'no error') return error;
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).messageVi.trim()).not.toBe('');
  return (error as IngestError).code;
}

// Rendered once at collection time so each case gets its own named test.
const cases: BadFileCase[] = await badFileCases();

describe('loadDocument failure codes', () => {
  // The scanned and image cases are read by OCR before they are refused: seconds each.
  it.each(cases.map((c) => [c.description, c] as const))('refuses %s with the right code', { timeout: 120_000 }, async (_, c) => {
    expect(await codeOf(loadDocument(c.bytes, c.fileName, c.limits))).toBe(c.expectedCode);
  });

  it('covers every failure code with a real bad file', () => {
    const covered = new Set(cases.map((c) => c.expectedCode));
    expect([...covered].sort()).toEqual(
      [
        'corrupt_file',
        'empty_file',
        'encrypted_pdf',
        'no_text_found',
        'no_text_layer',
        'too_large',
        'too_many_combining_marks',
        'too_many_pages',
        'unsupported_format',
      ].sort(),
    );
  });
});

describe('loadDocument', () => {
  it('refuses a file of only whitespace with empty_file', async () => {
    expect(await codeOf(loadDocument(utf8(' \n\t\r\n  \u00A0 '), 'trong.txt'))).toBe('empty_file');
    expect(await codeOf(loadDocument(utf8('\uFEFF\n\n'), 'trong.md'))).toBe('empty_file');
  });

  it('checks the size limit before parsing anything', async () => {
    const encrypted = await makeEncryptedPdf();
    const limits = { ...defaultLoadLimits, maxBytes: encrypted.length - 1 };
    expect(await codeOf(loadDocument(encrypted, 'mat-khau.pdf', limits))).toBe('too_large');
  });

  it('accepts a file exactly at the size limit', async () => {
    const bytes = utf8('Đúng giới hạn.');
    const doc = await loadDocument(bytes, 'vua.txt', { ...defaultLoadLimits, maxBytes: bytes.length });
    expect(doc.blocks).toHaveLength(1);
  });

  it('normalises text to NFC and removes control characters', async () => {
    const decomposed = 'Tie\u0302\u0301ng Vie\u0323\u0302t'; // "Tiếng Việt" with combining marks
    const doc = await loadDocument(utf8(`${decomposed}\u0007 co\u0301\u200B   da\u0302\u0301u\u001B`), 'a.txt');
    expect(doc.blocks).toEqual([{ kind: 'paragraph', text: 'Tiếng Việt có dấu' }]);
    expect(doc.title).toBe('Tiếng Việt có dấu');
  });

  it('sets pages to 1 for non-PDF formats and to the page count for PDFs', async () => {
    expect((await loadDocument(utf8('Một trang.'), 'a.txt')).pages).toBe(1);
    expect((await loadDocument(await makeVietnamesePdf(), 'a.pdf')).pages).toBe(3);
  });

  it('never lets a raw exception escape, whatever the bytes and name', async () => {
    const names = ['a.pdf', 'a.docx', 'a.md', 'a.html', 'a.txt', 'a', 'a.xyz'];
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...names), async (bytes, name) => {
        const outcome = await loadDocument(bytes, name).then(
          () => 'ok',
          (e: unknown) => (e instanceof IngestError ? 'ingest error' : `raw: ${String(e)}`),
        );
        expect(outcome).not.toMatch(/^raw/);
      }),
      { numRuns: 150 },
    );
  });

  it('never lets a raw exception escape for damaged PDF prefixes', async () => {
    const pdf = await makeVietnamesePdf();
    for (const cut of [10, 100, 1000, Math.floor(pdf.length * 0.3), pdf.length - 200]) {
      const outcome = await loadDocument(pdf.slice(0, cut), 'cat.pdf').then(
        () => 'ok',
        (e: unknown) => (e instanceof IngestError ? e.code : `raw: ${String(e)}`),
      );
      expect(outcome, `cut at ${cut}`).not.toMatch(/^raw/);
    }
  });
});

describe('fixtures on disk', () => {
  let dir: string;
  let paths: FixturePaths;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trogiang-ingest-'));
    paths = await writeFixtures(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the written good fixtures from their paths', async () => {
    for (const key of ['samplePdf', 'docx', 'utf16le', 'hostileHtml', 'markdown'] as const) {
      const path = paths[key];
      const doc = await loadDocument(new Uint8Array(await readFile(path)), path);
      expect(doc.blocks.length, key).toBeGreaterThan(0);
    }
  });

  it('refuses the written bad fixtures', { timeout: 120_000 }, async () => {
    const expected: Partial<Record<keyof FixturePaths, string>> = {
      encryptedPdf: 'encrypted_pdf',
      scannedPdf: 'no_text_layer',
      corruptPdf: 'corrupt_file',
      corruptDocx: 'corrupt_file',
      pngAsPdf: 'no_text_found',
      empty: 'empty_file',
      invalidUtf8: 'corrupt_file',
    };
    for (const [key, code] of Object.entries(expected) as Array<[keyof FixturePaths, string]>) {
      const path = paths[key];
      expect(await codeOf(loadDocument(new Uint8Array(await readFile(path)), path)), key).toBe(code);
    }
    const long = new Uint8Array(await readFile(paths.longPdf));
    expect(await codeOf(loadDocument(long, paths.longPdf, { ...defaultLoadLimits, maxPages: 5 }))).toBe('too_many_pages');
  });
});
