import { splitSentences } from '../../src/text/index.js';
import { citationMarker, normalizeAnswer } from './normalize-answer.js';

/** An answer sentence and the source numbers it cites. */
export interface CitedSentence {
  text: string;
  sources: number[];
}

/** Share of a sentence's content syllables that must appear in its cited sources. */
export const groundingThreshold = 0.6;

// Function words that carry no fact; compared with diacritics, lower case.
const stopwords = new Set(
  (
    'là và của có các được cho những một này đó thì với trong để khi từ đến theo tại ra vào không mà nên cũng đã sẽ đang rồi ' +
    'như về hay hoặc bị ở lại do nếu vì thế nhé ạ nhưng anh chị bạn em tôi mình ' +
    'a an the and or of to in on at for by with is are was were be been it this that these those as from not no do does ' +
    'can will you your i we they he she his her its our their if then than so but'
  ).split(' '),
);

/**
 * The content syllables of a text (Vietnamese syllables or English words): tokens of
 * {@link normalizeAnswer} with diacritics kept, without function words. Numbers count.
 */
export function contentSyllables(text: string): string[] {
  return normalizeAnswer(text, { fold: false })
    .split(' ')
    .filter((t) => t !== '' && !stopwords.has(t));
}

/**
 * Splits an answer into sentences with the sources each cites. A citation marker closes a
 * segment: every sentence of the text since the previous marker cites it (the extractive
 * answerer puts one marker after a group of sentences from the same source; models often put
 * one after a paragraph). Markers separated only by spaces or punctuation (`[1][2]`, `[1], [3]`)
 * join the same segment. Text after the last marker cites nothing.
 */
export function citedSentences(answer: string): CitedSentence[] {
  const segments: Array<{ text: string; sources: number[] }> = [];
  let cursor = 0;
  for (const match of answer.matchAll(citationMarker)) {
    const numbers = (match[0].match(/[0-9０-９]+/g) ?? []).map((n) =>
      Number(n.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10))),
    );
    // Punctuation that followed the previous marker (`[1].`) belongs to the sentence before it.
    const text = answer.slice(cursor, match.index).replace(/^[\s\p{P}]+/u, '');
    const last = segments.at(-1);
    if (!/[\p{L}\p{N}]/u.test(text) && last) last.sources.push(...numbers);
    else segments.push({ text, sources: numbers });
    cursor = match.index + match[0].length;
  }
  const tail = answer.slice(cursor).replace(/^[\s\p{P}]+/u, '');
  if (/[\p{L}\p{N}]/u.test(tail)) segments.push({ text: tail, sources: [] });
  return segments.flatMap((segment) =>
    splitSentences(segment.text)
      .map((s) => s.text)
      .filter((text) => contentSyllables(text).length > 0)
      .map((text) => ({ text, sources: [...new Set(segment.sources)] })),
  );
}

/** Whether one sentence is supported: at least 60% of its content syllables appear in the text of the sources it cites. */
export function isSupported(sentence: string, citedText: string): boolean {
  const words = contentSyllables(sentence);
  if (words.length === 0) return true;
  const available = new Set(contentSyllables(citedText));
  return words.filter((w) => available.has(w)).length / words.length >= groundingThreshold;
}

/**
 * Grounding of one answer: the share of its sentences supported by the sources they cite
 * ({@link isSupported}); a sentence citing nothing, or only numbers with no known source, is
 * unsupported. `sourceText(n)` gives the full text of source `n` (undefined if unknown).
 * Null when the answer has no sentence with content.
 */
export function groundingScore(answer: string, sourceText: (n: number) => string | undefined): number | null {
  const sentences = citedSentences(answer);
  if (sentences.length === 0) return null;
  const supported = sentences.filter((s) => {
    const texts = s.sources.map(sourceText).filter((t): t is string => t !== undefined);
    return texts.length > 0 && isSupported(s.text, texts.join('\n'));
  });
  return supported.length / sentences.length;
}
