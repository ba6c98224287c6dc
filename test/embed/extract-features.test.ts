import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFeatureWeights, extractFeatures, type FeatureWeights } from '../../src/embed/extract-features.js';
import { hashString } from '../../src/embed/hash-string.js';
import { tokenize } from '../../src/text/index.js';

/** The features as defined: the hash of each feature's string, weights summed in order of appearance. */
function definition(text: string, weights: FeatureWeights): Map<number, number> {
  const bag = new Map<number, number>();
  const add = (key: string, weight: number) => {
    const hash = hashString(key);
    bag.set(hash, (bag.get(hash) ?? 0) + weight);
  };
  let previous: string | null = null;
  for (const token of tokenize(text)) {
    const word = token.folded;
    add(`u:${word}`, weights.unigram);
    if (token.extra) continue;
    if (previous !== null && !token.breakBefore) add(`b:${previous} ${word}`, weights.bigram);
    previous = word;
    if (word.length >= 4 && weights.charTrigrams > 0) {
      const padded = `<${word}>`;
      for (let i = 0; i < padded.length - 2; i++) add(`c:${padded.slice(i, i + 3)}`, weights.charTrigrams / (padded.length - 2));
    }
  }
  return bag;
}

const words = [
  'Học',
  'phí',
  'hoc',
  'phj',
  'tháng',
  'nghiêng',
  'students',
  'the',
  '350.000',
  '3759/BGDĐT-GDTX',
  '2023-2024',
  'Unikey',
  '𝐀𝐁𝐂𝐃',
  'x',
];
const textArb = fc
  .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(' ', ' ', '. ', ', ', '\n')), { maxLength: 30 })
  .map((ws) => ws.map(([w, s]) => w + s).join(''));
const weightsArb = fc.constantFrom<FeatureWeights>(
  defaultFeatureWeights,
  { unigram: 1, bigram: 0.5, charTrigrams: 0 },
  { unigram: 0.7, bigram: 0.3, charTrigrams: 0.9 },
);

describe('extractFeatures', () => {
  it('gives the hashes and summed weights of the feature strings, in order of appearance', () => {
    fc.assert(
      fc.property(textArb, weightsArb, (text, weights) => {
        expect([...extractFeatures(text, weights)]).toEqual([...definition(text, weights)]);
      }),
      { numRuns: 500 },
    );
  });

  it('handles a text with more distinct features than its first table holds', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `word${i.toString(36)}`).join(' ');
    expect([...extractFeatures(text)]).toEqual([...definition(text, defaultFeatureWeights)]);
  });
});
