import { foldDiacritics } from '../text/index.js';

/**
 * What kind of answer a question expects, from its question words (compared without
 * diacritics), and what a sentence holding such an answer looks like. Learners' questions are
 * mostly factoid: a fee, a date or time, a place, a number.
 */
interface AnswerType {
  name: 'money' | 'time' | 'place' | 'quantity';
  asks: RegExp;
  looksLike: RegExp;
}

const answerTypes: AnswerType[] = [
  {
    name: 'money',
    asks: /\b(hoc phi|le phi|phi|gia|bao nhieu tien|tien|how much|fee|fees|cost|price|tuition)\b/,
    looksLike: /\d[\d.,]*\s*(đồng|đ\b|vnđ|vnd|nghìn|ngàn|triệu|dong\b)|\bVND\b|\$\s?\d/i,
  },
  {
    name: 'time',
    asks: /\b(khi nao|luc nao|bao gio|may gio|ngay nao|thang nao|thu may|han chot|thoi gian|thoi han|when|what time|which day|deadline|how long|bao lau)\b/,
    looksLike: /\d{1,2}\s?(h|giờ|g)\s?\d{0,2}\b|\d{1,2}\/\d{1,2}|\bngày \d|\bthứ (hai|ba|tư|năm|sáu|bảy)|chủ nhật|\d+\s*(tuần|ngày|tháng|năm|phút)|\b\d{1,2}(:\d{2})?\s?(am|pm)\b|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\bweeks?\b|\bdays?\b/i,
  },
  {
    name: 'place',
    asks: /\b(o dau|cho nao|noi nao|phong nao|dia chi|where|address|which room)\b/,
    looksLike: /\bphòng [A-Z]?\d|\btầng\b|\bsố \d+|\bđường\b|\bphường\b|\broom\b|\bfloor\b/i,
  },
  {
    name: 'quantity',
    asks: /\b(bao nhieu|may|how many|how much|so luong|toi da|toi thieu)\b/,
    looksLike: /\d/,
  },
];

/** A test for sentences shaped like the expected answer, or null when the question gives no cue. */
export function expectedAnswerShape(question: string): RegExp | null {
  const folded = foldDiacritics(question.toLowerCase());
  const type = answerTypes.find((t) => t.asks.test(folded));
  return type ? type.looksLike : null;
}
