import type { RetrievedChunk } from '../retrieve/index.js';
import {
  foldDiacritics,
  normalizeToneMarks,
  questionTokenMask,
  splitSentences,
  tokenize,
  type Language,
  type Token,
} from '../text/index.js';
import { answerSpanStrength, detectAnswerType, findAnswerSpans, spanTypes, type DetectedAnswerType } from './answer-type.js';
import { ownThingWords } from './follow-up.js';
import { askedUnit, unitFactor } from './units.js';

/** A sentence chosen for the answer, with the rank of the passage it came from. */
export interface SelectedSentence {
  text: string;
  /** Index of the passage in the retrieval results. */
  source: number;
  /** Position in the passage, to keep document order. */
  position: number;
  score: number;
}

export interface SelectionSettings {
  /** Passages the answer may quote from. */
  passages: number;
  maxSentences: number;
  maxChars: number;
  /** A sentence joins the answer if it scores at least this share of the best one. */
  relativeFloor: number;
}

/** relativeFloor 0.75: citation precision 0.85 on the golden sets (0.81 at 0.6), see evals/README.md. */
export const defaultSelectionSettings: SelectionSettings = { passages: 3, maxSentences: 3, maxChars: 480, relativeFloor: 0.75 };

interface Candidate extends SelectedSentence {
  lang: Language;
}

/**
 * Picks the few sentences of the top passages that best answer the question: each sentence is
 * scored by the IDF of the question's words (and bigrams) it contains, a little more for the
 * better-ranked passage and for the question's language; the best one and those close to it
 * are kept, plus the list items that follow a sentence ending in a colon.
 */
