import { tokenize } from '../text/index.js';

/** The distinct folded terms of a text. */
export function termSet(text: string): Set<string> {
  return new Set(tokenize(text).map((t) => t.folded));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Drops items whose text shares at least `threshold` of its terms (Jaccard) with a better-ranked
 * item: the same handbook uploaded twice, or overlapping chunks, should not fill the sources.
 */
export function removeNearDuplicates<T>(items: readonly T[], termsOf: (item: T) => Set<string>, threshold = 0.8): T[] {
  const kept: Array<{ item: T; terms: Set<string> }> = [];
  for (const item of items) {
    const terms = termsOf(item);
    if (kept.some((k) => jaccard(k.terms, terms) >= threshold)) continue;
    kept.push({ item, terms });
  }
  return kept.map((k) => k.item);
}
