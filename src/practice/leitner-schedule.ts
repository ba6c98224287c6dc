/**
 * The Leitner schedule, the one definition shared by the server (a known learner's boxes) and the
 * widget (an anonymous learner's boxes in localStorage): box 1 comes back every session, box 2
 * every second, box 3 every fourth… A wrong answer puts an item in box 1; a right one moves it up,
 * to box 5 at most. Pure and free of Node or DOM imports, so the widget's bundle can include it.
 */

/** Where one item stands for one learner: its box and the first session it is due again. */
export interface LeitnerEntry {
  box: number;
  due: number;
}

/** The highest box: an item known well comes back every 2^(5−1) = 16 sessions. */
export const topBox = 5;

/**
 * The entry after an answer given in `session`: box b is due again 2^(b−1) sessions later.
 * @example nextEntry(undefined, true, 3) // { box: 2, due: 5 }
 */
export function nextEntry(entry: LeitnerEntry | undefined, correct: boolean, session: number): LeitnerEntry {
  const box = correct ? Math.min((entry?.box ?? 1) + 1, topBox) : 1;
  return { box, due: session + 2 ** (box - 1) };
}

/** Sort key: items due in `session` first (lowest box first), then new items, then the rest. */
export function leitnerRank(entry: LeitnerEntry | undefined, session: number): number {
  if (!entry) return 10;
  return entry.due <= session ? entry.box : 20 + entry.box;
}

/**
 * The `n` items to practise in `session`, in the order of `leitnerRank` (a stable sort: items of
 * the same rank keep the order they came in, a shuffled one on the server).
 */
export function pickDue<T extends { id: string }>(
  items: readonly T[],
  entries: (id: string) => LeitnerEntry | undefined,
  session: number,
  n: number,
): T[] {
  const rank = new Map(items.map((i) => [i.id, leitnerRank(entries(i.id), session)]));
  return [...items].sort((a, b) => rank.get(a.id)! - rank.get(b.id)!).slice(0, n);
}
