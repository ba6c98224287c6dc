import { describe, expect, it } from 'vitest';
import { leitnerRank, nextEntry, pickDue, topBox, type LeitnerEntry } from '../../src/practice/index.js';

/** A learner who always answers right: the sessions in which the item comes back. */
function sessionsSeen(sessions: number): number[] {
  let entry: LeitnerEntry | undefined;
  const seen: number[] = [];
  for (let s = 1; s <= sessions; s++) {
    if (entry && entry.due > s) continue;
    seen.push(s);
    entry = nextEntry(entry, true, s);
  }
  return seen;
}

describe('the Leitner schedule (one definition for the server and the widget)', () => {
  it('brings box b back after 2^(b−1) sessions, up to the top box', () => {
    // New in session 1 → box 2 (back in 3) → box 3 (back in 7) → box 4 (15) → box 5 (31) → box 5 (47).
    expect(sessionsSeen(50)).toEqual([1, 3, 7, 15, 31, 47]);
    expect(nextEntry({ box: topBox, due: 1 }, true, 10)).toEqual({ box: topBox, due: 10 + 2 ** (topBox - 1) });
  });

  it('sends a wrong answer back to box 1, due next session, from any box', () => {
    for (let box = 1; box <= topBox; box++) expect(nextEntry({ box, due: 0 }, false, 7)).toEqual({ box: 1, due: 8 });
    expect(nextEntry(undefined, false, 7)).toEqual({ box: 1, due: 8 });
  });

  it('orders due items (lowest box first), then new ones, then those not due, keeping order within a rank', () => {
    const entries: Record<string, LeitnerEntry> = {
      a: { box: 3, due: 4 },
      b: { box: 1, due: 4 },
      c: { box: 2, due: 9 },
      d: { box: 1, due: 5 },
    };
    const items = ['n1', 'c', 'a', 'n2', 'b', 'd'].map((id) => ({ id }));
    expect(pickDue(items, (id) => entries[id], 4, 6).map((i) => i.id)).toEqual(['b', 'a', 'n1', 'n2', 'd', 'c']);
    expect(pickDue(items, (id) => entries[id], 4, 2).map((i) => i.id)).toEqual(['b', 'a']);
    expect(leitnerRank(undefined, 1)).toBeGreaterThan(leitnerRank({ box: topBox, due: 1 }, 1));
  });
});
