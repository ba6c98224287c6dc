import { Bm25Index } from '../indexes/index.js';
import type { VerifiedAnswer } from '../store/index.js';
import { exactPrefix } from '../indexes/index.js';
import { holdsDigit, matchTerms, type MatchTerm } from './match-terms.js';
import { hasDiacritics } from '../text/index.js';
import { cosine, matchScore, swappedTerms } from './match-score.js';
import { isValidOn } from './validity.js';

/** Tuning of matching; the defaults were chosen on evals/verified (docs/curation.md). */
export interface MatchSettings {
  /** Score (0-1) from which a question counts as asking a verified question. */
  threshold: number;
  /** Share of the vector similarity in the score; the rest is the lexical {@link matchScore}. */
  vectorWeight: number;
  /** Candidates the BM25 index hands to scoring. */
  candidates: number;
  /** Weight of precision against recall in the lexical score (F-beta); below 1 favours precision. */
  beta: number;
  /** Factor applied to the score for each swapped word ({@link swappedTerms}). */
  swapFactor: number;
  /**
   * IDF over the materials and the verified questions together: a word most verified questions
   * share ("học phí") tells them apart less than the materials alone say.
   */
  pooledIdf: boolean;
  /**
   * A question typed without marks is compared on folded weights on both sides (a verified
   * question's "nhận" weighs as "nhan" does), not its folded words against the marked ones.
   */
  foldUnmarked: boolean;
  /** A number or code that disagrees ("học kỳ 2" for "học kỳ 1", "B2" for "B1") rules a match out. */
  numberVeto: boolean;
}

/** Chosen on the tuning half of evals/verified by `npm run eval:verified` (docs/curation.md). */
export const defaultMatchSettings: MatchSettings = {
  threshold: 0.79,
  vectorWeight: 0,
  candidates: 20,
  beta: 1,
  swapFactor: 0.5,
  pooledIdf: false,
  foldUnmarked: true,
  numberVeto: true,
};

export interface MatcherDeps {
  /** IDF of a folded term in the center's materials (rare words weigh more). */
  idf: (term: string) => number;
  /** The highest IDF (a term the materials lack): numbers and codes weigh this much. */
  maxIdf: number;
  /** Chunks holding a term and chunks in all ({@link MatchSettings.pooledIdf}); omitted: `idf` alone. */
  documentFrequency?: (term: string) => number;
  documents?: number;
  /** The engine's query embedder; omitted: lexical only. */
  embed?: (text: string) => Promise<ArrayLike<number>>;
}

/** IDF of a term key (folded, or `=`-prefixed exact form); Lucene's formula, as the BM25 index. */
type TermIdf = (key: string) => number;

const idfOf = (n: number, df: number): number => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/**
 * The IDF matching weighs terms by: the materials' own, or pooled with the verified questions and
 * phrasings (`texts`), counted as more documents of the same collection.
 */
function termIdf(texts: readonly MatchTerm[][], deps: MatcherDeps, settings: MatchSettings): { idf: TermIdf; maxIdf: number } {
  if (!settings.pooledIdf || !deps.documentFrequency || deps.documents === undefined) return { idf: deps.idf, maxIdf: deps.maxIdf };
  const df = new Map<string, number>();
  for (const terms of texts) {
    const keys = new Set(terms.flatMap((t) => (t.exact !== t.folded ? [t.folded, exactPrefix + t.exact] : [t.folded])));
    for (const key of keys) df.set(key, (df.get(key) ?? 0) + 1);
  }
  const n = deps.documents + texts.length;
  const corpusDf = deps.documentFrequency;
  return { idf: (key) => idfOf(n, corpusDf(key) + (df.get(key) ?? 0)), maxIdf: idfOf(n, 0) };
}

/**
 * Each term's weight: its IDF, of the form with marks when typed so and `exact` ("Nhật" is rare
 * where "nhất" is everywhere), and the highest IDF for numbers and codes (a term, a level, a
 * year: what tells one fee or exam from another).
 */
function weigh(terms: readonly MatchTerm[], stats: { idf: TermIdf; maxIdf: number }, exact: boolean): Map<string, number> {
  const weights = new Map<string, number>();
  for (const t of terms) {
    const idf = holdsDigit(t.folded)
      ? stats.maxIdf
      : exact && t.exact !== t.folded
        ? stats.idf(exactPrefix + t.exact)
        : stats.idf(t.folded);
    weights.set(t.folded, Math.max(0.1, idf));
  }
  return weights;
}