export function selectSentences(
  question: string,
  questionLang: Language,
  results: readonly RetrievedChunk[],
  idf: (term: string) => number,
  settings: SelectionSettings = defaultSelectionSettings,
  /** The question as the learner asked it, when it was searched joined to an earlier topic: what the fact is asked of is what the learner named. */
  askedAs: string = question,
): SelectedSentence[] {
  const queryTokens = tokenize(question);
  // Words that only ask ("mấy giờ", "bao nhiêu") say nothing about which sentence answers: "giờ"
  // would pull "sau giờ học" into an answer about class hours.
  const asking = questionTokenMask(queryTokens.map((t) => t.folded));
  const queryTerms = new Set(queryTokens.filter((t, i) => t.extra || !asking[i]).map((t) => t.folded));
  const queryBigrams = new Set<string>();
  for (let i = 1; i < queryTokens.length; i++) {
    if (!queryTokens[i]!.breakBefore && !queryTokens[i]!.extra) queryBigrams.add(`${queryTokens[i - 1]!.folded} ${queryTokens[i]!.folded}`);
  }
  const asked = detectAnswerType(question);
  const spanAsked = asked !== null && spanTypes.has(asked.type);
  const alternativesAsked = alternativePairs(queryTokens);
  // What the fact is asked of ("lớp", "sáng" of "lop buoi sang hoc may gio"): the sentence
  // holding the span should name it, or its section should.
  const things = spanAsked ? thingTerms(askedAs) : [];
  // The unit an amount is asked per ("một tháng"): the answer leads with the amount per it.
  const unit = asked?.type === 'money' ? askedUnit(question) : null;
  // A fact of a given kind may sit in a lower passage than the topic's overview: look further.
  const passages = spanAsked ? Math.max(settings.passages, 5) : settings.passages;
  const candidates: Candidate[] = [];
  const bySource: Candidate[][] = [];
  results.slice(0, passages).forEach((result, source) => {
    const list: Candidate[] = [];
    // The section heading is context every sentence of the passage shares, at half weight.
    const sectionTerms = new Set(tokenize(result.chunk.headingPath.at(-1) ?? '').map((t) => t.folded));
    const pathTerms = things.length > 0 ? tokenize(result.chunk.headingPath.join(' ')).map((t) => t.folded) : [];
    // In a list of questions and answers, the question is the heading of the two sentences after
    // it: "Anh, chị đề nghị tại Bộ phận Một cửa (phòng A101)" answers "… giấy xác nhận … xin ở đâu?".
    let askedAbove: Set<string> = new Set();
    let askedFor = 0;
    splitSentences(result.chunk.text).forEach((sentence, position) => {
      const tokens = tokenize(sentence.text);
      const headingTerms = askedFor-- > 0 ? new Set([...sectionTerms, ...askedAbove]) : sectionTerms;
      if (/[?？]["'”»)*]*$/.test(sentence.text)) {
        askedAbove = new Set(tokens.map((t) => t.folded));
        askedFor = 2;
      }
      const seen = new Set<string>();
      let score = 0;
      const purpose = spanAsked ? purposeClauseStart(tokens.map((t) => t.exact)) : Infinity;
      for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        if (queryTerms.has(t.folded) && !seen.has(t.folded)) {
          seen.add(t.folded);
          // Said only of whom it serves ("… 17h30 đến 19h30 để học viên lớp buổi tối tiện nộp"),
          // a word does not make the sentence about it.
          score += idf(t.folded) * (i > purpose ? purposeWeight : 1);
        }
        if (i > 0 && !t.breakBefore) {
          const bigram = `${tokens[i - 1]!.folded} ${t.folded}`;
          if (queryBigrams.has(bigram) && !seen.has(bigram)) {
            seen.add(bigram);
            score += 0.5 * idf(t.folded);
          }
        }
      }
      let headingWeight = 0;
      for (const term of headingTerms) {
        if (queryTerms.has(term) && !seen.has(term)) {
          score += 0.5 * idf(term);
          headingWeight += idf(term);
        }
      }
      // (Nearness only matters for a sentence that shares something with the question.)
      const near = spanAsked && score > 0 ? spanNearness(sentence.text, asked, queryTerms, idf, headingWeight) : 1;
      score *= answerTypeFactor(asked, sentence.text, near);
      if (things.length > 0 && score > 0) score *= thingFactor(things, tokens, purpose, [...headingTerms, ...pathTerms]);
      if (unit && score > 0) score *= unitFactor(unit, sentence.text);
      if (alternativesAsked.length > 0 && score > 0 && namesAnAlternative(tokens, queryTokens, alternativesAsked))
        score *= alternativeFactor;
      if (tokens.length < 3) score *= 0.5; // a bare heading or label says little on its own
      if (/[?？]["'”»)*]*$/.test(sentence.text))
        score = 0; // a question in the material does not answer one
      else if (/[?？]["'”»]/.test(sentence.text)) score *= 0.2; // nor does a sentence quoting one
      score *= 1 + 0.15 / (source + 1);
      if (result.chunk.lang === questionLang) score *= 1.1;
      const candidate = { text: sentence.text, source, position, score, lang: result.chunk.lang };
      list.push(candidate);
      candidates.push(candidate);
    });
    bySource.push(list);
  });
  const maxSentences = spanAsked ? Math.min(2, settings.maxSentences) : settings.maxSentences;
  const best = candidates.reduce<Candidate | null>((a, c) => (a === null || c.score > a.score ? c : a), null);
  if (!best || best.score <= 0) return [];
  const sentences = bySource[best.source]!;
  // A procedure answered by one of its steps answers with the steps: from the list's opener
  // ("Khi nhận được thư đáng ngờ:") or its first item, in order ("Nếu lỡ bị lừa thì phải làm
  // gì?" picked step 5 of 5).
  const start =
    asked?.type === 'procedure'
      ? listStart(
          sentences.map((c) => c.text),
          best.position,
        )
      : best.position;
  const lead = sentences[start]!;
  const chosen: Candidate[] = [lead];
  let chars = lead.text.length;
  // A sentence that opens a list ("Hồ sơ gồm:") needs its items.
  if (start !== best.position || /[:：]$/.test(best.text)) {
    for (const next of sentences.slice(start + 1)) {
      if (chosen.length >= settings.maxSentences + 3 || chars + next.text.length > settings.maxChars * 1.5) break;
      chosen.push(next);
      chars += next.text.length;
    }
  }
  // The other facts of the best passage (the other lines of a timetable) may join at a lower floor.
  const floor = (c: Candidate) =>
    spanAsked && c.source === best.source && answerSpanStrength(c.text, asked) === 2 ? 0.3 : settings.relativeFloor;
  const rest = candidates.filter((c) => !chosen.includes(c) && c.score >= best.score * floor(c)).sort((a, b) => b.score - a.score);
  for (const c of rest) {
    if (chosen.length >= maxSentences || chars + c.text.length > settings.maxChars) continue;
    if (chosen.some((s) => s.text === c.text)) continue; // the overlap repeats sentences
    chosen.push(c);
    chars += c.text.length;
  }
  return leadWithTheFact(chosen, lead, asked).map(({ text, source, position, score }) => ({ text, source, position, score }));
}

/** Kept of a span sentence's score when neither it nor its headings name what the fact is asked of. */
export const missingThingFactor = 0.8;

/** The question's thing words ({@link ownThingWords}) as the tokenizer folds them. */
function thingTerms(question: string): string[] {
  return [
    ...new Set(
      tokenize(
        ownThingWords(question)
          .map((w) => w.text)
          .join(' '),
      ).map((t) => t.folded),
    ),
  ];
}

/**
 * How much of what the fact is asked of a sentence names, outside a purpose clause, with its
 * headings: the library's "buổi sáng 7h00-11h30" (heading "Giờ mở cửa") answers "lop buoi
 * sang hoc may gio" less than the timetable's "Buổi sáng … từ 7h00" under "Giờ vào lớp".
 * From {@link missingThingFactor} (none named) to 1 (all named).
 */
export function thingFactor(things: readonly string[], tokens: readonly Token[], purpose: number, headings: readonly string[]): number {
  const named = new Set([...tokens.filter((_, i) => i <= purpose).map((t) => t.folded), ...headings]);
  const share = things.filter((t) => named.has(t)).length / things.length;
  return missingThingFactor + (1 - missingThingFactor) * share;
}

/** Weight of a question word found only in a purpose clause ("để …", "so that …") of a sentence. */
export const purposeWeight = 0.3;

/**
 * Index of the word that opens a purpose clause ("để", "nhằm", "so that", "in order to"), or
 * Infinity: what follows says whom or what the sentence's fact serves ("Thư viện mở đến 20h30
 * … để học viên lớp buổi tối có thể mượn"), not what the fact is of.
 */
export function purposeClauseStart(words: readonly string[]): number {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'để' || w === 'nhằm') return i;
    if (w === 'so' && words[i + 1] === 'that') return i;
    if (w === 'in' && words[i + 1] === 'order' && words[i + 2] === 'to') return i;
  }
  return Infinity;
}

/** Kept of a sentence's score when it names an alternative to what the question names ("buổi tối" for "buổi sáng"). */
export const alternativeFactor = 0.6;

/** Words that stand for one another after the same word: times of day ("buổi sáng"), weekdays ("thứ Bảy"), folded. */
const alternativeWords: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['sang', 'chieu', 'toi', 'trua', 'dem', 'morning', 'afternoon', 'evening', 'night']),
  new Set(['hai', 'ba', 'tu', 'nam', 'sau', 'bay', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
];

/**
 * Whether a sentence names, after a word of the question, another member of the group the
 * question names there, and never the question's own: "Lớp buổi tối 10T …" for "lớp buổi sáng học
 * mấy giờ", "thứ Hai đến thứ Sáu: …" for "thư viện thứ Bảy mở cửa mấy giờ". Such a sentence is
 * about the alternative, whatever else it shares with the question.
 */
export function namesAnAlternative(
  sentence: readonly Token[],
  question: readonly Token[],
  asked: readonly AlternativePair[] = alternativePairs(question),
): boolean {
  if (asked.length === 0) return false;
  const said = pairsOf(sentence);
  const saidText = new Set(said.map(([a, b]) => `${a} ${b}`));
  return asked.some(
    ({ head, named, group }) => !saidText.has(`${head} ${named}`) && said.some(([a, b]) => a === head && b !== named && group.has(b)),
  );
}

interface AlternativePair {
  head: string;
  named: string;
  group: ReadonlySet<string>;
}

/** Adjacent folded tokens, not across punctuation. */
function pairsOf(tokens: readonly Token[]): Array<readonly [string, string]> {
  return tokens.slice(1).flatMap((t, i) => (t.breakBefore ? [] : [[tokens[i]!.folded, t.folded] as const]));
}

/** The question's "word + alternative" pairs ("buổi sáng", "thứ Bảy"): computed once per question. */
function alternativePairs(question: readonly Token[]): AlternativePair[] {
  return pairsOf(question).flatMap(([head, named]) => {
    const group = alternativeWords.find((g) => g.has(named));
    return group ? [{ head, named, group }] : [];
  });
}

/** A list item: "1. …", "2) …", "a) …", "- …", "• …". */
const listItem = /^\s*(?:\d{1,2}[.)]|[a-zđ]\)|[-•*+])\s/u;

