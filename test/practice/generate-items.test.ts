import fc from 'fast-check';
import { parse as parseGift } from 'gift-pegjs';
import { describe, expect, it } from 'vitest';
import {
  answerForm,
  blank,
  findDefinedTerm,
  findFigureKeys,
  findNames,
  generateItems,
  isCorrectAnswer,
  pickDistractors,
  toGift,
  unfitReason,
  type PracticeItem,
} from '../../src/practice/index.js';
import type { ChunkRecord, DocumentRecord } from '../../src/store/index.js';
import { foldDiacritics } from '../../src/text/index.js';
import { minutesOf, timeFits } from '../../src/practice/time-range.js';

const kinds = (s: string) => findFigureKeys(s).map((k) => [k.kind, k.text]);

describe('keys', () => {
  it('finds an amount, a date and a time with their kinds', () => {
    expect(kinds('Học phí là 450.000 đồng mỗi tháng, đóng trước ngày 05/9/2026 lúc 7h30.')).toEqual([
      ['money', '450.000 đồng'],
      ['date', '05/9/2026'],
      ['time', '7h30'],
    ]);
  });

  it('reads "Ngày 19/5/1941" as one date, and a cell address as no figure', () => {
    expect(kinds('Ngày 19/5/1941, Mặt trận Việt Minh được thành lập.')).toEqual([['date', '19/5/1941']]);
    expect(kinds('Thêm dấu $ trước tên cột: $H$1.')).toEqual([]);
  });

  it('finds defined terms, and not conditions or actions dressed as them', () => {
    expect(findDefinedTerm('Thư điện tử là thư được gửi qua Internet thay vì qua bưu điện.')?.text).toBe('Thư điện tử');
    expect(findDefinedTerm('A spreadsheet is a program that keeps numbers in rows and columns.')?.text).toBe('spreadsheet');
    expect(findDefinedTerm('Mặt trận Việt Nam độc lập đồng minh (gọi tắt là Việt Minh) được thành lập.')?.text).toBe('Việt Minh');
    expect(findDefinedTerm('Sau dấu bằng là các con số, địa chỉ ô và phép toán.')).toBeNull();
    expect(findDefinedTerm('Đây là bài học đầu tiên của khóa.')).toBeNull();
  });

  it('finds names, but not a Vietnamese phrase cut before its lower-case rest', () => {
    expect(findNames('Có sự lãnh đạo của Chủ tịch Hồ Chí Minh, cùng quá trình chuẩn bị lâu dài.').map((n) => n.text)).toContain(
      'Hồ Chí Minh',
    );
    expect(findNames('Bản Tuyên ngôn khẳng định quyền độc lập.')).toEqual([]);
  });
});

describe('sentences no item may come from', () => {
  it('refuses questions, example lists and fragments, and keeps a plain fact', () => {
    expect(unfitReason('Học phí lớp tin học cơ bản là bao nhiêu một tháng?')).toBe('question');
    expect(unfitReason('Ví dụ: thư báo trúng thưởng 50.000.000 đồng là thư lừa đảo thường gặp.')).toBe('example-list');
    expect(unfitReason('Các loại phí gồm: học phí, lệ phí thi, phí tài liệu, phí gửi xe, phí thẻ.')).toBe('example-list');
    expect(unfitReason('Học phí: 450.000 đồng.')).toBe('too-short');
    expect(unfitReason('Học phí lớp tin học cơ bản là 450.000 đồng mỗi tháng.')).toBeNull();
  });
});

describe('distractors', () => {
  const pool = new Map([['money' as const, ['450.000 đồng', '300.000 đồng', '5.000 đồng', '600.000 đồng', '30 USD']]]);

  it("are three amounts with the key's unit, near its magnitude, none the key or already in the sentence", () => {
    const d = pickDistractors({
      kind: 'money',
      key: '450.000 đồng',
      sentence: 'Học phí là 450.000 đồng, lệ phí thi 600.000 đồng.',
      pool,
      trueInMaterial: () => false,
    });
    expect(d).toHaveLength(3);
    expect(new Set(d.map(answerForm)).size).toBe(3);
    for (const x of d) {
      expect(x).toMatch(/^\d{1,3}(?:\.\d{3})+ đồng$/);
      // Not the key, not the sentence's other amount, not 90 times smaller.
      expect(['450.000 đồng', '600.000 đồng', '5.000 đồng']).not.toContain(x);
    }
  });

  it('skip a candidate that is true in the material for the same blank', () => {
    const d = pickDistractors({
      kind: 'money',
      key: '450.000 đồng',
      sentence: 'Học phí là 450.000 đồng.',
      pool,
      trueInMaterial: (c) => c === '300.000 đồng',
    });
    expect(d).not.toContain('300.000 đồng');
  });

  it('for a weekday are other weekdays written the same way', () => {
    expect(
      pickDistractors({
        kind: 'weekday',
        key: 'thứ Ba',
        sentence: 'Lớp học vào tối thứ Ba.',
        pool: new Map(),
        trueInMaterial: () => false,
      }),
    ).toEqual(['thứ Hai', 'thứ Tư', 'thứ Năm']);
  });
});

