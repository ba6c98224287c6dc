import { describe, expect, it } from 'vitest';
import { validityNote } from '../../src/answer/index.js';
import { addDays, isValidOn, matchScore, matchTerms, todayOf, validityStatus } from '../../src/verified/index.js';
import { swappedTerms } from '../../src/verified/match-score.js';

const folded = (text: string) => matchTerms(text).map((t) => t.folded);

describe('matchTerms', () => {
  it('drops asking and polite words, keeps matter, and reads a question typed without marks the same', () => {
    expect(folded('Cho em hỏi lịch thi B1 là ngày nào ạ?')).toEqual(['lich', 'thi', 'b1', 'ngay']);
    expect(folded('cho em hoi lich thi b1 la ngay nao a')).toEqual(['lich', 'thi', 'b1', 'ngay']);
  });
  it('keeps a word of matter that folds onto a filler word: "tối" (evening), "chứng chỉ", "ôn"', () => {
    expect(folded('lop buoi toi hoc may gio')).toContain('toi');
    expect(folded('nhan chung chi o dau')).toEqual(['nhan', 'chung', 'chi']);
    expect(folded('Lịch học ôn thi')).toContain('on');
  });
  it('makes a few synonyms one, on both sides', () => {
    expect(folded('sdt phong giao vu')).toEqual(folded('số điện thoại phòng giáo vụ'));
  });
});

describe('matchScore and swappedTerms', () => {
  const weights = (terms: string[]) => new Map(terms.map((t) => [t, 1]));
  it('is 1 for the same terms, 0 for none shared, and lower when the learner adds matter', () => {
    expect(matchScore(weights(['hoc', 'phi']), weights(['hoc', 'phi']))).toBeCloseTo(1);
    expect(matchScore(weights(['xe']), weights(['hoc', 'phi']))).toBe(0);
    expect(matchScore(weights(['hoc', 'phi', 'nhat']), weights(['hoc', 'phi']))).toBeLessThan(matchScore(weights(['hoc']), weights(['hoc', 'phi'])));
  });
  it('counts a word swapped for another in the same place, not a word left out', () => {
    expect(swappedTerms(['tieng', 'nhat', 'giao', 'tiep'], ['tieng', 'anh', 'giao', 'tiep'])).toBe(1);
    expect(swappedTerms(['dang', 'ky', 'hoc', 'lai', 'mon', 'tin', 'hoc'], ['dang', 'ky', 'thi', 'lai', 'mon', 'tin', 'hoc'])).toBeGreaterThan(0);
    expect(swappedTerms(['tieng', 'anh', 'giao', 'tiep'], ['hoc', 'phi', 'tieng', 'anh', 'giao', 'tiep'])).toBe(0);
  });
});

describe('validity dates', () => {
  it('reads today in Vietnam (UTC+7) and includes both ends', () => {
    expect(todayOf(new Date('2026-03-31T16:59:59Z'))).toBe('2026-03-31');
    expect(todayOf(new Date('2026-03-31T17:00:00Z'))).toBe('2026-04-01');
    expect(isValidOn({ validFrom: '2026-04-01', validUntil: '2026-04-30' }, '2026-04-01')).toBe(true);
    expect(isValidOn({ validFrom: '2026-04-01', validUntil: '2026-04-30' }, '2026-04-30')).toBe(true);
    expect(validityStatus({ validFrom: null, validUntil: '2026-04-30' }, '2026-05-01')).toBe('expired');
    expect(validityStatus({ validFrom: '2026-04-01', validUntil: null }, '2026-03-31')).toBe('not_yet_valid');
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
  });
  it('says the dates an answer is valid for, in the learner\'s language', () => {
    expect(validityNote({ validFrom: null, validUntil: '2026-12-31' }, 'vi')).toBe('\n\nThông tin này có hiệu lực đến ngày 31/12/2026.');
    expect(validityNote({ validFrom: '2026-01-05', validUntil: '2026-12-31' }, 'en')).toBe('\n\nThis information is valid from 5 January 2026 until 31 December 2026.');
    expect(validityNote({ validFrom: null, validUntil: null }, 'vi')).toBe('');
  });
});
