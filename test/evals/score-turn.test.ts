import { describe, expect, it } from 'vitest';
import { answerContains, expectedPattern, foldForMatch, scoreTurn } from '../../evals/lib/score-turn.js';

describe('foldForMatch', () => {
  it('folds case, diacritics, đ, tone-mark placement and citation markers', () => {
    expect(foldForMatch('Học phí: 350.000 ĐỒNG/tháng [1].')).toBe('hoc phi 350.000 dong thang .');
    expect(foldForMatch('Hoà An')).toBe(foldForMatch('Hòa An'));
    expect(foldForMatch('Ho\u0323c phi\u0301')).toBe('hoc phi');
  });

  it('keeps the characters that make a reference specific: $ @ %', () => {
    expect(foldForMatch('=E2*$H$1')).toBe('e2 $h$1');
    expect(foldForMatch('tuyensinh@gdtxhoaan.edu.vn')).toBe('tuyensinh@gdtxhoaan.edu.vn');
    expect(foldForMatch('150% giá bìa')).toBe('150% gia bia');
  });
});

describe('answerContains', () => {
  it('forgives the spacing and separators inside a number', () => {
    for (const answer of ['Học phí 350.000 đồng', 'Học phí 350 000 đồng', 'fee 350,000 VND', 'phí 350000đ']) {
      expect(answerContains(answer, '350.000'), answer).toBe(true);
    }
    expect(answerContains('Gọi 02633812582 nhé', '0263 3 812 582')).toBe(true);
    expect(answerContains('Gọi 0263.3812.582', '0263 3 812 582')).toBe(true);
  });

  it('does not find a number inside a longer one', () => {
    expect(answerContains('tổng cộng 3.150.000 đồng', '150.000')).toBe(false);
    expect(answerContains('lệ phí 2.000.000 đồng', '2.000')).toBe(false);
    expect(answerContains('lúc 17h00', '7h00')).toBe(false);
    expect(answerContains('phòng A1015', 'A101')).toBe(false);
    expect(answerContains('nộp 2.000 đồng/cuốn/ngày', '2.000')).toBe(true);
  });

  it('matches diacritics and case loosely but letters and digits exactly', () => {
    expect(answerContains('Thủ thư là bà ĐỖ THỊ HỒNG NHUNG.', 'Đỗ Thị Hồng Nhung')).toBe(true);
    expect(answerContains('thu thu la do thi hong nhung', 'Đỗ Thị Hồng Nhung')).toBe(true);
    expect(answerContains('mở từ 7 giờ 00', '7h00')).toBe(false);
    expect(answerContains('opens at 7:00', '7h00')).toBe(false);
    expect(answerContains('opens at 7:00', '7:00')).toBe(true);
    expect(answerContains('mở cửa 7h00-11h30', '7h00')).toBe(true);
  });

  it('finds the text only in the first `within` characters', () => {
    const answer = `${'Trung tâm có nhiều phòng. '.repeat(20)}Phòng kế toán là A104.`;
    expect(answer.indexOf('A104')).toBeGreaterThan(400);
    expect(answerContains(answer, 'A104')).toBe(false);
    expect(answerContains(answer, 'A104', 1000)).toBe(true);
  });

  it('never matches an expected string without a letter or digit', () => {
    expect(expectedPattern(' . , ')).toBeNull();
    expect(answerContains('anything . , at all', ' . , ')).toBe(false);
  });
});

describe('scoreTurn', () => {
  const fee = { any: ['350.000'] };

  it('scores a decline right only when the service declined', () => {
    expect(scoreTurn('decline', { answer: 'Tài liệu chưa có thông tin này.', answerable: false })).toEqual({
      correct: true,
      verdict: 'declined',
    });
    expect(scoreTurn('decline', { answer: 'Paris là thủ đô.', answerable: true })).toEqual({ correct: false, verdict: 'not-declined' });
  });

  it('scores an answer right when it leads with one of `any`', () => {
    expect(scoreTurn(fee, { answer: 'Học phí là 350.000 đồng/tháng [1].', answerable: true }).verdict).toBe('answered');
    expect(scoreTurn({ any: ['A301', 'phòng A301'] }, { answer: 'Lớp EA học ở phòng A301.', answerable: true }).correct).toBe(true);
  });

  it('tells a decline of an answerable turn from an answer without the fact', () => {
    expect(scoreTurn(fee, { answer: 'Tài liệu chưa có thông tin này.', answerable: false }).verdict).toBe('wrongly-declined');
    expect(scoreTurn(fee, { answer: 'Học phí được nộp tại phòng A104.', answerable: true }).verdict).toBe('missing-fact');
    // The fact is in the text, but the service said it could not answer: still wrong.
    expect(scoreTurn(fee, { answer: '350.000', answerable: false }).correct).toBe(false);
  });

  it('needs every `all` string as well', () => {
    const expect2 = { any: ['A101'], all: ['7h00'] };
    expect(scoreTurn(expect2, { answer: 'Nộp ở phòng A101.', answerable: true }).correct).toBe(false);
    expect(scoreTurn(expect2, { answer: 'Nộp ở phòng A101, từ 7h00.', answerable: true }).correct).toBe(true);
  });

  it('applies `within` per turn', () => {
    const late = `${'x '.repeat(60)}350.000`;
    expect(scoreTurn({ any: ['350.000'], within: 50 }, { answer: late, answerable: true }).correct).toBe(false);
    expect(scoreTurn({ any: ['350.000'] }, { answer: late, answerable: true }).correct).toBe(true);
  });
});
