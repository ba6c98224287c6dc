import { describe, expect, it } from 'vitest';
import { validityNote } from '../../src/answer/index.js';
import { addDays, isValidOn, matchScore, matchTerms, todayOf, validityStatus } from '../../src/verified/index.js';
import { swappedTerms } from '../../src/verified/match-score.js';
import { defaultMatchSettings, numbersDisagree, VerifiedMatcher, type MatcherDeps } from '../../src/verified/verified-matcher.js';
import type { VerifiedAnswer } from '../../src/store/index.js';

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
    expect(matchScore(weights(['hoc', 'phi', 'nhat']), weights(['hoc', 'phi']))).toBeLessThan(
      matchScore(weights(['hoc']), weights(['hoc', 'phi'])),
    );
  });
  it('counts a word swapped for another in the same place, not a word left out', () => {
    expect(swappedTerms(['tieng', 'nhat', 'giao', 'tiep'], ['tieng', 'anh', 'giao', 'tiep'])).toBe(1);
    expect(
      swappedTerms(['dang', 'ky', 'hoc', 'lai', 'mon', 'tin', 'hoc'], ['dang', 'ky', 'thi', 'lai', 'mon', 'tin', 'hoc']),
    ).toBeGreaterThan(0);
    expect(swappedTerms(['tieng', 'anh', 'giao', 'tiep'], ['hoc', 'phi', 'tieng', 'anh', 'giao', 'tiep'])).toBe(0);
  });
});

describe('VerifiedMatcher', () => {
  // Exact forms (`=`-prefixed) are rarer than their folded form, as in real materials.
  const deps: MatcherDeps = { idf: (term) => (term.startsWith('=') ? 4 : 1.5), maxIdf: 6 };
  const answer = (id: string, question: string): VerifiedAnswer => ({
    id,
    centerId: 'default',
    question,
    answer: `answer ${id}`,
    phrasings: [],
    collections: [],
    documentId: null,
    page: null,
    validFrom: null,
    validUntil: null,
    lastChecked: null,
    hitCount: 0,
    thumbsUp: 0,
    thumbsDown: 0,
    createdBy: 't',
    updatedBy: 't',
    createdAt: '',
    updatedAt: '',
  });
  const today = { today: '2026-01-01' };

  it('weighs a question typed without marks against the folded weights of the verified one', async () => {
    const answers = [answer('pickup', 'Nhận chứng chỉ ở đâu?')];
    const folded = await VerifiedMatcher.build(answers, deps, { ...defaultMatchSettings, foldUnmarked: true });
    const mixed = await VerifiedMatcher.build(answers, deps, { ...defaultMatchSettings, foldUnmarked: false });
    expect((await folded.scores('nhan chung chi o dau', today))[0]!.score).toBeCloseTo(1);
    expect((await mixed.scores('nhan chung chi o dau', today))[0]!.score).toBeLessThan(0.9);
    expect((await folded.scores('Nhận chứng chỉ ở đâu', today))[0]!.score).toBeCloseTo(1);
  });

  it('never matches a question naming another term, level or year', async () => {
    expect(numbersDisagree(['han', 'hoc', 'ky', '2'], ['han', 'hoc', 'ky', '1'])).toBe(true);
    expect(numbersDisagree(['han', 'hoc', 'ky'], ['han', 'hoc', 'ky', '1'])).toBe(false);
    expect(numbersDisagree(['lich', 'thi', 'b1', '2026'], ['lich', 'thi', 'b1'])).toBe(false);
    const matcher = await VerifiedMatcher.build([answer('hk1', 'Hạn nộp học phí học kỳ 1 là ngày nào?')], deps, {
      ...defaultMatchSettings,
      threshold: 0,
    });
    expect(await matcher.match('Hạn nộp học phí học kỳ 2 là ngày nào?', today)).toBeNull();
    expect((await matcher.match('han nop hoc phi hoc ky 1', today))?.answer.id).toBe('hk1');
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
  it("says the dates an answer is valid for, in the learner's language", () => {
    expect(validityNote({ validFrom: null, validUntil: '2026-12-31' }, 'vi')).toBe('\n\nThông tin này có hiệu lực đến ngày 31/12/2026.');
    expect(validityNote({ validFrom: '2026-01-05', validUntil: '2026-12-31' }, 'en')).toBe(
      '\n\nThis information is valid from 5 January 2026 until 31 December 2026.',
    );
    expect(validityNote({ validFrom: null, validUntil: null }, 'vi')).toBe('');
  });
});
