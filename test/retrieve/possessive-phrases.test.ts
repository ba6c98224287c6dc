import { describe, expect, it } from 'vitest';
import { placeNames, placeOwners, possessivePhrases } from '../../src/retrieve/index.js';

describe('possessivePhrases', () => {
  it('reads "X của Y" in any case, with or without marks', () => {
    expect(possessivePhrases('Thủ đô của Pháp là gì?')).toEqual([{ attribute: ['thu', 'do'], owner: ['phap'] }]);
    expect(possessivePhrases('email cua thu vien la gi')).toEqual([{ attribute: ['email'], owner: ['thu', 'vien'] }]);
    expect(possessivePhrases('Số điện thoại của phòng kế toán?')).toEqual([{ attribute: ['dien', 'thoai'], owner: ['phong', 'ke'] }]);
  });

  it('keeps an unmarked syllable that could be a function word when it ends a phrase of the materials ("thu do")', () => {
    expect(possessivePhrases('thu do cua trung quoc la gi', (bigram) => bigram === 'thu do')).toEqual([
      { attribute: ['thu', 'do'], owner: ['trung', 'quoc'] },
    ]);
    // Without that evidence "do" is the function word, and only "của" and what follows remain.
    expect(possessivePhrases('thu do cua trung quoc la gi')).toEqual([]);
  });

  it('stops at punctuation, function words and question words, and needs both sides', () => {
    expect(possessivePhrases('Ai là giám đốc của trung tâm?')).toEqual([{ attribute: ['giam', 'doc'], owner: ['trung', 'tam'] }]);
    expect(possessivePhrases('Của ai?')).toEqual([]);
    expect(possessivePhrases('Học phí, của trung tâm')).toEqual([]);
    expect(possessivePhrases('Học phí một tháng bao nhiêu?')).toEqual([]);
  });
});

describe('placeNames', () => {
  it('names a province, district or ward as its kind and the first word of its name', () => {
    expect(placeNames('Học phí trung tâm GDTX tỉnh Bình Dương bao nhiêu?')).toEqual(['tinh binh']);
    expect(placeNames('Trung tâm ở phường Tân Thịnh')).toEqual(['phuong tan']);
    expect(placeNames('hoc phi trung tam GDTX quan 3 bao nhieu')).toEqual(['quan 3']);
  });

  it('reads an unmarked kind word only before a capital or a number, and never before a function word', () => {
    expect(placeNames('cach tinh diem trung binh')).toEqual([]);
    expect(placeNames('nha xa truong khong')).toEqual([]);
    expect(placeNames('Trong tỉnh có bao nhiêu trường?')).toEqual([]);
    expect(placeNames('tỉnh, huyện nào?')).toEqual([]);
  });
});

describe('placeOwners', () => {
  it('names what stands before a province or a commune as that word and the kind together', () => {
    expect(placeOwners('Ai là giám đốc Sở Y tế tỉnh Hòa An?')).toEqual(['te tinh']);
    expect(placeOwners('Nhà văn hóa xã Phú Lộc ở đâu?')).toEqual(['hoa xa']);
  });

  it('ignores a function word before the kind, a kind typed without marks, and a kind not followed by a name', () => {
    expect(placeOwners('Lớp xóa mù chữ ở xã Phú Lộc học mấy giờ?')).toEqual([]);
    expect(placeOwners('thu vien tinh Hoa An mo cua may gio')).toEqual([]);
    expect(placeOwners('Học viên trong tỉnh có được giảm không?')).toEqual([]);
  });
});
