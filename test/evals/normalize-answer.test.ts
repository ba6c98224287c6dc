import { describe, expect, it } from 'vitest';
import { answerTokens, containsPhrase, normalizeAnswer, stripCitations } from '../../evals/lib/normalize-answer.js';

describe('normalizeAnswer', () => {
  it('folds diacritics, đ and case, and drops punctuation and citation markers', () => {
    expect(normalizeAnswer('Học phí: 350.000 đồng/tháng [1].')).toBe('hoc phi 350000 dong thang');
    expect(normalizeAnswer('ĐỊA CHỈ — Phòng A101!')).toBe('dia chi phong a101');
  });

  it('treats composed and decomposed Unicode alike (NFC)', () => {
    const decomposed = 'Ho\u0323c phi\u0301';
    expect(decomposed).not.toBe('Học phí');
    expect(normalizeAnswer(decomposed)).toBe(normalizeAnswer('Học phí'));
  });

  it('treats both tone-mark placements alike when diacritics are kept', () => {
    expect(normalizeAnswer('Hòa An', { fold: false })).toBe(normalizeAnswer('Hoà An', { fold: false }));
    expect(normalizeAnswer('thúy', { fold: false })).toBe(normalizeAnswer('thuý', { fold: false }));
    expect(normalizeAnswer('học phí', { fold: false })).toBe('học phí');
  });

  it('writes numbers one way: thousands separators dropped, decimal comma as a dot', () => {
    expect(normalizeAnswer('1.350.000 đồng')).toBe('1350000 dong');
    expect(normalizeAnswer('2,000,000 VND')).toBe('2000000 vnd');
    expect(normalizeAnswer('điểm 7,5')).toBe('diem 7.5');
    expect(normalizeAnswer('7.5 points')).toBe('7.5 points');
    expect(normalizeAnswer('04/01/2027, 8h35-8h55')).toBe('04 01 2027 8h35 8h55');
  });

  it('strips every citation form the citation filter accepts', () => {
    expect(stripCitations('a [1] b [1, 3] c ［２］').replace(/\s+/g, ' ').trim()).toBe('a b c');
  });
});

describe('containsPhrase', () => {
  it('matches whole normalised tokens only', () => {
    expect(containsPhrase('Học phí là 350.000 đồng mỗi tháng.', '350000 dong')).toBe(true);
    expect(containsPhrase('Phòng A1010', 'A101')).toBe(false);
    expect(containsPhrase('anything', '  ')).toBe(false);
  });
});

describe('answerTokens', () => {
  it('splits Vietnamese into syllables and drops English articles', () => {
    expect(answerTokens('Thư viện mở cửa', 'vi')).toEqual(['thu', 'vien', 'mo', 'cua']);
    expect(answerTokens('The library is open on a Saturday', 'en')).toEqual(['library', 'is', 'open', 'on', 'saturday']);
  });
});
