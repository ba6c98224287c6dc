import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { citedNumbers, createCitationFilter, filterCitations, maxCitationLength } from '../../src/answer/citation-filter.js';

const valid = new Set([1, 2, 3]);

/** Streams `pieces` through a fresh filter, returning every piece it let out. */
function stream(pieces: readonly string[], numbers: ReadonlySet<number> = valid): string[] {
  const filter = createCitationFilter(numbers);
  const out = pieces.map((p) => filter.push(p));
  out.push(filter.end());
  return out;
}

describe('citation filter', () => {
  it.each([
    ['Học phí là 2 triệu đồng [1].', 'Học phí là 2 triệu đồng [1].'],
    ['Học phí là 2 triệu đồng [7].', 'Học phí là 2 triệu đồng.'],
    ['A [1, 7] B', 'A [1] B'],
    ['A [1][7] B', 'A [1] B'],
    ['A [7][1] B', 'A[1] B'],
    ['A ［２］ and ［7］.', 'A [2] and.'],
    ['A [ 2 ] B [ 9 ] C', 'A [2] B C'],
    ['A [2、3，9] B', 'A [2, 3] B'],
    ['A [2, 2] B', 'A [2] B'],
    ['Xem [ghi chú] và [1-3] hoặc [] hay [0].', 'Xem [ghi chú] và [1-3] hoặc [] hay.'],
    ['mảng a[1] và b[12]', 'mảng a[1] và b'],
    ['[1, [7]2]', '1,2]'],
    ['[[7]7]', '7]'],
    ['trailing [', 'trailing ['],
    ['[1, 2, 3, 4, 5, 6, 7]', '[1, 2, 3, 4, 5, 6, 7]'],
  ])('%s → %s', (input, expected) => {
    expect(filterCitations(input, valid)).toBe(expected);
    // Character by character gives the same.
    expect(stream(Array.from(input)).join('')).toBe(expected);
  });

  it('lets ordinary text through at once and holds back only an unclosed bracket', () => {
    const filter = createCitationFilter(valid);
    expect(filter.push('Lớp học buổi tối')).toBe('Lớp học buổi tối');
    expect(filter.push(' bắt đầu lúc 18 giờ ')).toBe(' bắt đầu lúc 18 giờ'); // the space waits: a dropped citation takes it
    expect(filter.push('[')).toBe('');
    expect(filter.push('1')).toBe('');
    expect(filter.push(']. Còn')).toBe(' [1]. Còn');
    expect(filter.push(' [ghi')).toBe(' [ghi');
    expect(filter.push(' chú]')).toBe(' chú]');
    expect(filter.push(' [9')).toBe('');
    expect(filter.end()).toBe(' [9');
  });

  it('never holds back more than a citation-length tail of ordinary text', () => {
    const filter = createCitationFilter(valid);
    const shown = filter.push(`Văn bản [${'1'.repeat(3)}, ${'2'}, ${'3'} và tiếp nữa`);
    expect(shown.length).toBeGreaterThan(0);
    expect(filter.push('x'.repeat(40)).length).toBe(40);
  });

  it('citedNumbers lists distinct numbers in order of appearance', () => {
    expect(citedNumbers('a [2] b [1, 2] c ［３］ d [ghi chú] [2]')).toEqual([2, 1, 3]);
    expect(citedNumbers('no citations [x]')).toEqual([]);
  });

  it('property: streaming in any pieces equals filtering the whole text, and no invalid citation survives', () => {
    const atoms = ['[', ']', '［', '］', '1', '2', '7', '12', '０', '４', ' ', '  ', ',', '、', ';', 'a', 'ghi chú', '\n', 'ệ', '-', '😀'];
    const text = fc.array(fc.constantFrom(...atoms), { maxLength: 40 }).map((parts) => parts.join(''));
    const splits = fc.array(fc.nat({ max: 60 }), { maxLength: 8 });
    fc.assert(
      fc.property(text, splits, fc.subarray([0, 1, 2, 3, 4, 7, 12]), (input, cuts, numbers) => {
        const validSet = new Set(numbers);
        const whole = filterCitations(input, validSet);
        // Cut between UTF-16 code units anywhere (a stream never splits a surrogate pair, but the filter must not care).
        const positions = [...new Set(cuts.map((c) => Math.min(c, input.length)))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let last = 0;
        for (const p of positions) {
          pieces.push(input.slice(last, p));
          last = p;
        }
        pieces.push(input.slice(last));
        expect(stream(pieces, validSet).join('')).toBe(whole);
        for (const n of citedNumbers(whole)) expect(validSet.has(n)).toBe(true);
        // Idempotent: filtering again changes nothing.
        expect(filterCitations(whole, validSet)).toBe(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: what is held back is bounded for text without brackets', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }).map((s) => s.replace(/[[\]［］]/g, '')),
        (input) => {
          const filter = createCitationFilter(valid);
          const shown = filter.push(input);
          expect(input.length - shown.length).toBeLessThanOrEqual(1);
        },
      ),
    );
    expect(maxCitationLength).toBeLessThanOrEqual(16);
  });
});
