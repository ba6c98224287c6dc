import {
  detectLanguage,
  englishStopwords,
  foldDiacritics,
  hasDiacritics,
  normalizeToneMarks,
  questionTokenMask,
  splitSentences,
} from '../text/index.js';
import { detectAnswerType, withoutCue, type DetectedAnswerType } from './answer-type.js';
import { isAttributeWord } from './attribute-words.js';

/**
 * Whether a question follows up on the previous turn, and what the previous turn's topic is.
 *
 * A learner's short question is usually a new question ("lop buoi sang hoc may gio" after a fee
 * question), not a follow-up: length alone is no evidence. The evidence used here:
 * - ellipsis and pointing markers ("còn … thì sao", "what about", "nó", "it", "phòng đó");
 * - a question with no content word of its own ("mấy giờ?", "ở đâu?");
 * - retrieval: whether the question retrieves well on its own, and whether joining it to the
 *   previous turn's topic retrieves better (the topic's words stand next to the question's in
 *   the materials) or worse (they are about something else).
 * Only the previous turn's topic is carried (its few most salient words), never its whole text,
 * so a string of follow-ups does not grow.
 */

/**
 * Words that open an elliptical follow-up ("còn lớp tối?", "what about…") or a clarification of
 * the previous question ("ý tôi là lớp buổi tối", "I mean the weekend group"): both keep the
 * previous question and replace a part of it.
 */
const leadingMarkers = [
  'còn',
  'thế còn',
  'vậy còn',
  'thế thì',
  'what about',
  'how about',
  'and',
  'and what about',
  'ý tôi là',
  'ý mình là',
  'ý em là',
  'ý anh là',
  'ý chị là',
  'ý là',
  'tôi muốn hỏi',
  'tôi hỏi',
  'i mean',
  'i meant',
];
/** Words that point back at the previous turn's topic ("thì sao", "nó", "it", "phòng đó"). English "that", "there", "they" are left out: "Is there parking?" asks anew, and a question made only of such words has no content word and follows up anyway. */
const pointingMarkers = [
  'thì sao',
  'thì thế nào',
  'thì như thế nào',
  'nó',
  'cái đó',
  'cái này',
  'điều đó',
  'việc đó',
  'chỗ đó',
  'đó',
  'ấy',
  'it',
  'its',
];
/** Pointing words that are also ordinary Vietnamese content when typed without marks ("do", "no", "ay"). */
const ambiguousWhenFolded = new Set(['đó', 'nó', 'ấy']);

