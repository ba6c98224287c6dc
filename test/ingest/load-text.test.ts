import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/ingest/index.js';
import { makeUtf16BeText, makeUtf16LeText, sampleUtf16Text } from '../support/make-fixtures.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('plain-text loading', () => {
  it('splits paragraphs at blank lines and joins wrapped lines', async () => {
    const doc = await loadDocument(utf8('Dòng một\nvẫn đoạn một.\n\n\nĐoạn hai.\r\n\r\nĐoạn ba.'), 'ghi-chu.txt');
    expect(doc.blocks).toEqual([
      { kind: 'paragraph', text: 'Dòng một vẫn đoạn một.' },
      { kind: 'paragraph', text: 'Đoạn hai.' },
      { kind: 'paragraph', text: 'Đoạn ba.' },
    ]);
    expect(doc.title).toBe('Dòng một');
  });

  it('treats an all-caps first line as a heading', async () => {
    const doc = await loadDocument(utf8('BÀI 2. SỐ NGUYÊN TỐ\nSố nguyên tố chỉ chia hết cho 1 và chính nó.'), 'bai2.txt');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'BÀI 2. SỐ NGUYÊN TỐ' },
      { kind: 'paragraph', text: 'Số nguyên tố chỉ chia hết cho 1 và chính nó.' },
    ]);
    expect(doc.title).toBe('BÀI 2. SỐ NGUYÊN TỐ');
  });

  it('treats underlined lines as headings', async () => {
    const doc = await loadDocument(utf8('Địa lý 12\n=========\n\nVùng núi\n--------\nĐịa hình cao.'), 'dia.txt');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Địa lý 12' },
      { kind: 'heading', level: 2, text: 'Vùng núi' },
      { kind: 'paragraph', text: 'Địa hình cao.' },
    ]);
  });

  it('uses the file name as title when the first line is long', async () => {
    const doc = await loadDocument(utf8(`${'Một câu rất dài. '.repeat(10)}\n\nĐoạn hai.`), 'thu-muc/bai-doc.txt');
    expect(doc.title).toBe('bai-doc');
  });

  it('decodes UTF-16 text with a BOM', async () => {
    for (const bytes of [makeUtf16LeText(), makeUtf16BeText()]) {
      const doc = await loadDocument(bytes, 'ghi-chu-utf16.txt');
      expect(doc.format).toBe('text');
      expect(doc.blocks.map((b) => b.text)).toEqual(sampleUtf16Text.split('\n\n'));
    }
  });

  it('strips a UTF-8 BOM', async () => {
    const doc = await loadDocument(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Xin chào')]), 'a.txt');
    expect(doc.blocks).toEqual([{ kind: 'paragraph', text: 'Xin chào' }]);
  });
});