/** Whether two questions name different numbers or codes: each holds one the other lacks. */
export function numbersDisagree(asked: readonly string[], verified: readonly string[]): boolean {
  const a = asked.filter(holdsDigit);
  const v = verified.filter(holdsDigit);
  return a.some((t) => !v.includes(t)) && v.some((t) => !a.includes(t));
}

/** One matchable text: a verified question or one of its phrasings. */
interface Entry {
  answer: VerifiedAnswer;
  text: string;
  terms: Map<string, number>;
  /** The same terms weighed by their folded forms, against a question typed without marks. */
  foldedTerms: Map<string, number>;
  /** The terms in question order, for {@link swappedTerms}. */
  sequence: string[];
  vector: ArrayLike<number> | null;
}

export interface VerifiedMatch {
  answer: VerifiedAnswer;
  /** The question or phrasing it matched. */
  matched: string;
  score: number;
}

/**
 * A small index over a center's verified questions and phrasings: BM25 (folded and exact terms,
 * as for documents) picks candidates, then each is scored by the shared weighted terms and,
 * lightly, the local vectors. Built once per change of the answers (see `VerifiedAnswers`).
 */
export class VerifiedMatcher {
  private constructor(
    private readonly entries: Entry[],
    private readonly bm25: Bm25Index,
    private readonly deps: MatcherDeps,
    private readonly stats: { idf: TermIdf; maxIdf: number },
    readonly settings: MatchSettings,
  ) {}

  static async build(
    answers: readonly VerifiedAnswer[],
    deps: MatcherDeps,
    settings: MatchSettings = defaultMatchSettings,
  ): Promise<VerifiedMatcher> {
    const texts = answers.flatMap((answer) =>
      [answer.question, ...answer.phrasings].map((text) => ({ answer, text, terms: matchTerms(text) })),
    );
    const stats = termIdf(
      texts.map((t) => t.terms),
      deps,
      settings,
    );
    const entries: Entry[] = [];
    const bm25 = new Bm25Index();
    for (const { answer, text, terms } of texts) {
      const vector = deps.embed && settings.vectorWeight > 0 ? await deps.embed(text) : null;
      bm25.add(entries.length, { title: '', headings: '', text }, '');
      entries.push({
        answer,
        text,
        terms: weigh(terms, stats, true),
        foldedTerms: weigh(terms, stats, false),
        sequence: terms.map((t) => t.folded),
        vector,
      });
    }
    return new VerifiedMatcher(entries, bm25, deps, stats, settings);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * Every candidate's score for `question`, best first, among the answers usable on `today` in
   * `collections` (null: any). The evaluation reads the scores; `match` applies the threshold.
   */
  async scores(question: string, options: { today: string; collections?: readonly string[] | null }): Promise<VerifiedMatch[]> {
    if (this.entries.length === 0) return [];
    const hits = this.bm25.search(question, this.settings.candidates);
    if (hits.length === 0) return [];
    const askedTerms = matchTerms(question);
    const asked = weigh(askedTerms, this.stats, true);
    const unmarked = this.settings.foldUnmarked && !hasDiacritics(question);
    const askedSequence = askedTerms.map((t) => t.folded);
    const vector = this.deps.embed && this.settings.vectorWeight > 0 ? await this.deps.embed(question) : null;
    const wanted = options.collections?.length ? options.collections : null;
    const best = new Map<string, VerifiedMatch>();
    for (const hit of hits) {
      const entry = this.entries[hit.id]!;
      const a = entry.answer;
      if (!isValidOn(a, options.today)) continue;
      if (wanted && a.collections.length > 0 && !a.collections.some((c) => wanted.includes(c))) continue;
      if (this.settings.numberVeto && numbersDisagree(askedSequence, entry.sequence)) continue;
      const lexical =
        matchScore(asked, unmarked ? entry.foldedTerms : entry.terms, this.settings.beta) *
        this.settings.swapFactor ** swappedTerms(askedSequence, entry.sequence);
      const similarity = vector && entry.vector ? Math.max(0, cosine(vector, entry.vector)) : lexical;
      const score = (1 - this.settings.vectorWeight) * lexical + this.settings.vectorWeight * similarity;
      const known = best.get(a.id);
      if (!known || score > known.score) best.set(a.id, { answer: a, matched: entry.text, score });
    }
    return [...best.values()].sort((x, y) => y.score - x.score);
  }

  /** The verified answer `question` asks for, or null when none scores at the threshold. */
  async match(question: string, options: { today: string; collections?: readonly string[] | null }): Promise<VerifiedMatch | null> {
    const [top] = await this.scores(question, options);
    return top && top.score >= this.settings.threshold ? top : null;
  }
}
