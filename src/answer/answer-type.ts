import { foldDiacritics, normalizeToneMarks } from '../text/index.js';

/**
 * What a question asks for, from its question words, in Vietnamese with or without diacritics
 * and in English. Learners' questions are mostly factoid (a fee, a time, a room, a phone number),
 * and the sentence that answers one holds a span of that kind: finding such spans lets the
 * answerer prefer the sentence with the fact over one that merely shares the topic, and tells it
 * when no retrieved passage holds the fact at all.
 */
export type AnswerType =
  | 'time'
  | 'date'
  | 'duration'
  | 'place'
  | 'phone'
  | 'email'
  | 'money'
  | 'count'
  | 'person'
  | 'definition'
  | 'procedure';

/** Types whose answer is a span that can be found in text (a time, a number, a room…). */
export const spanTypes: ReadonlySet<AnswerType> = new Set([
  'time',
  'date',
  'duration',
  'place',
  'phone',
  'email',
  'money',
  'count',
  'person',
]);

export interface DetectedAnswerType {
  type: AnswerType;
  /** The question words that gave the type away, folded (`may gio`, `o dau`, `how much`). */
  cue: string;
}

/**
 * Cues on folded, lower-case text with words separated by single spaces. The first type whose
 * cue matches wins, so the order goes from the most specific ("số điện thoại … là gì" is a phone
 * number, not a definition; "học phí … bao nhiêu" is money, not a count).
 */
const cues: ReadonlyArray<[AnswerType, RegExp]> = [
  ['email', /\b(dia chi email|dia chi thu dien tu|email address|e mail address|(?<!la )\bemail\b(?! la gi)|\bmail\b)/],
  [
    'phone',
    /\b(so dien thoai|dien thoai (?:la gi|bao nhieu|so may|so nao|nao)|sdt|so dt|hotline|duong day nong|goi so (?:nao|may)|so may|phone number|telephone|phone|call)\b/,
  ],
  [
    'time',
    /\b(may gio|gio nao|luc may gio|what time|opening hours|open hours|which hours|hours|gio mo cua|mo cua (?:luc )?(?:may gio|khi nao|luc nao)|lam viec (?:gio nao|may gio))\b/,
  ],
  ['duration', /\b(bao lau|how long|trong bao lau|mat bao lau|keo dai bao (?:lau|nhieu ngay))\b/],
  [
    'date',
    /\b(khi nao|ngay nao|hom nao|thu may|bao gio|thang nao|nam nao|ngay bao nhieu|when|which day|which days|what day|what days|what date|which date|han chot|han nop|han dang ky|deadline|dien ra khi nao|luc nao)\b/,
  ],
  [
    'place',
    /\b(o dau|cho nao|noi nao|phong nao|phong may nao|nha nao|toa nao|dia chi|tai dau|where|address|which room|what room|which building)\b/,
  ],
  [
    'money',
    /\b(hoc phi|le phi|phi|gia ve|gia bao nhieu|bao nhieu tien|het bao nhieu|mat bao nhieu|mat tien|ton tien|tra tien|how much|fee|fees|cost|costs|price|tuition|pay|charge)\b/,
  ],
  ['count', /\b(bao nhieu|may (?!gio)\p{L}+|how many|so luong|toi da|toi thieu|what percentage|how much percent|phan tram)\b/u],
  ['person', /(^|\s)(ai|la ai|who|whom|whose|nguoi nao)(\s|$)/],
  [
    'definition',
    /\b(la gi|nghia la gi|co nghia la|what is|what are|what does \p{L}+ mean|dung de lam gi|de lam gi|la the nao|khai niem)\b/u,
  ],
  [
    'procedure',
    /\b(lam sao|lam the nao|the nao de|cach (?!mang)|thu tuc|cac buoc|quy trinh|phai lam gi|can lam gi|how do|how to|how can|what should)\b/,
  ],
];

