import { readFileSync } from 'node:fs';
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

describe('titles of official letters (thông báo, quyết định…)', () => {
  it('titles the shipped holiday notice after its kind and subject, not the department in its header', async () => {
    const doc = await loadDocument(
      readFileSync(new URL('../../corpus/thong-bao-lich-nghi-le.txt', import.meta.url)),
      'thong-bao-lich-nghi-le.txt',
    );
    expect(doc.title).toBe('Thông báo: Lịch nghỉ lễ, Tết năm học 2026-2027');
    // The title is the first heading; the header is kept as text, not as a section name.
    expect(doc.blocks[0]).toEqual({
      kind: 'paragraph',
      text: 'SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HÒA AN TRUNG TÂM GIÁO DỤC THƯỜNG XUYÊN TỈNH HÒA AN Số: 45/TB-TTGDTX TP. Hòa An, ngày 24 tháng 8 năm 2026',
    });
    expect(doc.blocks[1]).toEqual({ kind: 'heading', level: 1, text: 'Thông báo: Lịch nghỉ lễ, Tết năm học 2026-2027' });
    expect(doc.blocks[2]?.text).toMatch(/^Trung tâm thông báo đến toàn thể học viên/);
    expect(doc.blocks.filter((b) => b.kind === 'heading')).toHaveLength(1);
  });

  it('reads a two-column header (body left, motto right) and a "Về việc" subject', async () => {
    const text = [
      'UBND TỈNH HÒA AN                         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'TRUNG TÂM GDTX TỈNH HÒA AN                    Độc lập - Tự do - Hạnh phúc',
      '',
      'Số: 12/QĐ-TTGDTX                      Hòa An, ngày 5 tháng 9 năm 2026',
      '',
      'QUYẾT ĐỊNH',
      'Về việc ban hành quy chế thi cuối khóa',
      '',
      'Căn cứ Thông tư số 10/2021/TT-BGDĐT;',
      'Điều 1. Ban hành kèm theo quyết định này quy chế thi cuối khóa.',
    ].join('\n');
    const doc = await loadDocument(utf8(text), 'qd-12.txt');
    expect(doc.title).toBe('Quyết định về việc ban hành quy chế thi cuối khóa');
    expect(doc.blocks.map((b) => b.kind)).toEqual(['paragraph', 'heading', 'paragraph']);
    expect(doc.blocks[2]?.text).toBe(
      'Căn cứ Thông tư số 10/2021/TT-BGDĐT; Điều 1. Ban hành kèm theo quyết định này quy chế thi cuối khóa.',
    );
  });

  it('keeps a kind line that carries its own subject, and does not take "Kính gửi" as a subject', async () => {
    const withSubject = await loadDocument(
      utf8('SỞ GIÁO DỤC VÀ ĐÀO TẠO\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nKẾ HOẠCH ÔN THI TỐT NGHIỆP 2027\n\nNội dung.'),
      'kh.txt',
    );
    expect(withSubject.title).toBe('KẾ HOẠCH ÔN THI TỐT NGHIỆP 2027');
    const addressed = await loadDocument(
      utf8('TRUNG TÂM GDTX TỈNH HÒA AN\nGIẤY MỜI\nKính gửi: Quý phụ huynh học viên\nMời dự họp.'),
      'moi.txt',
    );
    expect(addressed.title).toBe('GIẤY MỜI');
  });

  it('takes the first line after the header when no kind of document is named', async () => {
    const doc = await loadDocument(
      utf8('SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HÒA AN\nĐộc lập – Tự do – Hạnh phúc\n----------\nLịch trực thư viện tháng 9\n\nThứ Hai: cô Lan.'),
      'truc.txt',
    );
    expect(doc.title).toBe('Lịch trực thư viện tháng 9');
  });

  it('reads a công văn\'s "V/v" subject, and falls back to the file name rather than an addressee', async () => {
    const cv = await loadDocument(
      utf8('TRUNG TÂM GDTX TỈNH HÒA AN\nSố: 7/TTGDTX-ĐT\nV/v đăng ký thi nghề phổ thông\n\nKính gửi: Các lớp 11.\n\nTrung tâm đề nghị…'),
      'cv-7.txt',
    );
    expect(cv.title).toBe('Về việc đăng ký thi nghề phổ thông');
    const noTitle = await loadDocument(
      utf8('SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HÒA AN\n\nKính gửi: Quý phụ huynh học viên\n\nTrung tâm xin thông báo…'),
      'thu-gui-phu-huynh.txt',
    );
    expect(noTitle.title).toBe('thu-gui-phu-huynh');
    expect(noTitle.blocks.map((b) => b.kind)).toEqual(['paragraph', 'paragraph', 'paragraph']);
  });

  it('leaves a text that does not open with a header as before: an all-caps first line is the title', async () => {
    const doc = await loadDocument(utf8('THÔNG BÁO NGHỈ HỌC\nLớp 10A nghỉ ngày mai.'), 'tb.txt');
    expect(doc.title).toBe('THÔNG BÁO NGHỈ HỌC');
    expect(doc.blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'THÔNG BÁO NGHỈ HỌC' });
  });
});
