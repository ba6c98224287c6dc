import { describe, expect, it } from 'vitest';
import { bestTokenF1, containment, keyPhraseRecall, tokenF1 } from '../../evals/lib/answer-metrics.js';

describe('containment', () => {
  it('is 1 when the answer contains any gold answer after normalisation', () => {
    expect(containment('Học phí là 350.000 đồng/tháng [1]', ['350000 đồng'])).toBe(1);
    expect(containment('Hoc phi la 350,000 dong', ['350.000 đồng'])).toBe(1);
    expect(containment('Học phí là 450.000 đồng', ['350.000 đồng', '3.150.000'])).toBe(0);
  });
});

describe('tokenF1', () => {
  it('counts common syllables (4 of 4 answer tokens, 4 of 7 reference tokens): F1 = 8/11', () => {
    // answer: hoc phi 350000 dong; reference: hoc phi la 350000 dong moi thang
    expect(tokenF1('học phí 350.000 đồng', 'học phí là 350.000 đồng mỗi tháng', 'vi')).toBeCloseTo(8 / 11, 10);
  });

  it('counts repeated tokens at most as often as the reference has them', () => {
    // answer: hai hai hai (3), reference: hai ba (2): common 1, P = 1/3, R = 1/2, F1 = 0.4
    expect(tokenF1('hai hai hai', 'hai ba', 'vi')).toBeCloseTo(0.4, 10);
  });

  it('ignores English articles and is 0 without overlap or text', () => {
    // answer: library opens saturday (3); reference: library opens on saturday (4): P = 1, R = 3/4, F1 = 6/7
    expect(tokenF1('The library opens Saturday', 'The library opens on Saturday', 'en')).toBeCloseTo(6 / 7, 10);
    expect(tokenF1('abc', 'xyz', 'en')).toBe(0);
    expect(tokenF1('', 'xyz', 'en')).toBe(0);
  });

  it('takes the best reference', () => {
    expect(bestTokenF1('hai ba', ['một', 'hai ba'], 'vi')).toBe(1);
    expect(bestTokenF1('hai ba', [], 'vi')).toBe(0);
  });
});

describe('keyPhraseRecall', () => {
  it('is the share of key phrases contained', () => {
    expect(keyPhraseRecall('Nhóm tối học thứ Ba và thứ Năm, phòng B202.', ['thứ Ba', 'thứ Năm', 'B202', 'B201'])).toBe(0.75);
    expect(keyPhraseRecall('anything', [])).toBeNull();
  });
});
