/** One ranked list to fuse, best first. */
export interface RankedList {
  ids: readonly number[];
  /** Multiplies this list's contribution (1 = equal say). */
  weight: number;
}

/** Reciprocal rank fusion's damping constant; 60 is the value of Cormack et al. (2009). */
export const defaultRrfK = 60;

/**
 * Reciprocal rank fusion: score(id) = Σ weight / (k + rank), rank starting at 1.
 * Robust to the lists' incomparable score scales. Ties go to the smaller id.
 */
export function fuseScores(lists: readonly RankedList[], k = defaultRrfK): Array<{ id: number; score: number }> {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.ids.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + list.weight / (k + index + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}

/** One scored list for convex fusion; scores are normalised by the list's best. */
export interface ScoredList {
  hits: ReadonlyArray<{ id: number; score: number }>;
  weight: number;
}

/**
 * Convex combination of max-normalised scores: score(id) = Σ weight × score / best score of
 * its list (0 when absent). Unlike RRF it keeps how far apart the scores are, which matters when
 * one signal is much stronger than the other (Bruch et al., 2023, "An Analysis of Fusion
 * Functions for Hybrid Retrieval").
 */
export function fuseConvex(lists: readonly ScoredList[]): Array<{ id: number; score: number }> {
  const scores = new Map<number, number>();
  for (const list of lists) {
    const best = list.hits.reduce((m, h) => Math.max(m, h.score), 0);
    if (best <= 0) continue;
    for (const h of list.hits) scores.set(h.id, (scores.get(h.id) ?? 0) + (list.weight * Math.max(0, h.score)) / best);
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
