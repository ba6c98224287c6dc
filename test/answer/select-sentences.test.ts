import { describe, expect, it } from 'vitest';
import { detectAnswerType } from '../../src/answer/answer-type.js';
import { listStart, namesAnAlternative, selectSentences, spanNearness } from '../../src/answer/select-sentences.js';
import { tokenize } from '../../src/text/index.js';
import { passageTermsOf, TermDictionary, type RetrievedChunk } from '../../src/retrieve/index.js';
import type { StoredChunk } from '../../src/store/index.js';

describe('listStart', () => {
  const steps = [
    'Nếu lỡ bị lừa',
    '1. Gọi ngay tổng đài của ngân hàng để khóa tài khoản.',
    '2. Đổi mật khẩu email.',
    '3. Trình báo công an.',
  ];
  const opened = ['Hồ sơ nộp tại phòng A101.', 'Hồ sơ gồm:', '- Đơn theo mẫu MG-01.', '- Giấy tờ chứng minh.'];

  it('goes back from a step to the first item of its list', () => {
    expect(listStart(steps, 3)).toBe(1);
    expect(listStart(steps, 1)).toBe(1);
  });

  it('goes back to the sentence that opens the list with a colon', () => {
    expect(listStart(opened, 3)).toBe(1);
  });

  it('leaves a sentence that is no list item where it is', () => {
    expect(listStart(steps, 0)).toBe(0);
    expect(listStart(opened, 0)).toBe(0);
  });

  it('reads "a)" items and "•" bullets as items', () => {
    expect(listStart(['Trường hợp:', 'a) Thôi học.', 'b) Chuyển trường.'], 2)).toBe(0);
    expect(listStart(['• Một.', '• Hai.'], 1)).toBe(0);
  });
});

function retrieved(text: string, heading: string): RetrievedChunk {
  const chunk: StoredChunk = {
    seq: 1,
    id: 'bai#0',
    documentId: 'bai',
    ordinal: 0,
    title: 'Bài học',
    headingPath: [heading],
    pageStart: 1,
    pageEnd: 1,
    collection: 'chung',
    lang: 'vi',
    text,
    vector: new Float32Array(4),
  };
  return {
    chunk,
    score: 1,
    bm25Score: 1,
    vectorScore: null,
    matchedTerms: [],
    terms: passageTermsOf(text.toLowerCase().split(/\s+/), new TermDictionary()),
  };
}

describe('selectSentences for a procedure', () => {
  const text = [
    '1. Gọi ngay tổng đài của ngân hàng để khóa tài khoản, khóa thẻ.',
    '2. Đổi mật khẩu email từ một thiết bị khác an toàn.',
    '3. Trình báo cơ quan công an gần nhất.',
    '4. Báo cho người thân để họ không bị lừa tiếp bằng tài khoản của mình.',
  ].join('\n');
  const idf = (t: string) => (['lua', 'tiep'].includes(t) ? 3 : 1);

  it('answers with the steps from the first, in order, when the best match is a later step', () => {
    const chosen = selectSentences('Nếu lỡ bị lừa thì phải làm gì?', 'vi', [retrieved(text, 'Nếu lỡ bị lừa')], idf);
    expect(chosen[0]!.text).toMatch(/^1\. Gọi ngay tổng đài/);
    expect(chosen.map((s) => s.position)).toEqual([...chosen.map((s) => s.position)].sort((a, b) => a - b));
    expect(chosen.some((s) => s.text.startsWith('4.'))).toBe(true);
  });

  it('a question of another kind keeps the best matching step alone first', () => {
    const chosen = selectSentences('Ai có thể bị lừa tiếp bằng tài khoản của mình?', 'vi', [retrieved(text, 'Nếu lỡ bị lừa')], idf);
    expect(chosen[0]!.text).toMatch(/^4\./);
  });
});

describe('the fact near the words asked about (answers that lead with the asked fact)', () => {
  const when = detectAnswerType('Nhật đảo chính Pháp vào ngày nào?')!;
  const terms = new Set(['nhat', 'dao', 'chinh', 'phap']);

  it("spanNearness: high when the date stands beside the question's words, low when it dates another clause", () => {
    expect(spanNearness('9/3/1945: Nhật đảo chính Pháp.', when, terms, () => 1)).toBeGreaterThan(0.8);
    expect(
      spanNearness(
        'Ngay trong đêm Nhật đảo chính Pháp, Ban Thường vụ Trung ương Đảng họp và ngày 12/3/1945 ra Chỉ thị.',
        when,
        terms,
        () => 1,
      ),
    ).toBeLessThan(0.4);
    expect(spanNearness('Nhật đảo chính Pháp.', when, terms, () => 1)).toBe(0); // no date at all
  });

  it("leads with the sentence whose date is the event's, even from a lower passage", () => {
    const chosen = selectSentences(
      'Nhật đảo chính Pháp vào ngày nào?',
      'vi',
      [
        retrieved(
          'Ngay trong đêm Nhật đảo chính Pháp, Ban Thường vụ Trung ương Đảng họp và ngày 12/3/1945 ra Chỉ thị mới.',
          'Cao trào kháng Nhật',
        ),
        retrieved('9/3/1945: Nhật đảo chính Pháp.', 'Bảng niên biểu'),
      ],
      () => 1,
    );
    expect(chosen[0]!.text).toBe('9/3/1945: Nhật đảo chính Pháp.');
  });

  it('namesAnAlternative: "buổi tối" is another time of day than the "buổi sáng" asked', () => {
    const question = tokenize('lop buoi sang hoc may gio');
    expect(namesAnAlternative(tokenize('Lớp buổi tối 10T học từ 18h00 đến 20h30.'), question)).toBe(true);
    expect(namesAnAlternative(tokenize('Buổi sáng từ 7h00, buổi tối từ 18h00.'), question)).toBe(false);
    expect(namesAnAlternative(tokenize('Thứ Hai đến thứ Sáu: 7h00-11h30.'), tokenize('Thư viện thứ Bảy mở cửa mấy giờ?'))).toBe(true);
  });

  it('the morning class is answered with the morning, not with the evening class that shares more words', () => {
    const chosen = selectSentences(
      'lop buoi sang hoc may gio',
      'vi',
      [
        retrieved(
          'Lớp buổi tối 10T dành cho người đi làm học từ 18h00 đến 20h30 và sáng Chủ nhật từ 7h30.\nBuổi sáng học từ 7h00 đến 11h20.',
          'Giờ học',
        ),
      ],
      () => 1,
    );
    expect(chosen[0]!.text).toMatch(/^Buổi sáng/);
  });

  it('in questions and answers, the question is the heading of its answer', () => {
    const faq = retrieved(
      [
        '11.17. Tôi cần giấy xác nhận đang học thì xin ở đâu?',
        'Anh, chị đề nghị tại Bộ phận Một cửa (phòng A101).',
        '11.18. Có nên chuyển tiền cho cô giáo không?',
        'Không chuyển.',
        'Trung tâm chỉ nhận học phí tại phòng A104.',
      ].join('\n'),
      'Câu hỏi thường gặp',
    );
    const chosen = selectSentences('Xin giấy xác nhận đang học ở đâu?', 'vi', [faq], () => 1);
    expect(chosen[0]!.text).toContain('A101');
  });
});
