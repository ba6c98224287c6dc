import type { Token } from '../text/index.js';

/**
 * The best share (0-1) of the query's content-term weight found inside any window of `window`
 * consecutive passage tokens. Answers sit close together in the text; a passage that merely
 * mentions each query word somewhere scores lower than one that has them in one sentence.
 */
export function windowCoverage(
  passage: readonly Token[],
  weights: ReadonlyMap<string, number>,
  window = 16,
): number {
  let total = 0;
  for (const w of weights.values()) total += w;
  if (total === 0 || passage.length === 0) return 0;
  const counts = new Map<string, number>();
  let covered = 0;
  let best = 0;
  for (let i = 0; i < passage.length; i++) {
    const entering = passage[i]!.folded;
    const weight = weights.get(entering);
    if (weight !== undefined) {
      const n = counts.get(entering) ?? 0;
      if (n === 0) covered += weight;
      counts.set(entering, n + 1);
    }
    if (i >= window) {
      const leaving = passage[i - window]!.folded;
      const lw = weights.get(leaving);
      if (lw !== undefined) {
        const n = counts.get(leaving)! - 1;
        counts.set(leaving, n);
        if (n === 0) covered -= lw;
      }
    }
    if (covered > best) best = covered;
  }
  return best / total;
}
