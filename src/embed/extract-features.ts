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

/** FNV-1a state after `text` (`hashString`'s loop without its finaliser): `hashString(b, fnvState(a))` is `hashString(a + b)`. */
function fnvState(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const unigramPrefix = fnvState('u:');
const bigramPrefix = fnvState('b:');
const trigramPrefix = fnvState('c:');

/** The hashes of one folded word's features, the same as hashing `u:word`, `b:word …`, `c:xyz`. */
interface WordFeatures {
  unigram: number;
  /** The state after `b:word `: a bigram's hash goes on over the next word. */
  bigramStart: number;
  /** One per trigram of `<word>`, for words of 4 characters or more. */
  trigrams: number[];
}

const wordFeatureCache = new Map<string, WordFeatures>();
const wordFeatureCacheLimit = 100_000;

/** A word's feature hashes, memoised: words repeat, and building each feature's string cost most of the time. */
function featuresOfWord(word: string): WordFeatures {
  let features = wordFeatureCache.get(word);
  if (features !== undefined) return features;
  const trigrams: number[] = [];
  if (word.length >= 4) {
    const padded = `<${word}>`;
    for (let i = 0; i < padded.length - 2; i++) trigrams.push(hashString(padded.slice(i, i + 3), trigramPrefix));
  }
  features = { unigram: hashString(word, unigramPrefix), bigramStart: fnvState(' ', fnvState(word, bigramPrefix)), trigrams };
  if (wordFeatureCache.size >= wordFeatureCacheLimit) wordFeatureCache.clear();
  wordFeatureCache.set(word, features);
  return features;
}

function add(bag: FeatureBag, h: number, weight: number): void {
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
  let previous: WordFeatures | null = null;
  for (const token of tokens) {
    const word = token.folded;
    const features = featuresOfWord(word);
    add(bag, features.unigram, weights.unigram);
    if (token.extra) continue;
    if (previous !== null && !token.breakBefore) add(bag, hashString(word, previous.bigramStart), weights.bigram);
    previous = features;
    if (word.length >= 4 && weights.charTrigrams > 0) {
      const each = weights.charTrigrams / word.length;
      for (const h of features.trigrams) add(bag, h, each);
    }
  }
  return bag;
}
