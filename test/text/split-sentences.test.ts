import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/index.js';

const texts = (text: string) => splitSentences(text).map((s) => s.text);

describe('splitSentences', () => {
  it('does not end a sentence at TP., ThS., v.v. or a decimal point', () => {
    const text = 'Liên hệ ThS. Nguyễn Văn An tại TP. Hồ Chí Minh. Giá 3.5 triệu v.v. và nhiều thứ.';
    expect(texts(text)).toEqual(['Liên hệ ThS. Nguyễn Văn An tại TP. Hồ Chí Minh.', 'Giá 3.5 triệu v.v. và nhiều thứ.']);
  });

  it('keeps TS., PGS. and thousands separators inside a sentence', () => {
    expect(texts('Giảng viên: PGS. TS. Trần Bình. Học phí 1.250.000 đồng. Hết.')).toEqual([
      'Giảng viên: PGS. TS. Trần Bình.',
      'Học phí 1.250.000 đồng.',
      'Hết.',
    ]);
  });

  it('ends sentences at ! ? and …', () => {
    expect(texts('Học phí bao nhiêu? Rất rẻ! Vậy thì… Đăng ký ngay.')).toEqual([
      'Học phí bao nhiêu?',
      'Rất rẻ!',
      'Vậy thì…',
      'Đăng ký ngay.',
    ]);
  });

  it('does not split at a full stop followed by a lower-case word', () => {
    expect(texts('Xem mục 2. sau đó nộp hồ sơ.')).toEqual(['Xem mục 2. sau đó nộp hồ sơ.']);
  });

  it('gives each item of a numbered list its own sentence', () => {
    const text = 'Hồ sơ gồm:\n1. Đơn đăng ký\n2. Bản sao CMND.\n3. Hai ảnh 3x4';
    expect(texts(text)).toEqual(['Hồ sơ gồm:', '1. Đơn đăng ký', '2. Bản sao CMND.', '3. Hai ảnh 3x4']);
  });

  it('gives each item of a bulleted list its own sentence', () => {
    expect(texts('Cần mang:\n- bút\n- vở\n• máy tính')).toEqual(['Cần mang:', '- bút', '- vở', '• máy tính']);
  });

  it('joins a sentence wrapped over lines and splits at a blank line', () => {
    expect(texts('Dòng một\nvẫn câu một.\n\nĐoạn hai')).toEqual(['Dòng một\nvẫn câu một.', 'Đoạn hai']);
  });

  it('returns offsets that slice the sentence out of the source', () => {
    const sentence = fc
      .array(fc.constantFrom('học', 'phí', 'TP.', 'ThS.', '3.5', 'tháng', 'Hà', 'Nội', '350.000', 'đồng'), { minLength: 1, maxLength: 6 })
      .chain((words) => fc.constantFrom('.', '?', '!', '').map((end) => words.join(' ') + end));
    const text = fc
      .array(fc.tuple(sentence, fc.constantFrom(' ', '  ', '\n', '\n\n', '\n1. ', '\n- ')), { maxLength: 6 })
      .map((parts) => parts.map(([s, sep]) => s + sep).join(''));
    fc.assert(
      fc.property(text, (t) => {
        const out = splitSentences(t);
        let last = 0;
        for (const s of out) {
          expect(t.slice(s.start, s.end)).toBe(s.text);
          expect(s.text).toBe(s.text.trim());
          expect(s.text.length).toBeGreaterThan(0);
          expect(s.start).toBeGreaterThanOrEqual(last);
          last = s.end;
        }
        // Nothing but whitespace is lost.
        expect(
          out
            .map((s) => s.text)
            .join('')
            .replace(/\s/g, ''),
        ).toBe(t.replace(/\s/g, ''));
      }),
      { numRuns: 200 },
    );
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n ')).toEqual([]);
  });
});
