import { termOverlap, type PassageTerms } from './passage-terms.js';

/**
 * Drops items whose text shares at least `threshold` of its terms (Jaccard) with a better-ranked
 * item: the same handbook uploaded twice, or overlapping chunks, should not fill the sources.
 */
export function removeNearDuplicates<T>(items: readonly T[], termsOf: (item: T) => PassageTerms, threshold = 0.8): T[] {
  const kept: Array<{ item: T; terms: PassageTerms }> = [];
  for (const item of items) {
    const terms = termsOf(item);
    const size = terms.distinct.length;
    // |A∩B| / |A∪B| ≤ min/max of the sizes: most pairs are ruled out without comparing terms.
    const duplicate = kept.some((k) => {
      const other = k.terms.distinct.length;
      if (Math.min(size, other) < threshold * Math.max(size, other)) return false;
      return termOverlap(k.terms, terms) >= threshold;
    });
    if (!duplicate) kept.push({ item, terms });
  }
  return kept.map((k) => k.item);
}