function markerForm(text: string, fold: boolean): string {
  const lower = normalizeToneMarks(text.normalize('NFC')).toLowerCase();
  const base = fold ? foldDiacritics(lower) : lower;
  return ` ${base.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/** The question's ellipsis or pointing marker, or null. Typed without marks, "do"/"no" are not taken for "đó"/"nó". */
export function followUpMarker(question: string): string | null {
  const fold = !hasDiacritics(question);
  const text = markerForm(question, fold);
  for (const m of leadingMarkers) if (text.startsWith(markerForm(m, fold))) return m;
  for (const m of pointingMarkers) {
    if (fold && ambiguousWhenFolded.has(m)) continue;
    if (text.includes(markerForm(m, fold))) return m;
  }
  return null;
}

/** Removes the markers from a follow-up, keeping what it asks ("còn lớp EB thì sao?" → "lớp EB"). */
export function stripMarkers(question: string): string {
  let text = ` ${question.normalize('NFC').replace(/[?？!.]+\s*$/, '')} `;
  const words = [...leadingMarkers, ...pointingMarkers].sort((a, b) => b.length - a.length);
  for (const m of words) {
    const pattern = new RegExp(`(?<=[\\s,])${m.replace(/\s+/g, '\\s+')}(?=[\\s,?])`, 'giu');
    text = text.replace(pattern, ' ');
    if (!hasDiacritics(m)) continue;
    const folded = foldDiacritics(m);
    if (!hasDiacritics(question) && !ambiguousWhenFolded.has(m))
      text = text.replace(new RegExp(`(?<=[\\s,])${folded.replace(/\s+/g, '\\s+')}(?=[\\s,?])`, 'giu'), ' ');
  }
  return text.replace(/\s+/g, ' ').replace(/^[\s,]+|[\s,]+$/g, '');
}

/** Function words, with their diacritics: too common to carry a topic ("của", "và", "từ"). */
const functionWords = new Set(
  (
    'của và là có không được cho thì ở tại trong với các những một này do còn sẽ đã đang vào ra lên xuống đến từ hay hoặc nếu khi mà nhé à ơi vậy thế sao rồi ' +
    'hãy xin cho hỏi muốn biết cần phải does do did will would can could should the a an of to in on for at by with and or is are was were be it its this that there they them those what about'
  ).split(' '),
);

const foldedFunctionWords = new Set(
  [...functionWords].map((w) => foldDiacritics(w)).filter((w) => !['tu', 'do', 'ma', 'the', 'ra', 'hay', 'vao', 'sao'].includes(w)),
);

export interface TopicTerm {
  /** As written (with its diacritics and case, if any). */
  text: string;
  folded: string;
}

/** The words of a text as written: runs of letters and digits, joined by - / . inside a code. */
export function wordsOf(text: string): string[] {
  return text.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+(?:[-/.][\p{L}\p{M}\p{N}]+)*/gu) ?? [];
}

/**
 * Question words as written with their marks: folded, "tối" (evening) would read as the
 * question word "tôi" (I), and "đô" as "do".
 */
const markedQuestionWords = new Set(
  'bao nhiêu gì nào sao thế như ai đâu khi lúc mấy giờ có không được là của và cho tôi mình em anh chị bạn hỏi xin vui lòng à ơi nhé vậy thì ở cần phải muốn biết lâu hôm'.split(
    ' ',
  ),
);

/** The content words of a text: not question words, not function words, each once. */
export function contentWords(text: string): TopicTerm[] {
  const words = wordsOf(text);
  const folded = words.map((w) => foldDiacritics(normalizeToneMarks(w).toLowerCase()));
  const asks = questionTokenMask(folded).map((masked, i) => {
    const lower = normalizeToneMarks(words[i]!).toLowerCase();
    // "Anh" in "tiếng Anh" is a name, not the pronoun "anh".
    const named = i > 0 && /^\p{Lu}/u.test(words[i]!);
    return masked && !named && (lower === folded[i] || markedQuestionWords.has(lower));
  });
  const seen = new Set<string>();
  const out: TopicTerm[] = [];
  // In a Vietnamese question typed without marks, "the" is "thẻ" (a card) and "to" is "tổ" (a team).
  const english = detectLanguage(text) === 'en';
  words.forEach((w, i) => {
    const lower = normalizeToneMarks(w).toLowerCase();
    // Typed without marks, "tu" may be "tư" (a content word) or "từ": ambiguous folded forms stay.
    const functional = functionWords.has(lower) || (!hasDiacritics(text) && foldedFunctionWords.has(lower));
    const stopword = englishStopwords.has(folded[i]!) && (english || hasDiacritics(text));
    // Once each; with marks, "đọc" (read) and "Độc" (of "Độc lập") are two words.
    const key = hasDiacritics(text) ? lower : folded[i]!;
    if (asks[i] || functional || stopword || seen.has(key)) return;
    seen.add(key);
    out.push({ text: w, folded: folded[i]! });
  });
  return out;
}

/**
 * Words that stand for one another in a follow-up: a time of day, a weekday, a level, a season.
 * Written with marks, a word is looked up with them ("có" is not "cơ"); without, folded.
 */
const alternativeGroups: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['sáng', 'chiều', 'tối', 'trưa', 'đêm', 'morning', 'afternoon', 'evening', 'night']),
  new Set(['hai', 'ba', 'tư', 'sáu', 'bảy', 'nhật', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
  new Set(['cơ', 'bản', 'nâng', 'cao', 'basic', 'advanced']),
  new Set(['xuân', 'hè', 'đông', 'autumn', 'spring', 'summer', 'winter', 'fall']),
  // Units a fee or a length is given per ("còn một bậc thì sao?" after a fee per month).
  new Set(['tháng', 'kỳ', 'khóa', 'bậc', 'month', 'term', 'course', 'level', 'year']),
];
// Compared in the canonical tone placement the words are read in ("khóa" may be typed "khoá").
const markedAlternativeGroups = alternativeGroups.map((g) => new Set([...g].map((w) => normalizeToneMarks(w))));
const foldedAlternativeGroups = alternativeGroups.map((g) => new Set([...g].map((w) => foldDiacritics(w))));

/** The group a word stands in for alternatives (codes and small numbers are groups of their own), or null. */
function alternativeGroupOf(word: TopicTerm): number | null {
  if (isCode(word.text)) return -1;
  if (/^\d{1,2}$/.test(word.text)) return -2;
  const lower = normalizeToneMarks(word.text).toLowerCase();
  const groups = lower === word.folded ? foldedAlternativeGroups : markedAlternativeGroups;
  // An English plural stands for its singular ("on Saturdays", "per months").
  const singular = /^[a-z]+s$/.test(lower) ? lower.slice(0, -1) : lower;
  const at = groups.findIndex((g) => g.has(lower) || g.has(singular));
  return at < 0 ? null : at;
}

/** A code such as a class or room name ("EA", "B101", "10T"): two codes in a row are alternatives. */
const isCode = (word: string) => /^(?=.*[A-Z0-9])[A-Z0-9]{1,5}$/.test(word) && /[A-Z]/.test(word);

const fold = (word: string) => foldDiacritics(normalizeToneMarks(word).toLowerCase());

/**
 * The names of a text, folded: capitalised words that are not its first word, or that begin a
 * run of capitalised words ("Sài Gòn thì sao?"), less codes and the words of the alternative
 * groups (weekdays are written "thứ Bảy"; they replace one another by their own group).
 */
export function namesOf(text: string): string[] {
  const words = wordsOf(text);
  return words
    .filter((w, i) => /^\p{Lu}\p{Ll}/u.test(w) && (i > 0 || /^\p{Lu}/u.test(words[1] ?? '')))
    .filter((w) => !isCode(w) && alternativeGroupOf({ text: w, folded: fold(w) }) === null)
    .map(fold);
}

/**
 * The attribute words of a text ({@link isAttributeWord}) that stand beside no other content
 * word, folded: "lượt", "dùng" of "mỗi lượt được dùng bao lâu?", not "Phòng" of "Phòng tài liệu số".
 */
function looseAttributeWords(text: string): string[] {
  const words = wordsOf(text);
  const marked = hasDiacritics(text);
  const content = new Set(contentWords(text).map((w) => w.folded));
  const attribute = (w: string) => isAttributeWord(w, marked);
  const thing = (w: string | undefined) => w !== undefined && content.has(fold(w)) && !attribute(w);
  return words.filter((w, i) => attribute(w) && content.has(fold(w)) && !thing(words[i - 1]) && !thing(words[i + 1])).map(fold);
}

/** Whether a text names a thing: a content word that is not an attribute word. */
const namesAThing = (text: string) => contentWords(text).some((w) => !isAttributeWord(w.text, hasDiacritics(text)));

/**
 * The question's own content words that name a thing ({@link ownContentWords} without the
 * attribute words): none in "mấy giờ đóng cửa?", "có mất tiền không?", "trưởng phòng là ai?".
 */
export function ownThingWords(question: string): TopicTerm[] {
  // The words that would ask for another kind of fact are the thing asked about: "học phí" in
  // "nộp học phí ở đâu?" (a place) names the tuition, not its amount.
  const asked = detectAnswerType(question);
  const other = asked ? detectAnswerType(withoutCue(question, asked.cue)) : null;
  const things = new Set(other && other.type !== asked!.type ? other.cue.split(' ') : []);
  return ownContentWords(question).filter((w) => things.has(w.folded) || !isAttributeWord(w.text, hasDiacritics(question)));
}

/**
 * The previous turn's topic: its most salient content words (highest IDF, at most `max`, in
 * their order), without those the follow-up replaces: a follow-up naming an alternative ("lớp
 * EB" after "lớp EA", "buổi tối" after "buổi sáng", "nâng cao" after "cơ bản") drops the old
 * one; words the follow-up repeats are not repeated.
 */
export function topicOf(previous: string, question: string, idf: (term: string) => number, max = 6): TopicTerm[] {
  const words = contentWords(previous);
  const asked = wordsOf(question).map((w) => ({ text: w, folded: foldDiacritics(normalizeToneMarks(w).toLowerCase()) }));
  const askedFolded = new Set(asked.map((t) => t.folded));
  const drop = new Set<string>();
  // A word of the follow-up that is an alternative to one of the topic ("tối" for "sáng", "EB"
  // for "EA", "nâng cao" for "cơ bản", "2" for "1") replaces it.
  // A number replaces a number only of the same thing ("đợt 2" for "đợt 1", "lớp 11" for
  // "lớp 10"): "đợt 1" does not replace the "10" of "lớp 10".
  const before = (text: string) => {
    const all = wordsOf(text).map((w) => foldDiacritics(normalizeToneMarks(w).toLowerCase()));
    return new Map(all.map((w, i) => [w, all[i - 1] ?? ''] as const));
  };
  const beforeAsked = before(question);
  const beforeTopic = before(previous);
  for (const a of asked) {
    const group = alternativeGroupOf(a);
    if (group === null) continue;
    for (const w of words) {
      if (w.folded === a.folded || alternativeGroupOf(w) !== group) continue;
      if (group === -2 && beforeAsked.get(a.folded) !== beforeTopic.get(w.folded)) continue;
      drop.add(w.folded);
    }
  }
  // A follow-up asking for another kind of fact drops the words that asked for the old one
  // ("còn email thì sao?" after "Số điện thoại phòng tư vấn": the topic is "phòng tư vấn").
  const ownType = detectAnswerType(question);
  const previousType = detectAnswerType(previous);
  if (ownType && previousType && ownType.type !== previousType.type) for (const w of previousType.cue.split(' ')) drop.add(w);
  // A follow-up asking something of its own about the same thing ("có mất tiền không?" after
  // "mỗi lượt được dùng bao lâu?") carries the thing, not what was asked about it: the previous
  // attribute words go, except those inside the name of the thing ("Phòng tài liệu số").
  // A previous question with no thing of its own ("nộp học phí ở đâu?") keeps them all.
  if ((ownType || looseAttributeWords(question).length > 0) && namesAThing(previous))
    for (const w of looseAttributeWords(previous)) drop.add(w);
  // A name the previous turn did not have replaces its names ("Sài Gòn thì sao?" after "… ở Huế").
  if (namesOf(question).some((n) => !beforeTopic.has(n))) for (const n of namesOf(previous)) if (!beforeAsked.has(n)) drop.add(n);
  // A word the follow-up repeats is not repeated ("có" does not repeat "cơ": marks count when both have them).
  const askedLower = new Set(asked.map((t) => normalizeToneMarks(t.text).toLowerCase()));
  const marked = hasDiacritics(question);
  const repeats = (w: TopicTerm) => {
    const lower = normalizeToneMarks(w.text).toLowerCase();
    return askedLower.has(lower) || ((!marked || lower === w.folded) && askedFolded.has(w.folded));
  };
  const kept = words.filter((w) => !drop.has(w.folded) && !repeats(w));
  const ranked = [...kept].sort((a, b) => idf(b.folded) - idf(a.folded)).slice(0, max);
  const chosen = new Set(ranked.map((w) => w.folded));
  return kept.filter((w) => chosen.has(w.folded));
}

/**
 * The question as searched when it follows up on `previous`: the topic's words, the previous
 * question's asking words when the follow-up has none of its own ("còn lớp EB thì sao?" asks
 * what "Lớp EA học vào hôm nào?" asked), then the follow-up without its markers.
 */
export function joinWithTopic(previous: string, question: string, idf: (term: string) => number): string {
  const own = spellOutAbbreviations(stripMarkers(question));
  // "còn X thì sao?" naming another thing keeps what was asked (its asking words), not the
  // thing it was asked of nor the words that went with that thing ("mở cửa" of a library).
  const newThing = replacesTheThing(previous, question);
  const topic = newThing ? [] : topicOf(previous, own, idf).map((w) => w.text);
  const previousCue = detectAnswerType(previous);
  const inherited = detectAnswerType(own) || !previousCue ? null : newThing ? shortestCue(previousCue) : previousCue.cue;
  // Inherited when the topic does not already say it ("học phí" is both a topic word and a cue).
  const topicFolded = new Set(topic.map((w) => foldDiacritics(normalizeToneMarks(w).toLowerCase())));
  const inheritedCue = inherited && inherited.split(' ').every((w) => topicFolded.has(w)) ? null : inherited;
  return [...topic, own, inheritedCue ?? ''].join(' ').replace(/\s+/g, ' ').trim();
}

/** Quantifiers, with their marks: "cả" (whole), "mỗi" (each), "từng", "toàn", "whole", "each", "every", "all". */
const quantifiers = new Set(['cả', 'mỗi', 'từng', 'toàn', 'whole', 'each', 'every', 'all']);

/** Markers of an ellipsis ("còn …", "… thì sao", "what about …"), not of pointing ("nó", "đó", "it"): only an ellipsis names a thing in place of another. */
const ellipsisPointers = new Set(['thì sao', 'thì thế nào', 'thì như thế nào']);
const isEllipsisMarker = (marker: string | null) => marker !== null && (leadingMarkers.includes(marker) || ellipsisPointers.has(marker));

/**
 * Whether an elliptical follow-up names a new thing in place of the previous one ("còn lớp buổi
 * tối thì sao?" after "Thư viện mở cửa mấy giờ?", "còn Bộ phận Một cửa?" after the accounts
 * office's hours): a "còn X thì sao?" is X with what was asked before. X replaces only a part of
 * the previous thing when one of its words is the previous question's ("còn nhóm tối?" after
 * "nhóm chiều", "còn lớp EB?" after "lớp EA"), when all are alternatives (a time of day, a level,
 * a unit, a code, a small number: "cả khóa thì sao?"), or when X is a bare name and the previous question had one ("còn ở
 * Huế?" after "… ở Hà Nội": the event stays).
 */
export function replacesTheThing(previous: string, question: string): boolean {
  if (!isEllipsisMarker(followUpMarker(question))) return false;
  const own = stripMarkers(question);
  // A quantifier ("cả khóa", "mỗi bậc", "the whole course") names no thing.
  const things = ownThingWords(own).filter((w) => !quantifiers.has(normalizeToneMarks(w.text).toLowerCase()));
  if (things.length === 0) return false;
  const before = new Set(contentWords(previous).map((w) => w.folded));
  if (things.some((w) => before.has(w.folded)) || things.every((w) => alternativeGroupOf(w) !== null)) return false;
  const bareName = things.every((w) => /^\p{Lu}/u.test(w.text));
  return !(bareName && namesOf(previous).length > 0);
}

/** The shortest end of a cue that still asks for the same kind of fact: "mo cua may gio" → "may gio", "so dien thoai" stays. */
function shortestCue(asked: DetectedAnswerType): string {
  const words = asked.cue.split(' ');
  let start = 0;
  while (start < words.length - 1 && detectAnswerType(words.slice(start + 1).join(' '))?.type === asked.type) start++;
  return words.slice(start).join(' ');
}

/**
 * Learners' abbreviations of asking words, written out as the materials write them: a bare
 * "sdt?" searched with the topic finds nothing the materials say ("sdt" is in none of them).
 */
export function spellOutAbbreviations(text: string): string {
  const marked = hasDiacritics(text);
  return text.replace(/(?<![\p{L}\p{N}])(?:sdt|sđt|SĐT|SDT)(?![\p{L}\p{N}])/gu, marked ? 'số điện thoại' : 'so dien thoai');
}

/** What the decision looks at, gathered by the caller (retrieval scores are 0-1 answerability). */
export interface FollowUpEvidence {
  /** An ellipsis or pointing marker was found. */
  marker: boolean;
  /** Words naming a thing the question has of its own ({@link ownThingWords}: not "mấy giờ đóng cửa?"). */
  contentWords: number;
  /**
   * Every content word of the question is a common one (IDF under 1 on the materials: "học",
   * "phòng", "thi"): it says what is asked, not about what ("học ở phòng nào?").
   */
  genericOnly: boolean;
  /** The question names its own subject (a capitalised name or a code the previous turn did not have). */
  namesOwnSubject: boolean;
  /** Answerability of the question alone. */
  alone: number;
  /** Answerability of the question joined to the previous topic. */
  joined: number;
  /** The answerability threshold under which the materials are taken not to cover a question. */
  threshold: number;
  /** What the passages of both searches cover ({@link topicCoverage}); absent when not measured. */
  coverage?: TopicCoverage;
  /**
   * Whether the answer-or-decline model (src/answer/answerability-model.ts) answers the question
   * alone, and joined to the topic; absent when no model was given.
   */
  answered?: { alone: boolean; joined: boolean };
}

/**
 * A follow-up whose joined search covers the topic and the question together this much better
 * than its lone search (and keeps `minOwnKept` of its own words) is one, even when both searches
 * reach the threshold: tuned on evals/tune/conversations.jsonl (docs/answers.md).
 */
export const minTopicGain = 0.2;
export const minOwnKept = 0.8;
/** Share of the lone search's answerability the joined one keeps for {@link minTopicGain} to count. */
export const minJoinedShare = 0.6;

/**
 * Follow-up or new question, from the evidence:
 * 1. a marker, or no thing of its own ("Mấy giờ?", "ở đâu?", "mấy giờ đóng cửa?") → follow-up;
 * 2. it names a subject of its own ("Thủ đô của Pháp là gì?") → new question;
 * 3. joined to the topic it does not reach the threshold, or the answer model would decline it
 *    joined and answer it alone → new question (the topic does not help);
 * 4. alone it does not reach the threshold, joined it does → follow-up;
 * 5. only common words of its own ("học ở phòng nào?") → follow-up;
 *    (4 and 5 only when the joined search keeps the question's own words: {@link minOwnKept});
 * 6. both reach it: follow-up when joining retrieves clearly better (`margin`), or when the
 *    joined search's passages hold the topic's words with the question's where the lone search's
 *    do not ({@link minTopicGain}, without losing the question's own words: {@link minOwnKept});
 *    else the question stands on its own and a new topic starts. Answerability alone cannot
 *    tell: a longer (joined) search covers a smaller share of its words, so it rarely wins.
 */
export function isFollowUp(e: FollowUpEvidence, margin = 0.08): boolean {
  if (e.marker || e.contentWords === 0) return true;
  if (e.namesOwnSubject) return false;
  if (e.joined < e.threshold) return false;
  // The same, as the answer decides it: joined, the model would decline what it answers alone
  // ("Số điện thoại phòng tư vấn" after class EB, searched "… lớp EB số điện thoại phòng tư vấn").
  if (e.answered && e.answered.alone && !e.answered.joined) return false;
  // Joining must not win by losing what was asked: "nộp học phí ở đâu?" after a class's room
  // finds that room joined (a place, so answerable) and nothing about fees.
  const keepsOwn = !e.coverage || e.coverage.ownKept >= minOwnKept;
  if (e.alone < e.threshold || e.genericOnly) return keepsOwn;
  // Coverage speaks for joining only while joining keeps most of the lone search's answerability:
  // "nộp học phí ở đâu?" after a class (0.78 alone, 0.41 joined) asks anew, whatever the joined
  // passages cover between them.
  if (e.joined >= e.alone * minJoinedShare && e.coverage && e.coverage.gain >= minTopicGain && e.coverage.ownKept >= minOwnKept)
    return true;
  // A better answerability bought with the topic's words alone is no evidence either: "lam lai the
  // hoc vien mat bao nhieu tien" after the 1946 election scored 0.60 joined (0.52 alone) on the
  // election's words, and kept 0.73 of its own.
  return keepsOwn && e.joined >= e.alone + margin;
}

/**
 * The question's content words without those that only name the kind of fact asked for a
 * phone number, an e-mail address or a place ("số điện thoại?", "email?", "địa chỉ?"): such a
 * question asks about the previous topic as much as "ở đâu?" does.
 */
export function ownContentWords(question: string): TopicTerm[] {
  const asked = detectAnswerType(question);
  const words = contentWords(question);
  if (!asked || !['phone', 'email', 'place'].includes(asked.type)) return words;
  const cue = new Set(asked.cue.split(' '));
  return words.filter((w) => !cue.has(w.folded));
}

/** IDF under which a word is common in the materials ("học", "phòng", "thi"). */
export const genericIdf = 1;

/** A year or a school year ("2027", "2028-2029"): another one is another subject. */
const isYear = (word: string) => /^(1[0-9]|20)\d\d(-(1[0-9]|20)\d\d)?$/.test(word);

/** Capitalised words after the first, codes and years that `previous` does not have: the question's own subject. */
export function ownSubjectWords(question: string, previous: string): string[] {
  const before = new Set(wordsOf(previous).map((w) => foldDiacritics(normalizeToneMarks(w).toLowerCase())));
  return wordsOf(question).filter(
    (w, i) =>
      (isCode(w) || isYear(w) || (i > 0 && /^\p{Lu}\p{Ll}/u.test(w))) && !before.has(foldDiacritics(normalizeToneMarks(w).toLowerCase())),
  );
}

/** Folded lower-case words of a text ("Tối thứ Tư" → toi, thu, tu): cheaper than the index's tokenizer, and only compared with itself. */
function foldedWords(text: string): string[] {
  return foldDiacritics(normalizeToneMarks(text.normalize('NFC')).toLowerCase()).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A retrieved passage as {@link termCoverage} reads it: its section heading and its text. */
export interface CoveredPassage {
  heading: string;
  text: string;
}

/**
 * IDF-weighted share of `terms` (words as written) that the best sentence of `passages` holds,
 * each sentence read with its passage's heading. A sentence, not a whole passage: a contact list
 * holds "thư viện" and "phòng tư vấn" on two different lines, which is no evidence that a
 * question on the library's e-mail follows up on the counselling room. 0 when there are no terms.
 */
export function termCoverage(terms: readonly string[], passages: readonly CoveredPassage[], idf: (term: string) => number): number {
  const wanted = [...new Set(terms.flatMap(foldedWords))];
  const weight = (t: string) => Math.max(idf(t), 0.05);
  const total = wanted.reduce((sum, t) => sum + weight(t), 0);
  if (total === 0) return 0;
  let best = 0;
  for (const passage of passages) {
    for (const held of sentenceTerms(passage)) {
      best = Math.max(best, wanted.reduce((sum, t) => sum + (held.has(t) ? weight(t) : 0), 0) / total);
    }
  }
  return best;
}

/** Sentence terms of recently seen passages: the same few passages answer most questions of a conversation. */
const sentenceCache = new Map<string, Array<Set<string>>>();

/** Each sentence of a passage as the set of its folded terms, with the heading's (cached, at most 1,000 passages). */
function sentenceTerms(passage: CoveredPassage): Array<Set<string>> {
  const key = `${passage.heading}\n${passage.text}`;
  let sets = sentenceCache.get(key);
  if (sets) return sets;
  const heading = foldedWords(passage.heading);
  sets = splitSentences(passage.text).map((sentence) => new Set([...heading, ...foldedWords(sentence.text)]));
  if (sentenceCache.size >= 1000) sentenceCache.clear();
  sentenceCache.set(key, sets);
  return sets;
}

/** How the passages found for the question alone and joined to the topic cover what is asked. */
export interface TopicCoverage {
  /**
   * Coverage of the topic's and the question's words together by the joined search's best
   * passage, minus that of the lone search's: high when the topic's words stand next to the
   * question's in the materials and the lone search found another subject ("số điện thoại?"
   * alone finds a lesson on phones; joined, the counselling room's contact line).
   */
  gain: number;
  /** Coverage of the question's own words by the joined search, as a share of the lone search's: low when joining lost what was asked. */
  ownKept: number;
}

/** {@link TopicCoverage} of the top passages of both searches (`topic` and `own` are words as written). */
export function topicCoverage(
  topic: readonly string[],
  own: readonly string[],
  alone: readonly CoveredPassage[],
  joined: readonly CoveredPassage[],
  idf: (term: string) => number,
): TopicCoverage {
  const both = [...topic, ...own];
  const gain = termCoverage(both, joined, idf) - termCoverage(both, alone, idf);
  const ownAlone = termCoverage(own, alone, idf);
  const ownKept = own.length === 0 || ownAlone === 0 ? 1 : termCoverage(own, joined, idf) / ownAlone;
  return { gain, ownKept };
}