describe('time distractors', () => {
  it('stay inside the range the sentence gives, and in the evening when it says so', () => {
    const sentence = 'Nhóm tối: thứ Ba và thứ Năm, 18h00-20h30, phòng máy B202.';
    const start = sentence.indexOf('18h00');
    const d = pickDistractors({
      kind: 'time',
      key: '18h00',
      sentence,
      pool: new Map([['time', ['6h30', '21h00', '17h00', '7h30']]]),
      trueInMaterial: () => false,
      fits: timeFits(sentence, start, start + 5),
    });
    expect(d).toHaveLength(3);
    expect(d).toContain('17h00');
    for (const x of d) expect(minutesOf(x)).toBeGreaterThanOrEqual(16 * 60), expect(minutesOf(x)).toBeLessThan(20 * 60 + 30);
  });
});

describe('answers', () => {
  it('count without diacritics, in any case, with or without thousands separators', () => {
    expect(isCorrectAnswer('thu dien tu', 'Thư điện tử')).toBe(true);
    expect(isCorrectAnswer('VIET MINH', 'Việt Minh')).toBe(true);
    expect(isCorrectAnswer('450000 dong', '450.000 đồng')).toBe(true);
    expect(isCorrectAnswer('450 dong', '450.000 đồng')).toBe(false);
    expect(isCorrectAnswer('', 'x')).toBe(false);
  });

  it('any key typed without its diacritics is right (property)', () => {
    const letters = fc.constantFrom(
      ...'aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ ABCĐ0123456789'.split(''),
    );
    fc.assert(
      fc.property(
        fc
          .array(letters, { minLength: 1, maxLength: 30 })
          .map((a) => a.join(''))
          .filter((s) => /[\p{L}\p{N}]/u.test(s)),
        (key) => {
          expect(isCorrectAnswer(foldDiacritics(key), key)).toBe(true);
        },
      ),
    );
  });
});

const doc: DocumentRecord = {
  id: 'd1',
  collection: 'c',
  title: 'Sổ tay',
  fileName: 'so-tay.md',
  format: 'markdown',
  contentHash: 'h',
  bytes: 1,
  pages: 1,
  chunkCount: 1,
  createdAt: '',
  updatedAt: '',
};
const chunk = (ordinal: number, text: string): ChunkRecord => ({
  seq: ordinal,
  id: `d1#${ordinal}`,
  documentId: 'd1',
  ordinal,
  title: 'Sổ tay',
  headingPath: ['Học phí'],
  pageStart: null,
  pageEnd: null,
  collection: 'c',
  lang: 'vi',
  text,
});

describe('generateItems', () => {
  const chunks = [
    chunk(0, 'Học phí lớp tin học cơ bản là 450.000 đồng mỗi tháng. Học phí lớp tiếng Anh là 600.000 đồng mỗi tháng.'),
    chunk(
      1,
      'Lớp buổi tối học từ 18h00 đến 20h30 tại phòng B204. Thư điện tử là thư được gửi qua Internet thay vì qua bưu điện. Học phí là bao nhiêu tiền một tháng?',
    ),
  ];

  it('blanks one key per informative sentence, keeps the source, and skips the question', async () => {
    const skipped: string[] = [];
    const items = await generateItems(doc, chunks, { materialText: '', retrieves: async () => true, onSkip: (r) => skipped.push(r) });
    expect(items.map((i) => i.answer)).toEqual(['450.000 đồng', '600.000 đồng', '18h00', 'Thư điện tử']);
    expect(skipped).toEqual(['question']);
    for (const item of items) {
      expect(item.prompt.split(blank)).toHaveLength(2);
      expect(item.prompt.replace(blank, item.answer)).toBe(item.sentence);
      expect(item).toMatchObject({ documentId: 'd1', title: 'Sổ tay', headingPath: ['Học phí'] });
      expect(item.passed).toBe(item.type === 'fill' || item.distractors.length === 3);
    }
  });

  it('fails the retrieval check when the blanked sentence does not bring its source back', async () => {
    const items = await generateItems(doc, chunks, { materialText: '', retrieves: async () => false });
    expect(items.every((i) => !i.checks.retrievesSource && !i.passed)).toBe(true);
  });
});

describe('GIFT export', () => {
  it("escapes GIFT's special characters so the parser reads the prompt, the key and the distractors back", () => {
    const item = {
      id: 'abc',
      type: 'choice',
      prompt: `Tỷ lệ: a = b {c} ~ #d là ${blank} mỗi năm.`,
      answer: '10%',
      distractors: ['20%', '30%', '5%'],
      title: 'T',
      headingPath: [],
      page: 2,
      sentence: '',
      documentId: 'd',
      collection: 'c',
      chunkId: 'd#0',
      kind: 'percent',
      checks: { keyOnce: true, retrievesSource: true, distractorsOk: true, fitSentence: true },
      passed: true,
      centerId: 'default',
      status: 'approved',
      contentHash: '',
      createdAt: '',
      updatedAt: '',
    } satisfies PracticeItem;
    const [q] = parseGift(toGift([item])) as any[];
    expect(q.title).toBe('abc');
    expect(q.stem.text.replace(/\s+/g, ' ')).toBe(item.prompt);
    expect(q.choices.map((c: any) => [c.isCorrect, c.text.text])).toEqual([
      [true, '10%'],
      [false, '20%'],
      [false, '30%'],
      [false, '5%'],
    ]);
  });
});