/** Folded, lower-case, punctuation to spaces: the form cues are matched on. */
export function cueForm(text: string): string {
  // "máy" (a machine) must not read as "mấy" (how many) once folded.
  const lower = normalizeToneMarks(text.normalize('NFC')).toLowerCase().replace(/máy/g, 'máyy');
  return foldDiacritics(lower)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** What the question asks for, or null when its words give no cue (then nothing is assumed). */
export function detectAnswerType(question: string): DetectedAnswerType | null {
  const text = cueForm(question);
  for (const [type, cue] of cues) {
    const match = cue.exec(text);
    if (match) return { type, cue: match[0].trim() };
  }
  return null;
}

// Word edges that know Vietnamese letters (`\b` only knows ASCII ones).
const L = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const R = String.raw`(?![\p{L}\p{M}\p{N}])`;
// Weekdays are written with a capital ("thứ Hai"); "lớn thứ hai" is "second largest".
const weekdayVi = String.raw`(?:[Tt]hứ\s+(?:Hai|Ba|Tư|Năm|Sáu|Bảy|2|3|4|5|6|7)${R}|[Cc]hủ\s+[Nn]hật${R})`;
const weekdayEn = String.raw`(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?`;
const monthEn = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December)`;
const timeOfDay = String.raw`(?:${L}\d{1,2}\s?h\s?\d{0,2}${R}|${L}\d{1,2}\s?giờ(?:\s?\d{1,2}(?:\s?phút)?)?${R}|${L}\d{1,2}:\d{2}${R}|${L}\d{1,2}(?::\d{2})?\s?(?:am|pm)${R})`;
const dateSpan = String.raw`(?:${L}\d{1,2}\/\d{1,2}(?:\/\d{2,4})?${R}|${L}[Nn]gày\s+\d{1,2}${R}|${L}${weekdayVi}|${L}${weekdayEn}${R}|${L}\d{1,2}\s+${monthEn}(?:\s+\d{4})?${R}|${L}${monthEn}\s+\d{1,2}${R}|${L}[Tt]háng\s+(?:\d{1,2}|[Gg]iêng|[Cc]hạp)${R}|(?<![\p{L}\p{N}–-])(?:[Nn]ăm\s+)?(?:1[89]|20)\d{2}(?![\p{L}\p{N}]|\s?[–-]\s?\d)|${L}[Mm]ùng\s+\d{1,2}${R})`;
const moneySpan = String.raw`(?:${L}\d[\d.,]*\s*(?:đồng|đ|vnđ|vnd|nghìn|ngàn|triệu|tỷ|usd)${R}|\$\s?\d[\d.,]*|${L}\d+(?:[.,]\d+)?\s?%|${L}miễn phí${R}|${L}miễn\s+(?:100%\s+)?học phí${R}|${L}free${R}|${L}không thu${R})`;
const durationSpan = String.raw`(?:${L}\d+(?:[.,]\d+)?\s*(?:phút|giờ|tiếng|ngày(?:\s+đêm)?|tuần|tháng|năm|tiết|buổi|minutes?|hours?|days?|weeks?|months?|years?|periods?)${R}|${L}(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?:tuần|tháng|năm|ngày)${R})`;
const placeSpan = String.raw`(?:${L}(?:phòng|room|rooms)\s+(?:máy\s+)?[A-Z]?\d{2,4}${R}|${L}[A-C]\d{3}${R}|${L}nhà\s+[A-C]${R}|${L}building\s+[A-C]${R}|${L}tầng\s+\d${R}|${L}(?:third|second|first|ground)\s+floor${R}|${L}số\s+\d+\s+đường${R}|${L}đường\s+\p{Lu}|${L}phường\s+\p{Lu}|${L}street${R}|${L}quảng trường\s+\p{Lu}|${L}hội trường${R}|${L}sân\s+trung tâm${R}|${L}phía sau\s+nhà${R}|${L}(?:tại|ở|at|in)\s+(?:\p{Lu}[\p{Ll}\p{M}]+\s){0,3}\p{Lu}[\p{Ll}\p{M}]+${R})`;
const phoneSpan = String.raw`(?:(?<![\d/.,])0\d{2,3}(?:[\s.]?\d){6,8}(?![\d/]|[.,]\d)|${L}11[345]${R})`;
const emailSpan = String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`;
const countSpan = String.raw`(?:${L}\d+(?:[.,]\d+)*${R}|${L}(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)${R})`;
// Three or four capitalised words (a Vietnamese full name), or a title before capitalised words.
const personSpan = String.raw`(?:(?:ThS\.|TS\.|GS\.|PGS\.|Ms\.|Mr\.|Mrs\.|${L}bà|${L}ông|${L}tướng|Đại tướng|Chủ tịch|thủ thư)\s*(?:\p{Lu}[\p{Ll}\p{M}]*\s?){1,4}|${L}\p{Lu}[\p{Ll}\p{M}]+(?:\s\p{Lu}[\p{Ll}\p{M}]+){2,3}${R})`;

