import { exactPrefix, type Bm25Index, type VectorIndex } from '../indexes/index.js';
import type { ChunkRecord } from '../store/index.js';
import { detectLanguage, tokenize, type Language } from '../text/index.js';
import {
  answerabilityScore,
  answerabilityTerms,
  contentTerms,
  salientTerms,
  defaultAnswerability,
  type AnswerabilitySettings,
} from './answerability.js';
import { fuseConvex, fuseScores } from './fuse-scores.js';
import { removeNearDuplicates } from './near-duplicates.js';
import { containsTerm, foldedTermsOf, passageTermsOf, passageTermsOfStored, TermDictionary, type PassageTerms } from './passage-terms.js';
import { phraseOccursNear, queryTermWeights, windowCoverage } from './proximity.js';
import { namePhrases } from './name-phrases.js';
import { possessivePhrases } from './possessive-phrases.js';
import { placeNames, placeOwners } from './place-names.js';

/** Which index ranks: lexical only, vectors only, or both fused. */
export type RetrievalMode = 'bm25' | 'vector' | 'hybrid';

const iForms = 'iíìỉĩị';
const yForms = 'yýỳỷỹỵ';

/** The same syllable spelt with the other of i and y ("kí" / "ký", "lí" / "lý", "mĩ" / "mỹ"), or null. */
function iyVariant(word: string): string | null {
  const last = word.at(-1) ?? '';
  const vowels = (word.match(/[aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]/gu) ?? []).length;
  if (word.length < 2 || vowels !== 1) return null; // only after a consonant, as the one vowel
  const i = iForms.indexOf(last);
  const y = yForms.indexOf(last);
  return i >= 0 ? word.slice(0, -1) + yForms[i] : y >= 0 ? word.slice(0, -1) + iForms[y] : null;
}

/**
 * The collections a retrieval may see (null: all). Term statistics (IDF, whether the materials
 * use a word) are those of these collections: a learner's answer does not depend on what other
 * centers hold, and is the one an index of only these collections would give.
 */
type Scope = ReadonlySet<string> | null;

/** A term no index holds (a folded term never has a space at both ends): its IDF is the highest. */
const unseenTerm = ' ';

export interface RetrieveOptions {
  /** Passages to return (default 5). */
  k?: number;
  /** Only these collections (default: all). */
  collections?: readonly string[] | null;
  mode?: RetrievalMode;
  /**
   * Chunks (by sequence number) left out: those of expired, not yet valid or replaced documents
   * in learners' answers (issue 18). Empty or absent: none.
   */
  exclude?: ReadonlySet<number>;
}

/** A retrieved passage with the evidence of why it ranked. */
export interface RetrievedChunk {
  chunk: ChunkRecord;
  /** Fused score (RRF) in hybrid mode, else the single index's score. */
  score: number;
  bm25Score: number | null;
  vectorScore: number | null;
  /** Query words (diacritic-folded) found in the passage, for highlighting. */
  matchedTerms: string[];
  /** The passage's folded terms (title, headings, text) as ids of the retriever's dictionary. */
  terms: PassageTerms;
}

export interface Retrieval {
  query: string;
  lang: Language;
  results: RetrievedChunk[];
  /** 0-1: how well the best passage covers the question. */
  answerability: number;
  answerable: boolean;
  /** The answerability threshold the decision used (absent in results made by hand). */
  threshold?: number;
  /**
   * False when a salient word of the question (a name, a place, a year) or what it says of it is
   * not in the materials (the answerability was cut by `salientFactor`); absent in results made by
   * hand. A feature of the answer's decision model (src/answer/answerability-model.ts).
   */
  salientCovered?: boolean;
}

/** Tuning of hybrid retrieval. */
export interface RetrieverSettings {
  /** Candidates taken from each index before fusion. */
  candidates: number;
  bm25Weight: number;
  vectorWeight: number;
  /** `rrf` (reciprocal rank fusion) or `convex` (weighted max-normalised scores). */
  fusion: 'rrf' | 'convex';
  /** Weight of the proximity re-ranking (best window coverage of query words); 0 turns it off. */
  proximityWeight: number;
  /** Jaccard overlap at which a lower-ranked passage counts as a near duplicate. */
  duplicateThreshold: number;
  answerability: AnswerabilitySettings;
}

export const defaultRetrieverSettings: RetrieverSettings = {
  candidates: 50,
  bm25Weight: 1,
  vectorWeight: 0.2,
  fusion: 'convex',
  proximityWeight: 0.25,
  duplicateThreshold: 0.95,
  answerability: defaultAnswerability,
};

