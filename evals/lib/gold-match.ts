import { retrievalMetrics, type RetrievalMetrics } from '../../src/eval/index.js';
import type { GoldPassage } from './golden-schema.js';

/** Where a retrieved or cited chunk comes from, in the terms gold passages use. */
export interface ChunkLocation {
  /** The corpus file name (a passage id for BEIR sets). */
  doc: string;
  pageStart: number | null;
  pageEnd: number | null;
  headingPath: readonly string[];
}

/** Heading comparison form: NFC, lower case, one kind of dash and quote, single spaces. */
export function normalizeHeading(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/[“”„"]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A chunk matches a gold passage when it comes from the same document and, for a page, the
 * page lies in the chunk's page range; for a section, the chunk's own section (the last heading
 * of its heading path, the heading a citation link opens at) equals the gold section, compared
 * with {@link normalizeHeading}; with neither, any chunk of the document matches.
 *
 * Only the last heading counts, not any heading of the path: a gold on a section that has
 * content of its own and sub-sections ("4. Fees" with "Refunds" under it) must not accept a
 * citation of a sub-section that does not answer, and a document's title heading would
 * otherwise accept every chunk of the document.
 */
export function matchesGold(chunk: ChunkLocation, gold: GoldPassage): boolean {
  if (chunk.doc !== gold.doc) return false;
  if (gold.page !== undefined) {
    return chunk.pageStart !== null && chunk.pageStart <= gold.page && gold.page <= (chunk.pageEnd ?? chunk.pageStart);
  }
  if (gold.section !== undefined) {
    const own = chunk.headingPath.at(-1);
    return own !== undefined && normalizeHeading(own) === normalizeHeading(gold.section);
  }
  return true;
}

/**
 * Turns a ranked list of chunks into the ids and graded judgements `retrievalMetrics` takes.
 * Ranks are chunk positions (what the answerer sees). A chunk earns the highest-graded gold
 * passage it matches that no earlier chunk has earned; a chunk that only matches passages
 * already found earns nothing, so one passage split into chunks is found once.
 */
export function rankAgainstGold(
  ranked: readonly ChunkLocation[],
  gold: readonly GoldPassage[],
): { ids: string[]; relevant: Map<string, number> } {
  const relevant = new Map(gold.map((g, i) => [`g${i}`, g.grade ?? 1]));
  const found = new Set<number>();
  const ids = ranked.map((chunk, rank) => {
    let best = -1;
    gold.forEach((g, i) => {
      if (found.has(i) || !matchesGold(chunk, g)) return;
      if (best < 0 || (g.grade ?? 1) > (gold[best]!.grade ?? 1)) best = i;
    });
    if (best < 0) return `x${rank}`;
    found.add(best);
    return `g${best}`;
  });
  return { ids, relevant };
}

/** hit@1, hit@5, MRR@10, nDCG@10 (graded) and recall@10 of a ranked list of chunks against gold passages. */
export function retrievalAgainstGold(ranked: readonly ChunkLocation[], gold: readonly GoldPassage[]): RetrievalMetrics {
  const { ids, relevant } = rankAgainstGold(ranked, gold);
  return retrievalMetrics(ids, relevant);
}
