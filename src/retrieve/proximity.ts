/** Where each folded term occurs in a passage (token positions, ascending). */
export type TermPositions = ReadonlyMap<string, readonly number[]>;

/** A passage's term positions, built once per passage and cached by the retriever. */
export function termPositionsOf(folded: readonly string[]): Map<string, number[]> {
  const positions = new Map<string, number[]>();
  for (let i = 0; i < folded.length; i++) {
    const list = positions.get(folded[i]!);
    if (list) list.push(i);
    else positions.set(folded[i]!, [i]);
  }
  return positions;
}

/**
 * The best share (0-1) of the query's content-term weight found inside any window of `window`
 * consecutive passage terms (folded). Answers sit close together in the text; a passage that
 * merely mentions each query word somewhere scores lower than one that has them in one sentence.
 * Works on the occurrences of the query's terms only, so its cost does not grow with the passage.
 */
export function windowCoverage(positions: TermPositions, weights: ReadonlyMap<string, number>, window = 16): number {
  let total = 0;
  const present: Array<{ weight: number; at: readonly number[] }> = [];
  for (const [term, weight] of weights) {
    total += weight;
    const at = positions.get(term);
    if (at && weight > 0) present.push({ weight, at });
  }
  if (total === 0 || present.length === 0) return 0;
  if (present.length === 1) return present[0]!.weight / total;
  // Occurrences of the query terms in passage order, as (position, term index) pairs.
  const stride = present.length;
  const events: number[] = [];
  for (let t = 0; t < stride; t++) for (const p of present[t]!.at) events.push(p * stride + t);
  events.sort((a, b) => a - b);
  const counts = new Array<number>(present.length).fill(0);
  let covered = 0;
  let best = 0;
  let left = 0;
  for (const event of events) {
    const position = Math.floor(event / stride);
    const t = event % stride;
    if (counts[t]! === 0) covered += present[t]!.weight;
    counts[t]!++;
    // The window ending at `position` holds positions > position - window.
    while (Math.floor(events[left]! / stride) <= position - window) {
      const leaving = events[left++]! % stride;
      if (--counts[leaving]! === 0) covered -= present[leaving]!.weight;
    }
    if (covered > best) best = covered;
  }
  return best / total;
}
