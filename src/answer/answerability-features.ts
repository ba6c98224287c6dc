import { answerabilityTerms, type Retrieval } from '../retrieve/index.js';
import { splitSentences, tokenize } from '../text/index.js';
import { answerSpanStrength, spanTypes, type DetectedAnswerType } from './answer-type.js';

/**
 * The evidence the answer-or-decline model weighs, one number each (0-1 unless said), in the
 * order of {@link answerabilityFeatureNames}. All are read from the question as searched and the
 * passages retrieved for it; none needs a model or a second search.
 */
export const answerabilityFeatureNames = [
  /** The retriever's score: 0.7 × best 24-token window coverage + 0.3 × best cosine, cut for a missing salient word. */
  'retrieverScore',
  /** 1 when a name, place or year of the question (or what it says of it) is not in the materials. */
  'salientMissing',
  /** IDF-weighted share of the question's content words anywhere in the best of the top three passages. */
  'passageCoverage',
  /** The same inside one sentence (the best one of the top three passages): matched words close together. */
  'sentenceCoverage',
  /** Share of the question's two rarest words that stand in that best sentence. */
  'rareInSentence',
  /** 1 when the question's rarest word is in none of the top three passages. */
  'rarestAbsent',
  /** IDF-weighted share of the question's content words the materials never use. */
  'unseenShare',
  /** Share of the question's adjacent content-word pairs that are phrases of the materials. */
  'knownBigrams',
  /** 1 when the question asks for a kind of fact with a span (time, place, amount…). */
  'spanAsked',
  /** 1 when it does and none of the passages holds one. */
  'spanMissing',
  /** Share of the question's adjacent content-word pairs that stand side by side in one of the top three passages. */
  'passageBigrams',
  /** IDF of the rarest question word missing from the best sentence, over the largest IDF (0 when none is missing). */
  'missingRareIdf',
  /** The best vector similarity among the passages. */
  'vectorSimilarity',
  /** The best passage's BM25 score over 2.5 × the summed IDF of the question's content words (about its most). */
  'bm25Strength',
  /** (first − second BM25 score) / first: one passage standing out. */
  'bm25Margin',
  /** Number of content words, / 8, at most 1. */
  'length',
  /** 1 for an English question. */
  'english',
] as const;

export type AnswerabilityFeatureName = (typeof answerabilityFeatureNames)[number];

export interface AnswerabilityEvidence {
  /** The question as searched (joined to the previous topic for a follow-up). */
  searched: string;
  retrieval: Retrieval;
  /** The fact type asked, if any (`detectAnswerType` of the searched question). */
  asked: DetectedAnswerType | null;
  idf: (term: string) => number;
}

/** Made-up word that no material holds: its IDF is the largest there is (df 0). */
const unseenProbe = 'zzqxjv';