/**
 * Where the list holding sentence `at` starts: its opener (the sentence before the first item,
 * when it ends with a colon), else its first item; `at` itself when it is not a list item.
 */
export function listStart(sentences: readonly string[], at: number): number {
  if (!listItem.test(sentences[at] ?? '')) return at;
  let first = at;
  while (first > 0 && listItem.test(sentences[first - 1]!)) first--;
  return first > 0 && /[:：]$/.test(sentences[first - 1]!.trim()) ? first - 1 : first;
}

/** Lines that introduce rather than answer: an example, "for instance". */
const leadIn = /^(?:[-•*\d.)\s]*)(?:ví dụ|chẳng hạn|for example|for instance|example|e\.g\.)/i;
/** What a definition sentence looks like: "X là …", "X is …", "còn gọi là", "means". */
const definitionShape = /\s(?:là|nghĩa là|còn gọi là|is|are|means|refers to|dùng để|yêu cầu)\s/i;
/** What a step of a procedure looks like: an imperative verb, a form, an office to go to. */
const procedureShape =
  /(?:^|\s)(?:nộp|đến|gọi|liên hệ|báo cho|gửi|điền|mang|bấm|chọn|mở|vào|đăng ký|đăng nhập|làm đơn|mẫu|go to|call|bring|click|open|choose|apply|fill|send|message)(?:\s|$)|[:：]$/i;

