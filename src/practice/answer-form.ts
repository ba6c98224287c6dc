import { foldDiacritics, normalizeToneMarks } from '../text/index.js';

/**
 * The form answers are compared in: the folding search uses (diacritics and `đ` folded, tone
 * marks placed one way, lower case), punctuation as spaces, and digit groups joined, so
 * `Việt Minh`, `viet minh` and `VIET MINH` match, and `450.000 đồng` matches `450000 dong`.
 */
export function answerForm(text: string): string {
  return foldDiacritics(normalizeToneMarks(text.normalize('NFC')))
    .toLowerCase()
    .replace(/(\d)[.,\s](?=\d{3}(?!\d))/g, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whether a learner's answer is the key (or, for a choice, the key's text), in answer form. */
export function isCorrectAnswer(answer: string, key: string): boolean {
  const given = answerForm(answer);
  return given !== '' && given === answerForm(key);
}
