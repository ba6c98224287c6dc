/**
 * How well a learner's question matches one verified question (or phrasing), 0-1: the F-beta of
 * the weighted terms they share. Recall: how much of the verified question the learner asked;
 * precision: how much of what the learner asked the verified question holds. A question about
 * another fee, course or term shares most words but adds a heavy term of its own, so precision
 * weighs more (beta < 1): learners leave words out more than they add matter.
 * @example matchScore(new Map([['hoc', 1], ['phi', 2], ['nhat', 5]]), new Map([['hoc', 1], ['phi', 2], ['anh', 3]]), 0.5)
 */
export function matchScore(asked: ReadonlyMap<string, number>, verified: ReadonlyMap<string, number>, beta = 0.5): number {
  let shared = 0;
  let askedTotal = 0;
  let verifiedTotal = 0;
  for (const [term, w] of asked) {
    askedTotal += w;
    // A shared term weighs as the lighter of its two forms (one may be typed without marks).
    const v = verified.get(term);
    if (v !== undefined) shared += Math.min(w, v);
  }
  for (const w of verified.values()) verifiedTotal += w;
  if (shared === 0 || askedTotal === 0 || verifiedTotal === 0) return 0;
  const precision = shared / askedTotal;
  const recall = shared / verifiedTotal;
  const b2 = beta * beta;
  return ((1 + b2) * precision * recall) / (b2 * precision + recall);
}

/**
 * How many words of the learner's question stand where the verified question has another word
 * (after or before the same shared word): "tiếng Nhật" for "tiếng Anh", "học kỳ 2" for "học kỳ 1",
 * "giáo viên" for "học viên". Such a swap is what makes a question about another matter look
 * like a verified one; learners rephrasing leave words out or add some, they rarely swap one.
 * Both sequences are content terms in question order (`matchTerms`).
 */
export function swappedTerms(asked: readonly string[], verified: readonly string[]): number {
  const askedSet = new Set(asked);
  const verifiedSet = new Set(verified);
  let swaps = 0;
  asked.forEach((term, i) => {
    if (verifiedSet.has(term)) return;
    const before = asked[i - 1];
    const after = asked[i + 1];
    const swapped = verified.some((other, j) => {
      if (askedSet.has(other)) return false;
      return (
        (before !== undefined && verifiedSet.has(before) && verified[j - 1] === before) ||
        (after !== undefined && verifiedSet.has(after) && verified[j + 1] === after)
      );
    });
    if (swapped) swaps++;
  });
  // One word for another between the same two words ("đăng ký học lại" for "đăng ký thi lại"),
  // even when the question holds the other word elsewhere ("tin học").
  for (let i = 1; i + 1 < asked.length; i++) {
    const framed = verified.some((v, j) => j > 0 && v !== asked[i] && verified[j - 1] === asked[i - 1] && verified[j + 1] === asked[i + 1]);
    if (framed && verifiedSet.has(asked[i]!)) swaps++;
  }
  return swaps;
}

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
