/**
 * Retrieval metrics of one ranked list against graded relevance judgements.
 * All are in [0, 1]; averaged over queries by the caller.
 */
export interface RetrievalMetrics {
  ndcg10: number;
  hit1: number;
  hit5: number;
  mrr10: number;
  recall10: number;
}

/** nDCG@k with gain = grade (BEIR/trec_eval convention) and log2 discount. */
export function ndcgAt(ranked: readonly string[], relevant: ReadonlyMap<string, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const grade = relevant.get(id) ?? 0;
    if (grade > 0) dcg += grade / Math.log2(i + 2);
  });
  const ideal = [...relevant.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, grade, i) => sum + grade / Math.log2(i + 2), 0);
  return idcg > 0 ? dcg / idcg : 0;
}

export function retrievalMetrics(ranked: readonly string[], relevant: ReadonlyMap<string, number>): RetrievalMetrics {
  const firstHit = ranked.findIndex((id) => (relevant.get(id) ?? 0) > 0);
  const relevantCount = [...relevant.values()].filter((g) => g > 0).length;
  const found10 = ranked.slice(0, 10).filter((id) => (relevant.get(id) ?? 0) > 0).length;
  return {
    ndcg10: ndcgAt(ranked, relevant, 10),
    hit1: firstHit === 0 ? 1 : 0,
    hit5: firstHit >= 0 && firstHit < 5 ? 1 : 0,
    mrr10: firstHit >= 0 && firstHit < 10 ? 1 / (firstHit + 1) : 0,
    recall10: relevantCount > 0 ? found10 / relevantCount : 0,
  };
}

/** The p-th percentile (0-100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
