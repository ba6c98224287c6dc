/** Whether the Jaccard overlap of two term sets reaches `threshold`. */
function overlapsAtLeast(a: Set<string>, b: Set<string>, threshold: number): boolean {
  if (a.size === 0 && b.size === 0) return true;
  // |A∩B| / |A∪B| ≤ min/max of the sizes: most pairs are ruled out without comparing terms.
  if (Math.min(a.size, b.size) / Math.max(a.size, b.size) < threshold) return false;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared) >= threshold;
}

/**
 * Drops items whose text shares at least `threshold` of its terms (Jaccard) with a better-ranked
 * item: the same handbook uploaded twice, or overlapping chunks, should not fill the sources.
 */
export function removeNearDuplicates<T>(items: readonly T[], termsOf: (item: T) => Set<string>, threshold = 0.8): T[] {
  const kept: Array<{ item: T; terms: Set<string> }> = [];
  for (const item of items) {
    const terms = termsOf(item);
    if (kept.some((k) => overlapsAtLeast(k.terms, terms, threshold))) continue;
    kept.push({ item, terms });
  }
  return kept.map((k) => k.item);
}
