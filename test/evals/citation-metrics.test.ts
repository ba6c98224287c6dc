import { describe, expect, it } from 'vitest';
import { citationPrecision, citationRecall } from '../../evals/lib/citation-metrics.js';
import type { ChunkLocation } from '../../evals/lib/gold-match.js';

const pdf = (page: number): ChunkLocation => ({ doc: 'so-tay.pdf', pageStart: page, pageEnd: page, headingPath: [] });
const gold = [
  { doc: 'so-tay.pdf', page: 6 },
  { doc: 'so-tay.pdf', page: 18 },
  { doc: 'quy-che.docx', section: 'Điều 15. Lệ phí thi' },
];

describe('citation precision and recall', () => {
  it('precision: share of cited chunks that match a gold passage', () => {
    expect(citationPrecision([pdf(6), pdf(9)], gold)).toBe(0.5);
    expect(citationPrecision([pdf(6), pdf(18)], gold)).toBe(1);
    expect(citationPrecision([], gold)).toBeNull();
  });

  it('recall: share of gold passages cited at least once', () => {
    expect(citationRecall([pdf(6), pdf(9)], gold)).toBeCloseTo(1 / 3, 10);
    expect(
      citationRecall(
        [pdf(6), pdf(18), { doc: 'quy-che.docx', pageStart: null, pageEnd: null, headingPath: ['Chương IV', 'Điều 15. Lệ phí thi'] }],
        gold,
      ),
    ).toBe(1);
    expect(citationRecall([pdf(6)], [])).toBeNull();
  });
});
