import { tokenize } from '../text/index.js';
import { hashString } from './hash-string.js';

/** Weights of the three feature families of the local embedder. */
export interface FeatureWeights {
  unigram: number;
  bigram: number;
  /** Shared by all character trigrams of one word, so long words do not dominate. */
  charTrigrams: number;
}

export const defaultFeatureWeights: FeatureWeights = { unigram: 1, bigram: 0.5, charTrigrams: 0.3 };

/** A bag of hashed features: 32-bit hash → summed raw weight. */
export type FeatureBag = Map<number, number>;

function add(bag: FeatureBag, key: string, weight: number): void {
  const h = hashString(key);
  bag.set(h, (bag.get(h) ?? 0) + weight);
}

/**
 * Turns text into hashed features, all on the diacritic-folded form so that `hoc phi` and
 * `học phí` meet: syllables/words, adjacent-syllable bigrams, and character trigrams of each
 * word (which keep a typo like `hoc phj` close to the right words).
 */
export function extractFeatures(text: string, weights: FeatureWeights = defaultFeatureWeights): FeatureBag {
  const bag: FeatureBag = new Map();
  const tokens = tokenize(text);
  let previous: string | null = null;
  for (const token of tokens) {
    const word = token.folded;
    add(bag, `u:${word}`, weights.unigram);
    if (token.extra) continue;
    if (previous !== null && !token.breakBefore) add(bag, `b:${previous} ${word}`, weights.bigram);
    previous = word;
    if (word.length >= 4 && weights.charTrigrams > 0) {
      const padded = `<${word}>`;
      const count = padded.length - 2;
      const each = weights.charTrigrams / count;
      for (let i = 0; i < count; i++) add(bag, `c:${padded.slice(i, i + 3)}`, each);
    }
  }
  return bag;
}