/**
 * How much a sentence's shape fits what the question asks: a sentence holding a span of the
 * asked type (a time, a phone number, an amount…) is worth more, one without it much less; an
 * example or a lead-in is worth less than the rule it illustrates.
 */
export function answerTypeFactor(asked: DetectedAnswerType | null, sentence: string, near = 1): number {
  const factor = leadIn.test(sentence) ? 0.6 : 1;
  if (!asked) return factor;
  if (asked.type === 'definition') return factor * (definitionShape.test(` ${sentence} `) ? 1.3 : 0.9);
  if (asked.type === 'procedure') return factor * (procedureShape.test(sentence) ? 1.2 : 0.9);
  const strength = answerSpanStrength(sentence, asked);
  // A bare number says less about a count than a time or a phone number says about theirs.
  if (asked.type === 'count') return factor * [0.6, 1.1, 1.3][strength]!;
  // A span of the asked type is worth the most beside the words of the question: "9/3/1945: Nhật
  // đảo chính Pháp." answers "Nhật đảo chính Pháp khi nào?", "Ngay trong đêm Nhật đảo chính Pháp,
  // … ngày 12/3/1945 ra Chỉ thị" dates something else.
  return factor * [0.35, 0.85, 1.5 + 0.5 * Math.max(0, Math.min(1, near))][strength]!;
}

/** Words either side of a span within which a word of the question is taken to be what the span is about. */
export const spanWindow = 12;

/**
 * How much of what a sentence shares with the question stands near a span of the asked type:
 * the IDF-weighted share of its question words near a span (1 beside it, down to 0 at
 * {@link spanWindow} words), the
 * words its section heading shares counting as near (the heading is what every line of a
 * timetable or a contact list is about). 1 when the sentence shares no word, 0 when it holds no span.
 */
export function spanNearness(
  sentence: string,
  asked: DetectedAnswerType,
  queryTerms: ReadonlySet<string>,
  idf: (term: string) => number,
  headingWeight = 0,
): number {
  const spans = findAnswerSpans(sentence, asked.type);
  if (spans.length === 0) return 0;
  const words = [...sentence.normalize('NFC').matchAll(/[\p{L}\p{M}\p{N}]+/gu)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    exact: normalizeToneMarks(m[0]).toLowerCase(),
    folded: foldDiacritics(normalizeToneMarks(m[0]).toLowerCase()),
  }));
  const spanWords = words.flatMap((w, i) => (spans.some((s) => w.start < s.end && s.start < w.end) ? [i] : []));
  const purpose = purposeClauseStart(words.map((w) => w.exact));
  // Each question word once, by its occurrence nearest a span: 1 beside it, 0 at spanWindow words.
  const nearTerms = new Map<string, number>();
  words.forEach((w, i) => {
    if (!queryTerms.has(w.folded) || spanWords.includes(i)) return;
    const distance = Math.min(...spanWords.map((j) => Math.abs(i - j)));
    // In a purpose clause after the spans, a word says whom the fact serves, not what it is of.
    const closeness = i > purpose && spanWords.every((j) => j < purpose) ? 0 : Math.max(0, 1 - (distance - 1) / spanWindow);
    nearTerms.set(w.folded, Math.max(nearTerms.get(w.folded) ?? 0, closeness));
  });
  let near = headingWeight;
  let total = headingWeight;
  for (const [term, closeness] of nearTerms) {
    total += idf(term);
    near += closeness * idf(term);
  }
  return total === 0 ? 1 : near / total;
}

/**
 * Orders the chosen sentences so the answer opens with the fact: for a question with a span
 * type, the sentences that hold one come first, best first; otherwise the best sentence's
 * passage comes first, and inside a passage document order is kept, so a list stays a list.
 */
function leadWithTheFact<T extends SelectedSentence>(chosen: T[], best: T, asked: DetectedAnswerType | null): T[] {
  if (asked && spanTypes.has(asked.type)) {
    // The sentences holding the fact, best first (the counselling room's number before the
    // office's), then the others in document order.
    const holds = (s: T) => answerSpanStrength(s.text, asked) === 2;
    return [...chosen].sort(
      (a, b) => Number(holds(b)) - Number(holds(a)) || (holds(a) ? b.score - a.score : a.source - b.source || a.position - b.position),
    );
  }
  const rank = (s: T) => (s.source === best.source ? 0 : 1);
  return [...chosen].sort((a, b) => rank(a) - rank(b) || (a.source === b.source ? a.position - b.position : b.score - a.score));
}
