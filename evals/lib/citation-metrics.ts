import type { GoldPassage } from './golden-schema.js';
import { matchesGold, type ChunkLocation } from './gold-match.js';

/**
 * Share of the answer's citations that point at a gold passage (a cited chunk matching any gold
 * passage, by {@link matchesGold}); null when the answer cites nothing.
 */
export function citationPrecision(cited: readonly ChunkLocation[], gold: readonly GoldPassage[]): number | null {
  if (cited.length === 0) return null;
  return cited.filter((c) => gold.some((g) => matchesGold(c, g))).length / cited.length;
}

/** Share of the gold passages that at least one citation points at; null without gold passages. */
export function citationRecall(cited: readonly ChunkLocation[], gold: readonly GoldPassage[]): number | null {
  if (gold.length === 0) return null;
  return gold.filter((g) => cited.some((c) => matchesGold(c, g))).length / gold.length;
}
