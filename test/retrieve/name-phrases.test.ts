import { describe, expect, it } from 'vitest';
import { namePhrases } from '../../src/retrieve/index.js';

describe('namePhrases', () => {
  it('reads a Vietnamese institution name whole, its lower-case second syllables included', () => {
    expect(namePhrases('Học phí trường Cao đẳng Sư phạm Hòa An bao nhiêu?')).toEqual([['cao', 'dang', 'su', 'pham', 'hoa', 'an']]);
    expect(namePhrases('Thư viện Quốc gia Việt Nam mở cửa mấy giờ?')).toEqual([['quoc', 'gia', 'viet', 'nam']]);
  });

  it('the first word belongs to a name only when a capitalised word follows and it is not a leading word', () => {
    expect(namePhrases('Nhật Bản có bao nhiêu dân?')).toEqual([['nhat', 'ban']]);
    expect(namePhrases('Sau Tết học viên đi học lại từ ngày nào?')).toEqual([]);
    expect(namePhrases('Học phí một tháng bao nhiêu?')).toEqual([]);
  });

  it('a lower-case word after a name ends it; a code, punctuation and a one-word name are not names of several words', () => {
    expect(namePhrases('Ngày hội đọc sách tổ chức ở Hội trường A305 không?')).toEqual([]);
    expect(namePhrases('Lớp tiếng Anh EC học vào lúc nào?')).toEqual([]);
    expect(namePhrases('Tôi ở Hòa An, Việt Nam')).toEqual([
      ['hoa', 'an'],
      ['viet', 'nam'],
    ]);
    expect(namePhrases('Địa chỉ tuyệt đối trong Excel viết thế nào?')).toEqual([]);
  });

  it('reads English names as the index does (stemmed), and none in a question typed in capitals', () => {
    expect(namePhrases('What is the phone number of the Accounts Office?')).toEqual([['account', 'offic']]);
    expect(namePhrases('THƯ VIỆN QUỐC GIA MỞ CỬA MẤY GIỜ?')).toEqual([]);
  });
});
