import { distance } from 'fastest-levenshtein';

/** Text as compared for OCR: NFC, whitespace runs collapsed to one space, trimmed. */
export function normalizeForCer(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * Character error rate of an OCR reading against its reference: the edit distance (insertions,
 * deletions, substitutions of UTF-16 code units; every Vietnamese letter is one unit in NFC)
 * between the normalized texts, over the reference's length. 0 is perfect; it can exceed 1.
 */
export function characterErrorRate(read: string, reference: string): number {
  const ref = normalizeForCer(reference);
  const hyp = normalizeForCer(read);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return distance(hyp, ref) / ref.length;
}
