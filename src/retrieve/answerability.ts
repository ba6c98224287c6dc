import {
  detectLanguage,
  englishStopwords,
  foldDiacritics,
  normalizeToneMarks,
  questionTokenMask,
  questionWords,
  tokenize,
  type Token,
} from '../text/index.js';

/** The query's content words (folded), for coverage. */
export function contentTerms(tokens: readonly Token[]): string[] {
  const words = tokens.filter((t) => !t.extra);
  const asks = questionTokenMask(words.map((t) => t.folded));
  return [...new Set(words.filter((_, i) => !asks[i]).map((t) => t.folded))];
}

/**
 * The words answerability weighs: the content terms without English function words ("the",
 * "of", "is", "does"…), which every English passage holds. A question made only of such words and
 * question words has none, and is declined.
 */
export function answerabilityTerms(tokens: readonly Token[]): string[] {
  return contentTerms(tokens).filter((t) => !englishStopwords.has(t) && !englishAuxiliaries.has(t));
}

/** English auxiliaries as the tokenizer stems them ("does" → "doe"); none is a folded Vietnamese syllable. */
const englishAuxiliaries = new Set(['doe', 'has', 'been', 'being', 'did', 'have', 'would', 'should', 'could', 'might', 'must', 'shall']);

/** A salient word of a question, and the word it is attached to there, if any. */
export interface SalientTerm {
  /** Folded as the index folds it (English stemmed). */
  term: string;
  /** The lower-case content words it qualifies, up to two, in question order ("tổng thống" in "tổng thống Mỹ", "thủ đô" in "thủ đô của Pháp"); empty when none. */
  neighbours: string[];
  /**
   * Attached by "của" (X của Y: "thủ đô của Pháp"): X, as a phrase, must stand within
   * `salientDistance` tokens of Y in a top passage. Attached directly ("tổng thống Mỹ"): X must
   * be a phrase of the materials at all (no passage says "tổng thống").
   */
  possessive: boolean;
}

const vietnameseQuestionWords = new Set('gì nào đâu sao bao nhiêu mấy ai giờ khi lúc thế như'.split(' '));
const foldedVietnameseQuestionWords = new Set([...vietnameseQuestionWords].map((w) => foldDiacritics(w)));
/** Vietnamese function words: they link names, they are not part of one. */
export const vietnameseFunctionWords: ReadonlySet<string> = new Set(
  'của và là có không được cho thì ở tại trong với các những một này do còn sẽ đã đang vào ra đến từ hay hoặc nếu khi mà sau trước trên dưới giữa ngoài theo về bằng qua cùng'.split(
    ' ',
  ),
);

/**
 * The question's salient words: names, places and subjects written with a capital inside the
 * question ("Pháp", "Mỹ", "Paris", "EA", "Accounts Office") and four-digit numbers (a year such
 * as 1789). A question is about them: materials that lack them do not cover it even when its
 * common words match ("What is the capital of France?"). In Vietnamese, what the question says
 * of the name counts too ({@link SalientTerm.possessive}): the history lesson is full of
 * "Pháp" and of "thủ đô", never side by side, and never says "tổng thống".
 */
