import { describe, expect, it } from 'vitest';
import { answerabilityTerms, salientTerms } from '../../src/retrieve/index.js';
import { tokenize } from '../../src/text/index.js';

describe('salientTerms', () => {
  it('a name qualified by "của" comes with the phrase it qualifies, in question order (issue 14)', () => {
    expect(salientTerms('Thủ đô của Pháp là gì?')).toEqual([{ term: 'phap', neighbours: ['thu', 'do'], possessive: true }]);
  });

  it('a name right after lower-case words is attached to them; "Mỹ" is a name, not the question word "my"', () => {
    expect(salientTerms('Ai là tổng thống Mỹ?')).toEqual([{ term: 'my', neighbours: ['tong', 'thong'], possessive: false }]);
  });

  it('an acronym or code, a name after a function word, an English name and a year only have to be in the materials', () => {
    expect(salientTerms('Bài thi lý thuyết CNTT có bao nhiêu câu hỏi?')).toEqual([{ term: 'cntt', neighbours: [], possessive: false }]);
    expect(salientTerms('Địa chỉ tuyệt đối trong Excel viết thế nào?')).toEqual([{ term: 'excel', neighbours: [], possessive: false }]);
    expect(salientTerms('What is the phone number of the Accounts Office?').map((s) => s.term)).toEqual(['account', 'offic']);
    expect(salientTerms('Cách mạng Pháp năm 1789 diễn ra thế nào?').map((s) => s.term)).toEqual(['phap', '1789']);
  });

  it('the first word is capitalised as a sentence start, and a question typed in lower case has none', () => {
    expect(salientTerms('Học phí một tháng bao nhiêu?')).toEqual([]);
    expect(salientTerms('thu do cua phap la gi')).toEqual([]);
  });
});

describe('answerabilityTerms', () => {
  it('a question of English stopwords and question words has nothing to cover (issue 15)', () => {
    expect(answerabilityTerms(tokenize('the a an of to is what how why when where who'))).toEqual([]);
  });

  it('keeps the content words', () => {
    expect(answerabilityTerms(tokenize('How much does the English course cost?'))).toEqual(['english', 'cours', 'cost']);
  });
});

describe('salientTerms: sentence starts', () => {
  it('a capital after a full stop, a colon or an opening quote starts a sentence; a question in capitals has no names', () => {
    expect(salientTerms('Tôi bị dị ứng. Vậy tôi có học được không?')).toEqual([]);
    expect(salientTerms('Vì sao em được xếp loại "Giỏi"?')).toEqual([]);
    expect(salientTerms('KHI NÀO NÊN NGHI NGỜ CON TÔI BỊ MẮC MIS-C?')).toEqual([]);
  });

  it('keeps a code whole, as the index has it', () => {
    expect(salientTerms('Tôi có thể tiêm vắc-xin COVID-19 nếu đang mang thai không?').map((s) => s.term)).toEqual(['covid-19']);
  });
});

describe('salientTerms: names typed without marks', () => {
  it('a capitalised "My" in a Vietnamese question without marks is Mỹ, not the English "my" (regression: "ai la tong thong My" was answered)', () => {
    expect(salientTerms('ai la tong thong My')).toEqual([{ term: 'my', neighbours: ['tong', 'thong'], possessive: false }]);
  });

  it('an English question keeps "My" a function word, and a Vietnamese question word stays one', () => {
    expect(salientTerms('What is My Learner Card for?').map((s) => s.term)).not.toContain('my');
    expect(salientTerms('lop EA hoc o phong Nao').map((s) => s.term)).toEqual(['ea']);
  });
});

describe('salientTerms: codes in capitals', () => {
  it('an English function word written as a code stays out ("hàm IF" is no name; regression of round 7)', () => {
    expect(salientTerms('Cách viết hàm IF trong bảng tính như thế nào?')).toEqual([]);
  });
});

describe('salientTerms: words without marks in a question with marks', () => {
  it('"Ban" of "Ban Giám đốc" is written without marks, not typed so: it stays what it was (regression of round 7)', () => {
    expect(salientTerms('Buổi tiếp viên Ban Giám đốc ở phòng nào').map((s) => s.term)).toEqual(['giam']);
  });
});
