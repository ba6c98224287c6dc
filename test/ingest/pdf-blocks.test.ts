import { describe, expect, it } from 'vitest';
import { headingLevelOf, pdfPagesToBlocks } from '../../src/ingest/pdf-blocks.js';

const ordinals = ['không', 'một', 'hai', 'ba', 'bốn', 'năm'];
/** A full-width body line, different on each call site (words, not digits, which headers mask). */
const body = (n: number): string =>
  `Đây là dòng nội dung thứ ${ordinals[n] ?? n} của giáo trình, đủ dài để chiếm gần hết bề rộng trang giấy A4`;

describe('pdfPagesToBlocks', () => {
  it('joins the wrapped lines of a paragraph and splits after a short sentence end', () => {
    const blocks = pdfPagesToBlocks([{ num: 1, text: `${body(1)}\n${body(2)}\nvà kết thúc ở đây.\n${body(3)}\nhết đoạn hai.` }]);
    expect(blocks).toEqual([
      { kind: 'paragraph', text: `${body(1)} ${body(2)} và kết thúc ở đây.`, page: 1 },
      { kind: 'paragraph', text: `${body(3)} hết đoạn hai.`, page: 1 },
    ]);
  });

  it('undoes end-of-line hyphenation but keeps real hyphens', () => {
    const [block] = pdfPagesToBlocks([
      { num: 1, text: `${body(1)} hệ điều hành Win-\ndows, Linux và phần mềm mã nguồn mở của Hà Nội-\nTP HCM.` },
    ]);
    expect(block?.text).toContain('Windows, Linux');
    expect(block?.text).toContain('Hà Nội- TP HCM.');
  });

  it('drops "Trang N" / "Page N" footers and headers repeated on most pages', () => {
    const pages = [1, 2, 3, 4].map((num) => ({
      num,
      text: `Giáo trình Toán 9 – Chương ${num}\n${body(num)}\nkết thúc trang.\n${num % 2 ? `Trang ${num}` : `Page ${num} of 4`}`,
    }));
    const blocks = pdfPagesToBlocks(pages);
    const texts = blocks.map((b) => b.text).join('\n');
    expect(texts).not.toMatch(/Giáo trình Toán 9/);
    expect(texts).not.toMatch(/Trang \d|Page \d/);
    expect(blocks.map((b) => b.page)).toEqual([1, 2, 3, 4]);
  });

  it('keeps a repeated line on a 2-page handout, where it cannot be told from content', () => {
    const pages = [1, 2].map((num) => ({ num, text: `Phiếu bài tập\n${body(num)}\nhết.` }));
    expect(pdfPagesToBlocks(pages).map((b) => b.text)).toContain('Phiếu bài tập');
  });

  it('detects numbered, chapter and all-caps headings that are followed by text', () => {
    const blocks = pdfPagesToBlocks([
      {
        num: 2,
        text: [
          'CHƯƠNG 1',
          'Tổng quan về máy tính',
          body(1),
          'hết đoạn.',
          '1.2 Hệ điều hành',
          body(2),
          'hết đoạn.',
          'I. MỤC TIÊU',
          body(3),
          'hết đoạn.',
          'BÀI TẬP CUỐI CHƯƠNG',
          body(4),
          'hết đoạn.',
        ].join('\n'),
      },
    ]);
    const headings = blocks.filter((b) => b.kind === 'heading');
    expect(headings).toEqual([
      { kind: 'heading', level: 1, text: 'CHƯƠNG 1. Tổng quan về máy tính', page: 2 },
      { kind: 'heading', level: 2, text: '1.2 Hệ điều hành', page: 2 },
      { kind: 'heading', level: 2, text: 'I. MỤC TIÊU', page: 2 },
      { kind: 'heading', level: 1, text: 'BÀI TẬP CUỐI CHƯƠNG', page: 2 },
    ]);
  });

  it('does not merge the first body line into a bare "Chương N" heading', () => {
    const blocks = pdfPagesToBlocks([{ num: 1, text: `Chương 3\n${body(1)}\nhết đoạn.` }]);
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Chương 3', page: 1 },
      { kind: 'paragraph', text: `${body(1)} hết đoạn.`, page: 1 },
    ]);
  });

  it('does not turn sentences, list items or a trailing line into headings', () => {
    expect(headingLevelOf('Bài 3 yêu cầu học sinh giải phương trình')).toBeUndefined();
    expect(headingLevelOf('1. Cho x = 0, tính y.')).toBeUndefined();
    expect(headingLevelOf('Mục lục của giáo trình')).toBeUndefined();
    expect(headingLevelOf('Kết luận:')).toBeUndefined();
    const blocks = pdfPagesToBlocks([{ num: 1, text: `${body(1)}\nhết.\nCHƯƠNG 2` }]);
    expect(blocks.every((b) => b.kind === 'paragraph')).toBe(true);
  });

  it('starts a new paragraph at each bullet or numbered item', () => {
    const blocks = pdfPagesToBlocks([{ num: 1, text: `${body(1)}\n• Bàn phím\n• Chuột máy tính\n1) Màn hình` }]);
    expect(blocks.map((b) => b.text)).toEqual([body(1), '• Bàn phím', '• Chuột máy tính', '1) Màn hình']);
  });

  it('returns no blocks for pages without text', () => {
    expect(
      pdfPagesToBlocks([
        { num: 1, text: '' },
        { num: 2, text: '  \n\t\n' },
      ]),
    ).toEqual([]);
  });
});
