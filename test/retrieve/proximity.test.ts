import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeFields } from '../../src/indexes/index.js';
import {
  containsTerm,
  foldedTermsOf,
  passageTermsOf,
  phraseOccursNear,
  queryTermWeights,
  removeNearDuplicates,
  TermDictionary,
  termIndex,
  termOverlap,
  windowCoverage,
} from '../../src/retrieve/index.js';

const windowCoverageOf = (folded: string[], weights: Map<string, number>, window = 16) => {
  const dictionary = new TermDictionary();
  const passage = passageTermsOf(folded, dictionary);
  return windowCoverage(passage, queryTermWeights(weights, dictionary), window);
};

const jaccard = (a: string[], b: string[]) => {
  const x = new Set(a);
  const y = new Set(b);
  if (x.size === 0 && y.size === 0) return 1;
  const shared = [...x].filter((t) => y.has(t)).length;
  return shared / (x.size + y.size - shared);
};

/** The definition, computed the slow way: every window of `window` consecutive terms. */
function naiveCoverage(folded: string[], weights: Map<string, number>, window: number): number {
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  if (total === 0 || folded.length === 0) return 0;
  let best = 0;
  for (let end = 0; end < folded.length; end++) {
    const inside = new Set(folded.slice(Math.max(0, end - window + 1), end + 1));
    let covered = 0;
    for (const [term, w] of weights) if (inside.has(term)) covered += w;
    best = Math.max(best, covered);
  }
  return best / total;
}

describe('windowCoverage', () => {
  it('finds the query words together in one window, not spread over the passage', () => {
    const weights = new Map([
      ['hoc', 1],
      ['phi', 2],
      ['thang', 1],
    ]);
    const together = 'muc hoc phi moi thang la bon tram'.split(' ');
    const spread = ['hoc', ...Array<string>(30).fill('x'), 'phi', ...Array<string>(30).fill('y'), 'thang'];
    expect(windowCoverageOf(together, weights, 16)).toBe(1);
    expect(windowCoverageOf(spread, weights, 16)).toBe(0.5);
    expect(windowCoverageOf(spread, weights, 40)).toBe(0.75);
    expect(windowCoverageOf([], weights)).toBe(0);
    expect(windowCoverageOf(together, new Map())).toBe(0);
  });

  it('equals the every-window definition on random passages', () => {
    const vocabulary = ['a', 'b', 'c', 'd', 'e', 'f'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...vocabulary), { maxLength: 80 }),
        fc.dictionary(fc.constantFrom(...vocabulary, 'zz'), fc.double({ min: 0, max: 5, noNaN: true })),
        fc.integer({ min: 1, max: 30 }),
        (folded, weightRecord, window) => {
          const weights = new Map(Object.entries(weightRecord));
          expect(windowCoverageOf(folded, weights, window)).toBeCloseTo(naiveCoverage(folded, weights, window), 9);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('passage terms', () => {
  const vocabulary = ['hoc', 'phi', 'lop', 'toi', 'thang', 'x'];
  const passageArb = fc.array(fc.constantFrom(...vocabulary), { maxLength: 40 });

  it('keep each term with its positions, and answer membership and Jaccard overlap as sets of strings do', () => {
    fc.assert(
      fc.property(passageArb, passageArb, (a, b) => {
        const dictionary = new TermDictionary();
        const pa = passageTermsOf(a, dictionary);
        const pb = passageTermsOf(b, dictionary);
        for (const term of [...vocabulary, 'zz']) {
          const id = dictionary.find(term);
          expect(containsTerm(pa, id)).toBe(a.includes(term));
          const at = termIndex(pa, id);
          const positions = at < 0 ? [] : [...pa.positions.subarray(pa.offsets[at], pa.offsets[at + 1])];
          expect(positions).toEqual(a.flatMap((w, i) => (w === term ? [i] : [])));
        }
        expect(termOverlap(pa, pb)).toBeCloseTo(jaccard(a, b), 12);
      }),
      { numRuns: 300 },
    );
  });

  it('drop a passage only when a better-ranked kept one overlaps it by at least the threshold', () => {
    fc.assert(
      fc.property(fc.array(passageArb, { maxLength: 8 }), fc.double({ min: 0.3, max: 1, noNaN: true }), (passages, threshold) => {
        const dictionary = new TermDictionary();
        const items = passages.map((words, rank) => ({ rank, words, terms: passageTermsOf(words, dictionary) }));
        const kept = removeNearDuplicates(items, (i) => i.terms, threshold);
        const expected: typeof items = [];
        for (const item of items) if (!expected.some((k) => jaccard(k.words, item.words) >= threshold)) expected.push(item);
        expect(kept.map((i) => i.rank)).toEqual(expected.map((i) => i.rank));
      }),
      { numRuns: 300 },
    );
  });
});

describe('folded terms of a chunk', () => {
  const pieces = [
    'Học',
    'phí',
    'hoc',
    'the',
    'students',
    '3759/BGDĐT-GDTX',
    '2023-2024',
    '350.000',
    'Thư viện',
    'mở',
    '3.8.',
    'Điều 5:',
    'đ',
    'co-op',
  ];
  const fieldArb = fc
    .array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(' ', '. ', ', ', '\n', ' - ')), { maxLength: 8 })
    .map((p) => p.map(([w, s]) => w + s).join(''));

  it('are the same whether the fields are tokenised one by one (ingest) or joined (retrieval)', () => {
    fc.assert(
      fc.property(fieldArb, fc.array(fieldArb, { maxLength: 3 }), fieldArb, (title, headingPath, text) => {
        const { title: t, headings, text: x } = tokenizeFields({ title, headings: headingPath.join(' '), text });
        expect([...t, ...headings, ...x].map((token) => token.folded)).toEqual(foldedTermsOf({ title, headingPath, text }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('phraseOccursNear', () => {
  const dictionary = new TermDictionary();
  const passage = passageTermsOf(
    'phap gui toi hau thu doi ta giao quyen kiem soat thu do cho chung tiep quan thu do ha noi'.split(' '),
    dictionary,
  );
  const id = (t: string) => dictionary.find(t);
  it('finds the phrase only as consecutive words, within the distance of the term', () => {
    expect(phraseOccursNear(passage, id('phap'), [id('thu'), id('do')], 8)).toBe(false); // "thủ đô" stands 11 words from "Pháp"
    expect(phraseOccursNear(passage, id('phap'), [id('thu'), id('do')], 12)).toBe(true);
    expect(phraseOccursNear(passage, id('ha'), [id('thu'), id('do')], 2)).toBe(true);
    expect(phraseOccursNear(passage, id('ha'), [id('do'), id('thu')], 20)).toBe(false); // the order counts
  });
});
