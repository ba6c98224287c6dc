import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerSpanStrength, detectAnswerType, findAnswerSpans, withoutCue } from '../../src/answer/answer-type.js';
import { answerTypeFactor } from '../../src/answer/select-sentences.js';

describe('detectAnswerType', () => {
  it.each([
    ['Học phí một tháng bao nhiêu?', 'money'],
    ['How much does the English course cost?', 'money'],
    ['in tài liệu ở đó có mất tiền không?', 'money'],
    ['gui xe co ton tien khong', 'money'],
    ['lop buoi sang hoc may gio', 'time'],
    ['What time do evening classes start?', 'time'],
    ['Lớp tiếng Anh EA học vào hôm nào?', 'date'],
    ['Cách mạng tháng Tám diễn ra khi nào?', 'date'],
    ['Which days does group EA meet?', 'date'],
    ['nop hoc phi o dau', 'place'],
    ['Where is the placement test held?', 'place'],
    ['Số điện thoại phòng tư vấn', 'phone'],
    ['so dien thoai tuyen sinh', 'phone'],
    ['What is the phone number of the Accounts Office?', 'phone'],
    ['email thu vien la gi', 'email'],
    ['Mỗi phòng máy có bao nhiêu máy tính?', 'count'],
    ['How many periods can I miss?', 'count'],
    ['kéo dài bao nhiêu ngày?', 'duration'],
    ['Giám đốc trung tâm là ai?', 'person'],
    ['thu thu thu vien la ai', 'person'],
    ['Xác thực hai bước là gì?', 'definition'],
    ['mat khau manh la gi', 'definition'],
    ['Làm thế nào để xin miễn giảm học phí?', 'money'],
    ['Quên mật khẩu thì làm thế nào?', 'procedure'],
    ['cach bat xac thuc hai buoc cho gmail', 'procedure'],
  ])('%s → %s', (question, type) => {
    expect(detectAnswerType(question)?.type).toBe(type);
  });

  it('gives no type to a question without question words, and does not take "máy" for "mấy"', () => {
    expect(detectAnswerType('Phòng máy tính')).toBeNull();
    expect(detectAnswerType('Cách mạng tháng Tám')).toBeNull();
  });
});

describe('findAnswerSpans', () => {
  const text =
    'Phòng Tư vấn học đường (phòng C104): 0978 214 630 – tuvan@gdtxhoaan.edu.vn. Giờ làm việc: thứ Hai đến thứ Sáu, buổi sáng 8h00-11h00; học phí 350.000 đồng/tháng; ThS. Phạm Thị Lan Anh; 17 giờ 30 phút ngày 7/5/1954.';
  it.each([
    ['time', ['8h00', '11h00', '17 giờ 30 phút']],
    ['phone', ['0978 214 630']],
    ['email', ['tuvan@gdtxhoaan.edu.vn']],
    ['money', ['350.000 đồng']],
    ['place', ['phòng C104']],
    ['person', ['ThS. Phạm Thị Lan Anh']],
  ] as const)('%s spans', (type, spans) => {
    expect(findAnswerSpans(text, type).map((s) => s.text.trim())).toEqual(spans);
  });

  it('finds dates: day/month/year, weekdays, English dates', () => {
    const spans = findAnswerSpans('Khai giảng thứ Bảy, ngày 05/9/2026; Autumn term starts on Monday 14 September 2026.', 'date').map(
      (s) => s.text,
    );
    expect(spans).toEqual(expect.arrayContaining(['thứ Bảy', 'ngày 05', 'Monday', '14 September 2026']));
  });

  it('"thứ hai" in "lớn thứ hai" (second largest) is not a weekday; "thứ Hai" is', () => {
    expect(findAnswerSpans('Điện Biên Phủ trở thành nơi Pháp tập trung binh lực lớn thứ hai.', 'date')).toEqual([]);
    expect(findAnswerSpans('Lớp EA: tối thứ Hai và tối thứ Tư.', 'date').map((s) => s.text)).toEqual(['thứ Hai', 'thứ Tư']);
  });

  it('a school year range or a phone number is not a date; a phone number inside a date is not a phone', () => {
    expect(findAnswerSpans('năm học 2026-2027', 'date')).toEqual([]);
    expect(findAnswerSpans('ngày 02/9/2026', 'phone')).toEqual([]);
  });

  it('property: any 10-digit phone number written in groups is found whole', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
        fc.integer({ min: 1, max: 3 }),
        (digits, cut) => {
          const raw = `0${digits.join('')}`;
          const phone = `${raw.slice(0, cut + 2)} ${raw.slice(cut + 2, 7)} ${raw.slice(7)}`;
          expect(findAnswerSpans(`Gọi số ${phone} để hỏi.`, 'phone').map((s) => s.text)).toEqual([phone]);
        },
      ),
    );
  });

  it('property: any time of day written HHhMM is a time span; any amount written with thousands dots is money', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 1, max: 999 }), (h, m, thousands) => {
        const time = `${h}h${String(m).padStart(2, '0')}`;
        expect(findAnswerSpans(`Lớp học từ ${time} mỗi ngày.`, 'time').map((s) => s.text)).toEqual([time]);
        const amount = `${thousands}.000 đồng`;
        expect(findAnswerSpans(`Lệ phí là ${amount} mỗi lượt.`, 'money').map((s) => s.text)).toEqual([amount]);
      }),
    );
  });
});

describe('preferring the sentence that holds the fact', () => {
  const phone = detectAnswerType('Số điện thoại phòng tư vấn')!;
  it('a sentence with a phone number outweighs one about phones without a number (issue 14)', () => {
    const rule = answerTypeFactor(phone, 'Khi vào lớp, học viên chuyển điện thoại sang chế độ im lặng.');
    const fact = answerTypeFactor(phone, 'Đường dây tư vấn: 0978 214 630 (từ 8h00 đến 20h00 hằng ngày).');
    expect(fact / rule).toBeGreaterThan(4);
  });

  it('a bare year answers "when" only loosely, a full date fully; "which year" takes the year', () => {
    const when = detectAnswerType('Cách mạng tháng Tám diễn ra khi nào?')!;
    expect(answerSpanStrength('Cách mạng tháng Tám năm 1945 khai sinh nước Việt Nam Dân chủ Cộng hòa.', when)).toBe(1);
    expect(answerSpanStrength('Ngày 19/8/1945, khởi nghĩa giành thắng lợi ở Hà Nội.', when)).toBe(2);
    expect(answerSpanStrength('Chiến dịch Việt Bắc năm 1947.', detectAnswerType('Chiến dịch Việt Bắc diễn ra năm nào?')!)).toBe(2);
  });

  it('an example is worth less than the rule it illustrates', () => {
    expect(answerTypeFactor(null, 'Ví dụ: một người khuyết tật học tiếng Anh Bậc 1 chỉ nộp 1.400.000 đồng.')).toBeLessThan(
      answerTypeFactor(null, 'Các mức giảm không cộng dồn.'),
    );
  });
});

describe('withoutCue', () => {
  it('keeps what the fact is about, for a second search', () => {
    expect(withoutCue('so dien thoai tuyen sinh', 'so dien thoai')).toBe('tuyen sinh');
    expect(withoutCue('Email của thư viện là gì?', 'email')).toBe('của thư viện là gì');
  });
  it('gives nothing when only the asking words are left, or none was found', () => {
    expect(withoutCue('Số điện thoại?', 'so dien thoai')).toBe('');
    expect(withoutCue('Lớp EA học hôm nào?', 'so dien thoai')).toBe('');
  });
});