const spanPatterns: Record<AnswerType, RegExp | null> = {
  time: new RegExp(timeOfDay, 'giu'),
  date: new RegExp(`${dateSpan}|${timeOfDay}`, 'gu'),
  duration: new RegExp(durationSpan, 'giu'),
  place: new RegExp(placeSpan, 'gu'),
  phone: new RegExp(phoneSpan, 'gu'),
  email: new RegExp(emailSpan, 'gu'),
  money: new RegExp(moneySpan, 'giu'),
  count: new RegExp(`${countSpan}|${moneySpan}`, 'giu'),
  person: new RegExp(personSpan, 'gu'),
  definition: null,
  procedure: null,
};

export interface AnswerSpan {
  start: number;
  end: number;
  text: string;
}

/** The spans of `text` that could answer a question of this type (none for open types). */
export function findAnswerSpans(text: string, type: AnswerType): AnswerSpan[] {
  const pattern = spanPatterns[type];
  if (!pattern) return [];
  const source = text.normalize('NFC');
  return [...source.matchAll(new RegExp(pattern.source, pattern.flags))]
    .filter((m) => m[0].trim() !== '')
    .map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }));
}

/** Spans that answer only loosely: a bare year for "when", a percentage or "free" for "how much". */
const weakSpan: Partial<Record<AnswerType, RegExp>> = {
  date: /^(?:năm\s+)?\d{4}$|^tháng\s/iu,
  money: /%$|miễn|free|không thu/iu,
};

/**
 * How well the text answers a question of the type: 2 when it holds a span of it, 1 when it
 * holds only a loose one (a bare year when the question asks "when" but not "which year"; a
 * percentage when it asks "how much"), 0 when it holds none. Open types always give 2.
 */
export function answerSpanStrength(text: string, asked: DetectedAnswerType | AnswerType): 0 | 1 | 2 {
  const type = typeof asked === 'string' ? asked : asked.type;
  if (!spanTypes.has(type)) return 2;
  const spans = findAnswerSpans(text, type);
  if (spans.length === 0) return 0;
  const cue = typeof asked === 'string' ? '' : asked.cue;
  const loose = weakSpan[type];
  if (!loose || (type === 'date' && /nam nao|year/.test(cue))) return 2;
  return spans.some((s) => !loose.test(s.text.trim())) ? 2 : 1;
}

/** Whether the text holds at least one span of the type (always true for open types). */
export function holdsAnswerSpan(text: string, type: AnswerType): boolean {
  if (!spanTypes.has(type)) return true;
  return findAnswerSpans(text, type).length > 0;
}

/** How a type is named to a learner when the materials lack it ("số điện thoại", "a phone number"). */
export const answerTypeNames: Record<AnswerType, { vi: string; en: string }> = {
  time: { vi: 'giờ', en: 'the time' },
  date: { vi: 'ngày, thời gian', en: 'the date' },
  duration: { vi: 'thời gian kéo dài', en: 'how long it takes' },
  place: { vi: 'địa điểm', en: 'the place' },
  phone: { vi: 'số điện thoại', en: 'the phone number' },
  email: { vi: 'địa chỉ email', en: 'the e-mail address' },
  money: { vi: 'số tiền', en: 'the amount' },
  count: { vi: 'con số', en: 'the number' },
  person: { vi: 'tên người', en: 'the person' },
  definition: { vi: 'định nghĩa', en: 'the definition' },
  procedure: { vi: 'cách làm', en: 'the steps' },
};

/**
 * The question without the words that ask for the type ("so dien thoai tuyen sinh" → "tuyen
 * sinh"), or '' when nothing else is left: what the fact is about, to search for it again.
 */
export function withoutCue(question: string, cue: string): string {
  const cueWords = new Set(cue.split(' '));
  const words = question.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+(?:[-/.@][\p{L}\p{M}\p{N}]+)*/gu) ?? [];
  const kept = words.filter((w) => !cueWords.has(cueForm(w)));
  return kept.length === words.length || kept.length === 0 ? '' : kept.join(' ');
}
