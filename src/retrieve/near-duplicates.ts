/** A passage's distinct terms: a Set, or a Map keyed by term (e.g. term positions). */
export interface TermSet {
  readonly size: number;
  has(term: string): boolean;
  keys(): IterableIterator<string>;
}

/** Whether the Jaccard overlap of two term sets reaches `threshold`. */
function overlapsAtLeast(a: TermSet, b: TermSet, threshold: number): boolean {
  if (a.size === 0 && b.size === 0) return true;
  // |A∩B| / |A∪B| ≤ min/max of the sizes: most pairs are ruled out without comparing terms.
  if (Math.min(a.size, b.size) / Math.max(a.size, b.size) < threshold) return false;
  let shared = 0;
  for (const t of a.keys()) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared) >= threshold;
}

/**
 * Drops items whose text shares at least `threshold` of its terms (Jaccard) with a better-ranked
 * item: the same handbook uploaded twice, or overlapping chunks, should not fill the sources.
 */
export function removeNearDuplicates<T>(items: readonly T[], termsOf: (item: T) => TermSet, threshold = 0.8): T[] {
  const kept: Array<{ item: T; terms: TermSet }> = [];
  for (const item of items) {
    const terms = termsOf(item);
    if (kept.some((k) => overlapsAtLeast(k.terms, terms, threshold))) continue;
    kept.push({ item, terms });
  }
  return kept.map((k) => k.item);
}