/** The features of {@link answerabilityFeatureNames} for one question and its passages (NaN: unknown in this retrieval mode). */
export function answerabilityFeatures({ searched, retrieval, asked, idf }: AnswerabilityEvidence): number[] {
  const tokens = tokenize(searched);
  const terms = answerabilityTerms(tokens);
  const unseenIdf = idf(unseenProbe);
  const unseen = (term: string) => idf(term) >= unseenIdf - 1e-9;
  const weight = new Map(terms.map((t) => [t, idf(t)]));
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  const share = (present: (term: string) => boolean) =>
    total > 0 ? terms.reduce((sum, t) => sum + (present(t) ? weight.get(t)! : 0), 0) / total : 0;
  const top = retrieval.results.slice(0, 3);
  const rare = [...terms].sort((a, b) => weight.get(b)! - weight.get(a)! || a.localeCompare(b)).slice(0, 2);

  let passageCoverage = 0;
  let sentenceCoverage = 0;
  let rareInSentence = 0;
  let bestSentence = new Set<string>();
  const rarestSeen = rare.length > 0 && top.some((r) => passageHolds(r.chunk.text, r.chunk.headingPath, rare[0]!));
  for (const r of top) {
    const inPassage = new Set(tokenize(`${r.chunk.headingPath.join(' ')} ${r.chunk.text}`).map((t) => t.folded));
    passageCoverage = Math.max(
      passageCoverage,
      share((t) => inPassage.has(t)),
    );
    for (const sentence of splitSentences(r.chunk.text)) {
      const words = new Set(tokenize(sentence.text).map((t) => t.folded));
      const coverage = share((t) => words.has(t));
      if (
        coverage > sentenceCoverage ||
        (coverage === sentenceCoverage && rare.filter((t) => words.has(t)).length / Math.max(1, rare.length) > rareInSentence)
      ) {
        sentenceCoverage = coverage;
        bestSentence = words;
        rareInSentence = rare.length > 0 ? rare.filter((t) => words.has(t)).length / rare.length : 0;
      }
    }
  }

  // Adjacent content words of the question, as the index writes bigrams ("thủ đô", "tổng thống").
  const content = new Set(terms);
  const questionPairs = bigramsOf(tokens)
    .filter(([a, b]) => content.has(a) && content.has(b))
    .map(([a, b]) => `${a} ${b}`);
  const pairs = questionPairs.length;
  const known = questionPairs.filter((pair) => !unseen(pair)).length;
  const passagePairs = top.map(
    (r) => new Set(bigramsOf(tokenize(`${r.chunk.headingPath.join(' ')}. ${r.chunk.text}`)).map(([a, b]) => `${a} ${b}`)),
  );
  const passageBigrams =
    pairs > 0 ? Math.max(0, ...passagePairs.map((set) => questionPairs.filter((pair) => set.has(pair)).length / pairs)) : 1;
  const missingRareIdf =
    unseenIdf > 0
      ? Math.max(0, ...terms.filter((t) => !bestSentence.has(t)).map((t) => Math.min(weight.get(t)!, unseenIdf) / unseenIdf))
      : 0;

  const spanAsked = asked !== null && spanTypes.has(asked.type);
  const spanMissing = spanAsked && !retrieval.results.some((r) => answerSpanStrength(r.chunk.text, asked) > 0);
  // A retrieval mode without one of the indexes (bm25 or vector alone, in the evaluation) has no
  // such scores: the feature is unknown (NaN), and the model weighs it as its average.
  const hasVector = retrieval.results.some((r) => r.vectorScore !== null);
  const hasBm25 = retrieval.results.some((r) => r.bm25Score !== null);
  const vectorSimilarity = hasVector ? Math.max(0, ...retrieval.results.map((r) => r.vectorScore ?? 0)) : Number.NaN;
  const bm25 = retrieval.results.map((r) => r.bm25Score ?? 0).sort((a, b) => b - a);
  const bm25Strength = !hasBm25 ? Number.NaN : total > 0 ? Math.min(1, (bm25[0] ?? 0) / (2.5 * total)) : 0;
  const bm25Margin = !hasBm25 ? Number.NaN : (bm25[0] ?? 0) > 0 ? ((bm25[0] ?? 0) - (bm25[1] ?? 0)) / bm25[0]! : 0;

  return [
    retrieval.answerability,
    retrieval.salientCovered === false ? 1 : 0,
    passageCoverage,
    sentenceCoverage,
    rareInSentence,
    rare.length > 0 && !rarestSeen ? 1 : 0,
    share(unseen),
    pairs > 0 ? known / pairs : 1,
    spanAsked ? 1 : 0,
    spanMissing ? 1 : 0,
    passageBigrams,
    missingRareIdf,
    vectorSimilarity,
    bm25Strength,
    bm25Margin,
    Math.min(1, terms.length / 8),
    retrieval.lang === 'en' ? 1 : 0,
  ];
}

/** Adjacent word pairs (folded) not split by punctuation, codes left out, as the index makes bigrams. */
function bigramsOf(tokens: ReturnType<typeof tokenize>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 1; i < tokens.length; i++) {
    const a = tokens[i - 1]!;
    const b = tokens[i]!;
    if (!b.breakBefore && !a.extra && !b.extra) out.push([a.folded, b.folded]);
  }
  return out;
}

function passageHolds(text: string, headings: readonly string[], term: string): boolean {
  return tokenize(`${headings.join(' ')} ${text}`).some((t) => t.folded === term);
}
