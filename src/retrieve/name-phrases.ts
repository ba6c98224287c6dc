import { normalizeToneMarks, tokenize } from '../text/index.js';
import { vietnameseFunctionWords } from './answerability.js';

/** Words that start a question before a name without being part of it ("Sau Tết", "Ở Huế", "Ai là"). */
const leadingWords = new Set(
  'sau trước từ đến tại ở trong ngoài theo về vào khi lúc ai cái con người các những mỗi nếu còn thế vậy và hay hoặc năm ngày tháng'.split(
    ' ',
  ),
);

/**
 * The multi-word names of a question, each as its folded words in order: runs of words written
 * with a capital ("Cao đẳng Sư phạm Hòa An", "Thư viện Quốc gia Việt Nam", "Bảo tàng Hồ Chí
 * Minh"), a lower-case syllable kept only between two capitalised words (a Vietnamese name
 * capitalises the first syllable of each of its words: "Cao đẳng", "Sư phạm", "Khoa học Tổng").
 * A question is about the institution, place or person it names; materials that have each word
 * of the name somewhere, but never side by side, are not about it ("Học phí trường Cao đẳng Sư
 * phạm Hòa An" against a handbook full of "học phí", "cao", "sư", "Hòa An").
 *
 * The first word of the question counts only when a capitalised word follows it ("Nhật Bản",
 * "Hồ Chí Minh"); a code or acronym ("EC", "CNTT", "B101") and punctuation end a run. A
 * question mostly in capitals has no names to tell. One-word names are {@link salientTerms}'.
 */
export function namePhrases(query: string): string[][] {
  const text = query.normalize('NFC');
  const matches = [...text.matchAll(/[\p{L}\p{M}\p{N}]+(?:[-/.][\p{L}\p{M}\p{N}]+)*/gu)];
  const words = matches.map((m) => m[0]);
  if (words.filter((w) => /\p{L}/u.test(w) && w === w.toUpperCase()).length * 2 > words.length) return [];
  // A capital after a sentence end, a colon or an opening quote starts a sentence, not a name.
  const sentenceStart = matches.map((m) => m.index === 0 || /[.!?:;"“”'‘’«(…]\s*$/u.test(text.slice(Math.max(0, m.index - 3), m.index)));
  // Punctuation between two words ("Hòa An, Việt Nam") ends a run.
  const joined = matches.map((m, i) => i > 0 && /^\s+$/u.test(text.slice(matches[i - 1]!.index + words[i - 1]!.length, m.index)));
  const lower = words.map((w) => normalizeToneMarks(w).toLowerCase());
  const code = (i: number) => /^[\p{Lu}\p{N}]{2,}$/u.test(words[i]!) || /\p{N}/u.test(words[i]!);
  // Inside a question a capital marks a name even when the word also asks or points ("Lan Anh", "Hồ Chí Minh").
  const capital = (i: number) => i >= 0 && i < words.length && /^\p{Lu}/u.test(words[i]!) && !code(i);
  const phrases: string[][] = [];
  let run: number[] = [];
  const close = () => {
    while (run.length > 0 && !capital(run.at(-1)!)) run.pop();
    // As the index reads them: English stopwords dropped (a bigram spans them), English stemmed.
    const folded = run.flatMap((i) =>
      tokenize(words[i]!)
        .slice(0, 1)
        .map((t) => t.folded),
    );
    if (folded.length >= 2) phrases.push(folded);
    run = [];
  };
  for (let i = 0; i < words.length; i++) {
    if (run.length > 0 && !joined[i]) close();
    const opens = capital(i) && (!sentenceStart[i] || (capital(i + 1) && !leadingWords.has(lower[i]!)));
    if (run.length === 0) {
      if (opens) run.push(i);
      continue;
    }
    // Inside a run: a capitalised word, or one lower-case syllable followed by a capitalised word,
    // not a function word linking two names ("Lane và Vail", "Jacksonville ở Hoa Kỳ").
    if (capital(i) && !sentenceStart[i]) run.push(i);
    else if (!capital(i) && capital(run.at(-1)!) && capital(i + 1) && joined[i + 1] && !code(i) && !vietnameseFunctionWords.has(lower[i]!))
      run.push(i);
    else {
      close();
      if (opens) run.push(i);
    }
  }
  close();
  return phrases;
}
