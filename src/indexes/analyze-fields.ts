import { englishStopwords, questionTokenMask, questionWords, tokenize, type Token } from '../text/index.js';

/** The searchable fields of a chunk. */
export interface IndexedFields {
  title: string;
  headings: string;
  text: string;
  /** The three fields' tokens, when the caller has tokenised them already (ingest does). */
  tokens?: FieldTokens;
}

export interface FieldTokens {
  title: readonly Token[];
  headings: readonly Token[];
  text: readonly Token[];
}

export function tokenizeFields(fields: Pick<IndexedFields, 'title' | 'headings' | 'text'>): FieldTokens {
  return { title: tokenize(fields.title), headings: tokenize(fields.headings), text: tokenize(fields.text) };
}

/** Weighted term frequencies of one document or query, and its weighted length. */
export interface AnalyzedTerms {
  /** term → weighted frequency. Folded terms are bare; exact forms start with `=`; bigrams hold a space. */
  terms: Map<string, number>;
  length: number;
}

/** Prefix of exact-diacritic terms, kept only where they differ from the folded form. */
export const exactPrefix = '=';

function addTokens(terms: Map<string, number>, tokens: readonly Token[], weight: number): number {
  let previous: string | null = null;
  let length = 0;
  for (const token of tokens) {
    terms.set(token.folded, (terms.get(token.folded) ?? 0) + weight);
    length += weight;
    if (token.exact !== token.folded) {
      const exact = exactPrefix + token.exact;
      terms.set(exact, (terms.get(exact) ?? 0) + weight);
    }
    if (token.extra) continue;
    if (previous !== null && !token.breakBefore) {
      const bigram = `${previous} ${token.folded}`;
      terms.set(bigram, (terms.get(bigram) ?? 0) + weight);
    }
    previous = token.folded;
  }
  return length;
}

/**
 * Terms of a chunk for BM25F-style scoring: title and heading tokens count `titleWeight` and
 * `headingWeight` times, text tokens once. Every token gives its folded form, its exact form
 * (when it has diacritics) and a folded bigram with the previous token of the same phrase.
 */
export function analyzeFields(fields: IndexedFields, titleWeight: number, headingWeight: number): AnalyzedTerms {
  const terms = new Map<string, number>();
  let length = 0;
  const { tokens } = fields;
  if (titleWeight > 0) length += addTokens(terms, tokens?.title ?? tokenize(fields.title), titleWeight);
  if (headingWeight > 0) length += addTokens(terms, tokens?.headings ?? tokenize(fields.headings), headingWeight);
  length += addTokens(terms, tokens?.text ?? tokenize(fields.text), 1);
  return { terms, length };
}

/**
 * Terms of a query with their weights. Question words (`bao nhiêu`, `what`), the English
 * stopwords kept because they are also Vietnamese syllables (`the`, `to`), and bigrams made only
 * of such words weigh `questionWordWeight`: they say little about what a passage is about.
 */
export function analyzeQuery(
  query: string | readonly Token[],
  questionWordWeight = 1,
): { terms: Map<string, number>; tokens: readonly Token[] } {
  const tokens = typeof query === 'string' ? tokenize(query) : query;
  const terms = new Map<string, number>();
  addTokens(terms, tokens, 1);
  if (questionWordWeight !== 1) {
    // Words inside a question phrase (`mấy giờ`) count as asking wherever they occur in this query.
    const words = tokens.filter((t) => !t.extra);
    const asks = questionTokenMask(words.map((t) => t.folded));
    const asking = new Set(words.filter((_, i) => asks[i]).map((t) => t.folded));
    // The terms addTokens made whose every word only asks, found in the same walk over the
    // tokens (splitting each term again cost more than the rest of the analysis).
    const askingTerms = new Set<string>();
    let previous: string | null = null;
    let previousAsks = false;
    for (const token of tokens) {
      const tokenAsks = asking.has(token.folded) || questionWords.has(token.folded) || englishStopwords.has(token.folded);
      if (tokenAsks) {
        askingTerms.add(token.folded);
        if (token.exact !== token.folded) askingTerms.add(exactPrefix + token.exact);
      }
      if (token.extra) continue;
      if (previous !== null && !token.breakBefore && previousAsks && tokenAsks) askingTerms.add(`${previous} ${token.folded}`);
      previous = token.folded;
      previousAsks = tokenAsks;
    }
    for (const term of askingTerms) terms.set(term, terms.get(term)! * questionWordWeight);
  }
  return { terms, tokens };
}
