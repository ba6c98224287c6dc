import { describe, expect, it } from 'vitest';
import { listStart, selectSentences } from '../../src/answer/select-sentences.js';
import { passageTermsOf, TermDictionary, type RetrievedChunk } from '../../src/retrieve/index.js';
import type { StoredChunk } from '../../src/store/index.js';

describe('listStart', () => {
  const steps = ['Nếu lỡ bị lừa', '1. Gọi ngay tổng đài của ngân hàng để khóa tài khoản.', '2. Đổi mật khẩu email.', '3. Trình báo công an.'];
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
    seq: 1, id: 'bai#0', documentId: 'bai', ordinal: 0, title: 'Bài học', headingPath: [heading], pageStart: 1, pageEnd: 1,
    collection: 'chung', lang: 'vi', text, vector: new Float32Array(4),
  };
  return { chunk, score: 1, bm25Score: 1, vectorScore: null, matchedTerms: [], terms: passageTermsOf(text.toLowerCase().split(/\s+/), new TermDictionary()) };
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