export interface RetrieverDeps {
  bm25: Bm25Index;
  vectors: VectorIndex;
  embedQuery: (query: string) => Promise<ArrayLike<number>>;
  /** The store's `getChunks` (asynchronous with any store; a plain array is accepted too). */
  getChunks: (seqs: readonly number[]) => Promise<ChunkRecord[]> | ChunkRecord[];
}

/**
 * Hybrid retrieval: BM25 and vector candidates fused by reciprocal rank fusion, filtered by
 * collection, near duplicates removed, and an answerability score from the best passage.
 */
export class Retriever {
  // Chunks by sequence number: a seq is never reused, so a cached chunk is never stale.
  private readonly chunkCache = new Map<number, ChunkRecord>();

  constructor(
    private readonly deps: RetrieverDeps,
    readonly settings: RetrieverSettings = defaultRetrieverSettings,
  ) {}

  async retrieve(query: string, options: RetrieveOptions = {}): Promise<Retrieval> {
    const k = options.k ?? 5;
    const mode = options.mode ?? 'hybrid';
    const collections = options.collections?.length ? new Set(options.collections) : null;
    this.limitTermCaches();
    const exclude = options.exclude?.size ? options.exclude : null;
    // Deeper by the excluded chunks (up to 500 more), so leaving them out still leaves the candidates.
    const depth = Math.max(this.settings.candidates, k * 2) + (exclude ? Math.min(exclude.size, 500) : 0);
    const kept = <T extends { id: number }>(hits: T[]): T[] => (exclude ? hits.filter((h) => !exclude.has(h.id)) : hits);
    const tokens = tokenize(query);
    const bm25Hits = mode === 'vector' ? [] : kept(this.deps.bm25.search(tokens, depth, collections));
    let vectorHits: Array<{ id: number; score: number }> = [];
    if (mode !== 'bm25') {
      const vector = await this.deps.embedQuery(query);
      vectorHits = kept(this.deps.vectors.search(vector, depth, collections));
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
    let top = ranked.slice(0, k + Math.ceil(k / 2) + 2);
    if (this.settings.proximityWeight > 0 && mode !== 'vector')
      top = (await this.rerankByProximity(ranked, tokens, Math.max(top.length, 20), collections)).slice(0, top.length);
    const byId = await this.chunksBySeq(top.map((h) => h.id));
    const candidates: RetrievedChunk[] = [];
    for (const hit of top) {
      const chunk = byId.get(hit.id);
      if (!chunk) continue; // removed between the index read and the store read
      candidates.push({
        terms: this.termsOf(chunk),
        chunk,
        score: hit.score,
        bm25Score: bm25ById.get(hit.id) ?? null,
        vectorScore: vectorById.get(hit.id) ?? null,
        matchedTerms: [],
      });
    }
    // After the candidates' terms are interned: a query term the dictionary lacks is in none of them.
    const queryTerms = [...new Set(tokens.map((t) => t.folded))].map((term) => ({ term, id: this.dictionary.find(term) }));
    for (const c of candidates) c.matchedTerms = queryTerms.filter((q) => q.id >= 0 && containsTerm(c.terms, q.id)).map((q) => q.term);
    const results = removeNearDuplicates(candidates, (c) => c.terms, this.settings.duplicateThreshold).slice(0, k);
    const { score: answerability, salientCovered } = this.answerability(query, tokens, results, vectorHits[0]?.score ?? 0, collections);
    return {
      query,
      lang: detectLanguage(query),
      results,
      answerability,
      answerable: results.length > 0 && answerability >= this.settings.answerability.threshold,
      threshold: this.settings.answerability.threshold,
      salientCovered,
    };
  }

  /** Re-scores the first `depth` candidates: fused score (max-normalised) + weight × best window coverage. */
  private async rerankByProximity(
    ranked: ReadonlyArray<{ id: number; score: number }>,
    tokens: ReturnType<typeof tokenize>,
    depth: number,
    collections: Scope,
  ) {
    const head = ranked.slice(0, depth);
    if (head.length === 0) return [...ranked];
    const weights = new Map<string, number>();
    for (const term of contentTerms(tokens)) weights.set(term, this.deps.bm25.idf(term, collections));
    const best = head[0]!.score || 1;
    const chunks = await this.chunksBySeq(head.map((h) => h.id));
    const passages = new Map([...chunks].map(([seq, chunk]) => [seq, this.termsOf(chunk)]));
    const query = queryTermWeights(weights, this.dictionary);
    const rescored = head.map((h) => {
      const passage = passages.get(h.id);
      const coverage = passage ? windowCoverage(passage, query, 16) : 0;
      return { id: h.id, score: h.score / best + this.settings.proximityWeight * coverage };
    });
    rescored.sort((a, b) => b.score - a.score || a.id - b.id);
    return [...rescored, ...ranked.slice(depth)];
  }

  /** Chunks from the cache, the rest from the store in one query. Removed chunks are absent. */
  private async chunksBySeq(seqs: readonly number[]): Promise<Map<number, ChunkRecord>> {
    const found = new Map<number, ChunkRecord>();
    const missing: number[] = [];
    for (const seq of seqs) {
      const cached = this.chunkCache.get(seq);
      if (cached) found.set(seq, cached);
      else missing.push(seq);
    }
    for (const chunk of missing.length ? await this.deps.getChunks(missing) : []) {
      if (this.chunkCache.size >= 5000) this.chunkCache.clear();
      this.chunkCache.set(chunk.seq, chunk);
      found.set(chunk.seq, chunk);
    }
    return found;
  }

  // A chunk's folded terms (title, headings, text) as ids, from one tokenisation; seqs are never
  // reused, so an entry never goes stale.
  private dictionary = new TermDictionary();
  private readonly termsCache = new Map<number, PassageTerms>();

  private termsOf(chunk: ChunkRecord): PassageTerms {
    let terms = this.termsCache.get(chunk.seq);
    if (!terms) {
      // Stored at ingest; chunks stored before then are tokenised here.
      terms =
        chunk.foldedTerms !== undefined
          ? passageTermsOfStored(chunk.foldedTerms, this.dictionary)
          : passageTermsOf(foldedTermsOf(chunk), this.dictionary);
      this.termsCache.set(chunk.seq, terms);
    }
    return terms;
  }

  /**
   * Bounds the term caches between queries (never during one: ids of two dictionaries must not
   * meet). 20,000 passages are about 40-60 MB; the dictionary holds the vocabulary of the passages seen.
   */
  private limitTermCaches(): void {
    if (this.termsCache.size >= 20_000) this.termsCache.clear();
    if (this.dictionary.size >= 2_000_000) {
      this.dictionary = new TermDictionary();
      this.termsCache.clear();
    }
  }

  private answerability(
    asked: string,
    tokens: ReturnType<typeof tokenize>,
    results: RetrievedChunk[],
    bestSimilarity: number,
    collections: Scope,
  ): { score: number; salientCovered: boolean } {
    if (results.length === 0) return { score: 0, salientCovered: true };
    const terms = answerabilityTerms(tokens);
    const unseen = this.unseenAsWritten(tokens, new Set(terms), collections);
    const idf = (term: string) => {
      // An unseen word weighs as much as the rarest possible one.
      const df = unseen.has(term) ? 0 : this.deps.bm25.documentFrequency(term, collections);
      return df === 0 ? this.deps.bm25.idf(unseenTerm, collections) + 1 : this.deps.bm25.idf(term, collections);
    };
    if (terms.length === 0) return { score: 0, salientCovered: true }; // only question words and function words: nothing to cover
    let coverage = 0;
    const query = queryTermWeights(new Map(terms.map((t) => [t, idf(t)])), this.dictionary, unseen);
    const { window, salientFactor } = this.settings.answerability;
    for (const r of results.slice(0, 3)) {
      coverage = Math.max(coverage, windowCoverage(r.terms, query, window));
    }
    const score = answerabilityScore(coverage, bestSimilarity, this.settings.answerability);
    const salientCovered = this.salientCovered(asked, terms, results, collections);
    return { score: salientCovered ? score : score * salientFactor, salientCovered };
  }

  /**
   * Folded terms of words the question writes with marks that the materials never write so,
   * although they have the folded form: "bơi" (swimming) only as "bởi", "sư" (phạm) only as
   * "sử"/"sự", "triều" only as "triệu". Such a word is as unseen as a word the materials lack;
   * folding made it look covered. A term also written as the materials write it elsewhere in
   * the question is kept; with two or more, the question is one typed with stray marks.
   */
  private unseenAsWritten(tokens: ReturnType<typeof tokenize>, terms: ReadonlySet<string>, collections: Scope): Set<string> {
    const df = (term: string) => this.deps.bm25.documentFrequency(term, collections);
    const unseen = new Set<string>();
    const seen = new Set<string>();
    tokens.forEach((t, i) => {
      if (t.extra || !terms.has(t.folded)) return;
      const asWritten =
        t.exact === t.folded || [t.exact, iyVariant(t.exact)].some((form) => form !== null && df(`${exactPrefix}${form}`) > 0);
      // Its folded form beside a neighbour of the question is a phrase of the materials ("đòi
      // lại", "hỗ trợ"): the same word, spelt or typed another way ("dùng đê làm gì").
      const before = i > 0 && !t.breakBefore && !tokens[i - 1]!.extra ? `${tokens[i - 1]!.folded} ${t.folded}` : null;
      const next = tokens[i + 1];
      const after = next && !next.breakBefore && !next.extra ? `${t.folded} ${next.folded}` : null;
      const inPhrase = [before, after].some((bigram) => bigram !== null && df(bigram) > 0);
      if (asWritten || inPhrase) seen.add(t.folded);
      else if (df(t.folded) > 0) unseen.add(t.folded);
    });
    for (const term of seen) unseen.delete(term);
    // Two or more are a question typed with stray marks ("xác thưc 2 bươc", "chưng chỉ … tư do"), not a new subject.
    return unseen.size === 1 ? unseen : new Set();
  }

  /**
   * Whether every salient word of the question (a name, a place, a year: {@link salientTerms})
   * is in the materials, and what the question says of it is too: a phrase attached by "của"
   * ("thủ đô của Pháp") within `salientDistance` tokens of it in a top passage, as is a phrase
   * attached directly when the question says nothing else ("Thủ đô Pháp là gì?"); a phrase
   * attached directly in a longer question ("tổng thống Mỹ") anywhere in the materials.
   * Every name of several words ({@link namePhrases}) stands in the materials word after word.
   */
  private salientCovered(question: string, terms: readonly string[], results: readonly RetrievedChunk[], collections: Scope): boolean {
    const distance = this.settings.answerability.salientDistance;
    const df = (term: string) => this.deps.bm25.documentFrequency(term, collections);
    // A name of several words stands in the materials as written, word after word ("Cao đẳng
    // Sư phạm Hòa An" is not "cao", "sư phạm"… scattered over the handbook).
    if (!namePhrases(question).every((name) => name.slice(1).every((word, i) => df(`${name[i]} ${word}`) > 0))) return false;
    // A province, district or ward is its kind and its name together: "tỉnh Bình Dương" is not
    // "Thái Bình Dương", "quận 1" is no place of the materials.
    if (!placeNames(question).every((place) => df(place) > 0)) return false;
    // An institution of a province is its kind and the province together: "Thư viện tỉnh Hòa
    // An" is not the centre's library in the province's materials.
    if (!placeOwners(question).every((pair) => df(pair) > 0)) return false;
    // A question that asks only "X của Y", in any case, with or without marks ("thu do cua nhat
    // ban la gi"), is covered where X stands near Y, not where each is somewhere.
    const near = (attribute: readonly string[], owner: string) => {
      const id = this.dictionary.find(owner);
      const phrase = attribute.map((n) => this.dictionary.find(n));
      return id >= 0 && phrase.every((n) => n >= 0) && results.some((r) => phraseOccursNear(r.terms, id, phrase, distance));
    };
    for (const { attribute, owner } of possessivePhrases(question, (bigram) => df(bigram) > 0)) {
      if (!terms.every((t) => attribute.includes(t) || owner.includes(t))) continue;
      // The owner's rarest word names it best ("nhat" of "nhat ban").
      const rarest = owner.filter((w) => df(w) > 0).sort((a, b) => df(a) - df(b))[0];
      if (rarest === undefined || !near(attribute, rarest)) return false;
    }
    return salientTerms(question).every(({ term, neighbours, possessive }) => {
      if (df(term) === 0) return false;
      if (neighbours.length === 0) return true;
      // A question that is only "X Name" ("Thủ đô Pháp là gì?") asks of their relation as "X
      // của Name" does: X must stand near the name.
      const onlyThePhrase = terms.every((t) => t === term || neighbours.includes(t));
      // Either the phrase or its last word with the name is one the materials use ("rừng Amazon").
      if (!possessive && !onlyThePhrase) return df(neighbours.join(' ')) > 0 || df(`${neighbours.at(-1)} ${term}`) > 0;
      const id = this.dictionary.find(term);
      const phrase = neighbours.map((n) => this.dictionary.find(n));
      return id >= 0 && phrase.every((n) => n >= 0) && results.some((r) => phraseOccursNear(r.terms, id, phrase, distance));
    });
  }
}