export function salientTerms(query: string): SalientTerm[] {
  const text = query.normalize('NFC');
  // Whole words, codes included ("COVID-19", "Mác-Lênin"), with where each starts.
  const matches = [...text.matchAll(/[\p{L}\p{M}\p{N}]+(?:[-/.][\p{L}\p{M}\p{N}]+)*/gu)];
  const words = matches.map((m) => m[0]);
  // A capital after a sentence end, a colon or an opening quote starts a sentence, not a name.
  const sentenceStart = matches.map((m) => m.index === 0 || /[.!?:;"“”'‘’«(…]\s*$/u.test(text.slice(Math.max(0, m.index - 3), m.index)));
  // A question written in capitals has no capitals to tell names by.
  const shouting = words.filter((w) => /\p{L}/u.test(w) && w === w.toUpperCase()).length * 2 > words.length;
  const lower = words.map((w) => normalizeToneMarks(w).toLowerCase());
  const folded = lower.map((w) => foldDiacritics(w));
  const asks = questionTokenMask(folded);
  // Typed without marks, a question is still Vietnamese by its words ("lop tieng Nhat hoc ngay nao").
  const unmarked = words.every((w) => foldDiacritics(w) === w);
  const vietnamese = !unmarked || detectLanguage(text) === 'vi';
  const out = new Map<string, SalientTerm>();
  words.forEach((w, i) => {
    // The first word is capitalised as the start of the sentence, not as a name. A capitalised
    // word is a name even when its folded form asks ("Mỹ" is not "my").
    const capitalised = !shouting && !sentenceStart[i] && /^\p{Lu}/u.test(w);
    // In a Vietnamese question typed without any marks, a capitalised "My" is Mỹ, not the English
    // "my" ("ai la tong thong My"); a Vietnamese question word stays one, and a code in capitals
    // ("hàm IF") stays what the index makes of it. With marks elsewhere, a word without them
    // is written so ("Ban Giám đốc").
    const unmarkedName =
      vietnamese && unmarked && capitalised && /^\p{Lu}\p{Ll}/u.test(w) && !foldedVietnameseQuestionWords.has(folded[i]!);
    const named = capitalised && (!questionWords.has(lower[i]!) || unmarkedName);
    const year = /^\d{4}$/.test(w);
    if ((asks[i] && !named) || (englishStopwords.has(folded[i]!) && !unmarkedName) || !(named || year)) return;
    const term = tokenize(w)[0]?.folded ?? folded[i]!;
    const neighbours: string[] = [];
    let possessive = false;
    // An acronym or code (CNTT, EA, B101) names a subject of the materials, not a relation.
    const acronym = /^[\p{Lu}\p{N}]{2,}$/u.test(w);
    if (vietnamese && named && !acronym) {
      let j = i - 1;
      if (j >= 0 && lower[j] === 'của') {
        possessive = true;
        j--;
      }
      for (; j >= 0 && neighbours.length < 2; j--) {
        const candidate = words[j]!;
        // Written with its marks, "đô" is not the question word "do".
        const asking = asks[j] && (lower[j] === folded[j] || vietnameseQuestionWords.has(lower[j]!));
        if ((!sentenceStart[j] && /^\p{Lu}/u.test(candidate)) || vietnameseFunctionWords.has(lower[j]!) || asking) break;
        neighbours.push(tokenize(candidate)[0]?.folded ?? folded[j]!);
      }
      if (neighbours.length === 0) possessive = false;
      neighbours.reverse(); // in question order: "thủ đô", not "đô thủ"
    }
    if (!out.has(term)) out.set(term, { term, neighbours, possessive });
  });
  return [...out.values()];
}

/** How the answerability score is made, and the threshold under which trogiang declines. */
export interface AnswerabilitySettings {
  /** Weight of term coverage; the rest goes to the best vector similarity. */
  coverageWeight: number;
  /** Below it, trogiang declines. Calibrated by evals/calibrate-answerability.ts on the shared sets. */
  threshold: number;
  /**
   * Coverage is measured inside the best window of this many tokens of a passage: the words of a
   * question the materials answer stand close together; those of a near-miss ("học phí ở trung
   * tâm quận 3") are scattered over the passage.
   */
  window: number;
  /**
   * Answerability kept when a salient word of the question is missing from the top passages, or
   * stands farther than `salientDistance` tokens from the word it qualifies ({@link salientTerms}),
   * or a name of several words is not in the materials word after word (`namePhrases`). 0.45:
   * "Thủ đô Pháp là gì?" (0.757 before) falls clearly under the threshold; calibration unchanged
   * (docs/answers.md, round 3).
   */
  salientFactor: number;
  salientDistance: number;
}

/** Threshold 0.38 from `npx tsx evals/calibrate-answerability.ts` and the golden sets (docs/answers.md, "Calibration"). */
export const defaultAnswerability: AnswerabilitySettings = {
  coverageWeight: 0.7,
  threshold: 0.38,
  window: 24,
  salientFactor: 0.45,
  salientDistance: 8,
};

/** Combines the best passage's term coverage and vector similarity into one 0-1 score. */
export function answerabilityScore(coverage: number, similarity: number, settings: AnswerabilitySettings): number {
  const sim = Math.max(0, Math.min(1, similarity));
  return settings.coverageWeight * coverage + (1 - settings.coverageWeight) * sim;
}
