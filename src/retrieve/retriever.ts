import type { Bm25Index, VectorIndex } from '../indexes/index.js';
import type { StoredChunk } from '../store/index.js';
import { detectLanguage, tokenize, type Language } from '../text/index.js';
import {
  answerabilityScore,
  contentTerms,
  defaultAnswerability,
  termCoverage,
  type AnswerabilitySettings,
} from './answerability.js';
import { fuseConvex, fuseScores } from './fuse-scores.js';
import { removeNearDuplicates, termSet } from './near-duplicates.js';

/** Which index ranks: lexical only, vectors only, or both fused. */
export type RetrievalMode = 'bm25' | 'vector' | 'hybrid';

export interface RetrieveOptions {
  /** Passages to return (default 5). */
  k?: number;
  /** Only these collections (default: all). */
  collections?: readonly string[] | null;
  mode?: RetrievalMode;
}

/** A retrieved passage with the evidence of why it ranked. */
export interface RetrievedChunk {
  chunk: StoredChunk;
  /** Fused score (RRF) in hybrid mode, else the single index's score. */
  score: number;
  bm25Score: number | null;
  vectorScore: number | null;
  /** Query words (diacritic-folded) found in the passage, for highlighting. */
  matchedTerms: string[];
  /** Every folded term of the passage (title, headings, text). */
  terms: Set<string>;
}

export interface Retrieval {
  query: string;
  lang: Language;
  results: RetrievedChunk[];
  /** 0-1: how well the best passage covers the question. */
  answerability: number;
  answerable: boolean;
}

/** Tuning of hybrid retrieval. */
export interface RetrieverSettings {
  /** Candidates taken from each index before fusion. */
  candidates: number;
  bm25Weight: number;
  vectorWeight: number;
  /** `rrf` (reciprocal rank fusion) or `convex` (weighted max-normalised scores). */
  fusion: 'rrf' | 'convex';
  /** Jaccard overlap at which a lower-ranked passage counts as a near duplicate. */
  duplicateThreshold: number;
  answerability: AnswerabilitySettings;
}

export const defaultRetrieverSettings: RetrieverSettings = {
  candidates: 50,
  bm25Weight: 1,
  vectorWeight: 0.2,
  fusion: 'convex',
  duplicateThreshold: 0.95,
  answerability: defaultAnswerability,
};

export interface RetrieverDeps {
  bm25: Bm25Index;
  vectors: VectorIndex;
  embedQuery: (query: string) => Promise<ArrayLike<number>>;
  getChunks: (seqs: readonly number[]) => StoredChunk[];
}

/**
 * Hybrid retrieval: BM25 and vector candidates fused by reciprocal rank fusion, filtered by
 * collection, near duplicates removed, and an answerability score from the best passage.
 */
export class Retriever {
  // Folded terms per chunk, reused across queries: tokenising passages is the costly part.
  private readonly termCache = new Map<number, Set<string>>();

  constructor(
    private readonly deps: RetrieverDeps,
    readonly settings: RetrieverSettings = defaultRetrieverSettings,
  ) {}

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<Retrieval> {
    const k = options.k ?? 5;
    const mode = options.mode ?? 'hybrid';
    const collections = options.collections?.length ? new Set(options.collections) : null;
    const depth = Math.max(this.settings.candidates, k * 2);
    const bm25Hits = mode === 'vector' ? [] : this.deps.bm25.search(query, depth, collections);
    let vectorHits: Array<{ id: number; score: number }> = [];
    if (mode !== 'bm25') {
      const vector = await this.deps.embedQuery(query);
      vectorHits = this.deps.vectors.search(vector, depth, collections);
    }
    const bm25ById = new Map(bm25Hits.map((h) => [h.id, h.score]));
    const vectorById = new Map(vectorHits.map((h) => [h.id, h.score]));
    const ranked =
      mode === 'bm25'
        ? bm25Hits
        : mode === 'vector'
          ? vectorHits
          : this.settings.fusion === 'convex'
            ? fuseConvex([
                { hits: bm25Hits, weight: this.settings.bm25Weight },
                { hits: vectorHits, weight: this.settings.vectorWeight },
              ])
            : fuseScores([
                { ids: bm25Hits.map((h) => h.id), weight: this.settings.bm25Weight },
                { ids: vectorHits.map((h) => h.id), weight: this.settings.vectorWeight },
              ]);
    // Fetch a few extra so near-duplicate removal still leaves k.
    const top = ranked.slice(0, k + Math.ceil(k / 2) + 2);
    const chunks = this.deps.getChunks(top.map((h) => h.id));
    const byId = new Map(chunks.map((c) => [c.seq, c]));
    const tokens = tokenize(query);
    const queryFolded = new Set(tokens.map((t) => t.folded));
    const candidates: RetrievedChunk[] = [];
    for (const hit of top) {
      const chunk = byId.get(hit.id);
      if (!chunk) continue; // removed between the index read and the store read
      const present = this.termsOf(chunk);
      candidates.push({
        terms: present,
        chunk,
        score: hit.score,
        bm25Score: bm25ById.get(hit.id) ?? null,
        vectorScore: vectorById.get(hit.id) ?? null,
        matchedTerms: [...queryFolded].filter((t) => present.has(t)),
      });
    }
    const results = removeNearDuplicates(candidates, (c) => c.terms, this.settings.duplicateThreshold).slice(0, k);
    const answerability = this.answerability(tokens, results, vectorHits[0]?.score ?? 0);
    return {
      query,
      lang: detectLanguage(query),
      results,
      answerability,
      answerable: results.length > 0 && answerability >= this.settings.answerability.threshold,
    };
  }

  private termsOf(chunk: StoredChunk): Set<string> {
    let terms = this.termCache.get(chunk.seq);
    if (!terms) {
      terms = termSet(`${chunk.title} ${chunk.headingPath.join(' ')} ${chunk.text}`);
      if (this.termCache.size >= 5000) this.termCache.clear();
      this.termCache.set(chunk.seq, terms);
    }
    return terms;
  }

  private answerability(tokens: ReturnType<typeof tokenize>, results: RetrievedChunk[], bestSimilarity: number): number {
    if (results.length === 0) return 0;
    const terms = contentTerms(tokens);
    const idf = (term: string) => {
      // An unseen word weighs as much as the rarest possible one.
      const df = this.deps.bm25.documentFrequency(term);
      return this.deps.bm25.idf(term) + (df === 0 ? 1 : 0);
    };
    let coverage = 0;
    for (const r of results.slice(0, 3)) coverage = Math.max(coverage, termCoverage(terms, r.terms, idf));
    return answerabilityScore(coverage, bestSimilarity, this.settings.answerability);
  }
}
