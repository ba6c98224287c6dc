import { describe, expect, it } from 'vitest';
import { citedSentences, contentSyllables, groundingScore, isSupported } from '../../evals/lib/grounding.js';

describe('citedSentences', () => {
  it('gives every sentence of a group the marker that closes the group', () => {
    expect(citedSentences('Học phí 350.000 đồng. Thu 9 tháng. [1]\nHạn nộp trước ngày 10. [2]')).toEqual([
      { text: 'Học phí 350.000 đồng.', sources: [1] },
      { text: 'Thu 9 tháng.', sources: [1] },
      { text: 'Hạn nộp trước ngày 10.', sources: [2] },
    ]);
  });

  it('joins adjacent markers and leaves trailing text uncited', () => {
    expect(citedSentences('Phòng A101 [1][3]. Gọi đường dây nóng.')).toEqual([
      { text: 'Phòng A101', sources: [1, 3] },
      { text: 'Gọi đường dây nóng.', sources: [] },
    ]);
    expect(citedSentences('Fees are listed [1, 2].')).toEqual([{ text: 'Fees are listed', sources: [1, 2] }]);
  });
});

describe('grounding', () => {
  const source = 'Học phí chương trình THPT: 350.000 đồng/tháng.';

  it('drops function words from content syllables', () => {
    expect(contentSyllables('Học phí là 350.000 đồng mỗi tháng.')).toEqual(['học', 'phí', '350000', 'đồng', 'mỗi', 'tháng']);
  });

  it('supports a sentence when at least 60% of its content syllables are in the cited text', () => {
    // 5 of 6 content syllables (học phí 350000 đồng tháng; not mỗi) = 0.83
    expect(isSupported('Học phí là 350.000 đồng mỗi tháng.', source)).toBe(true);
    // hạn nộp ngày 10: 0 of 4
    expect(isSupported('Hạn nộp là ngày 10.', source)).toBe(false);
    // học phí 450000 đồng năm: 3 of 5 = 0.6, exactly the threshold
    expect(isSupported('Học phí 450.000 đồng một năm.', source)).toBe(true);
  });

  it('scores an answer as the share of supported sentences; uncited sentences are unsupported', () => {
    const texts: Record<number, string> = { 1: source };
    expect(groundingScore('Học phí là 350.000 đồng mỗi tháng. [1]\nHạn nộp là ngày 10. [1]', (n) => texts[n])).toBe(0.5);
    expect(groundingScore('Học phí là 350.000 đồng mỗi tháng.', (n) => texts[n])).toBe(0);
    expect(groundingScore('Học phí là 350.000 đồng mỗi tháng. [7]', (n) => texts[n])).toBe(0);
    expect(groundingScore('[1]', (n) => texts[n])).toBeNull();
  });
});
