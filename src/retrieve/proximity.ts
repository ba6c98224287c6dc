/**
 * The best share (0-1) of the query's content-term weight found inside any window of `window`
 * consecutive passage terms (folded). Answers sit close together in the text; a passage that
 * merely mentions each query word somewhere scores lower than one that has them in one sentence.
 * With `present` (the passage's term set), a passage holding at most one query term skips the scan.
 */
export function windowCoverageOf(
  folded: readonly string[],
  weights: ReadonlyMap<string, number>,
  window = 16,
  present?: ReadonlySet<string>,
): number {
  let total = 0;
  for (const w of weights.values()) total += w;
  if (total === 0 || folded.length === 0) return 0;
  if (present) {
    let found = 0;
    let only = 0;
    for (const [term, w] of weights) {
      if (present.has(term)) {
        found++;
        only = w;
      }
    }
    if (found === 0) return 0;
    if (found === 1) return only / total;
  }
  const counts = new Map<string, number>();
  let covered = 0;
  let best = 0;
  for (let i = 0; i < folded.length; i++) {
    const entering = folded[i]!;
    const weight = weights.get(entering);
    if (weight !== undefined) {
      const n = counts.get(entering) ?? 0;
      if (n === 0) covered += weight;
      counts.set(entering, n + 1);
    }
    if (i >= window) {
      const leaving = folded[i - window]!;
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
