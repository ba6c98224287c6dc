/**
 * Vietnamese writes the tone mark of `oa`, `oe`, `uy` in two styles: `hoà`/`hòa`, `thuý`/`thúy`.
 * Both must compare equal, so every syllable is rewritten with its tone on one canonical vowel
 * (the "new" style used by the Ministry's spelling rules: `hoà`, `thuý`, `quý`, `hoàng`).
 */

const toneMarks = /[\u0300\u0301\u0303\u0309\u0323]/;
const toneMarksGlobal = /[\u0300\u0301\u0303\u0309\u0323]/g;
const vowels = 'aăâeêioôơuưy';
const hattedVowels = 'ăâêôơư';
const syllablePattern = /[\p{L}]+/gu;

function isVowel(ch: string): boolean {
  return vowels.includes(ch.toLowerCase());
}

/** Index (in the toneless, NFC syllable) of the vowel that carries the tone. */
function toneVowelIndex(base: string): number {
  const lower = base.toLowerCase();
  let start = 0;
  while (start < lower.length && !isVowel(lower[start]!)) start++;
  if (start >= lower.length) return -1;
  // In `qu` and `gi` + vowel, the u/i belong to the initial consonant.
  if (lower[start] === 'u' && start > 0 && lower[start - 1] === 'q') start++;
  else if (lower[start] === 'i' && start > 0 && lower[start - 1] === 'g' && start + 1 < lower.length && isVowel(lower[start + 1]!)) start++;
  let end = start;
  while (end < lower.length && isVowel(lower[end]!)) end++;
  if (start >= end) return -1;
  const nucleus = lower.slice(start, end);
  for (let i = nucleus.length - 1; i >= 0; i--) {
    if (hattedVowels.includes(nucleus[i]!)) return start + i;
  }
  if (nucleus.length === 1) return start;
  const hasFinalConsonant = end < lower.length;
  if (hasFinalConsonant) return end - 1;
  if (nucleus === 'oa' || nucleus === 'oe' || nucleus === 'uy') return start + 1;
  return nucleus.length === 2 ? start : start + 1;
}

function normalizeSyllable(syllable: string): string {
  const decomposed = syllable.normalize('NFD');
  const tone = decomposed.match(toneMarks)?.[0];
  if (!tone) return syllable;
  const base = decomposed.replace(toneMarksGlobal, '').normalize('NFC');
  const at = toneVowelIndex(base);
  if (at < 0) return syllable;
  return (base.slice(0, at + 1) + tone).normalize('NFC') + base.slice(at + 1);
}

const cache = new Map<string, string>();
const cacheLimit = 50_000;

/** Rewrites every syllable of `text` (already NFC) with its tone mark on the canonical vowel. */
export function normalizeToneMarks(text: string): string {
  return text.replace(syllablePattern, (syllable) => {
    let out = cache.get(syllable);
    if (out === undefined) {
      out = normalizeSyllable(syllable);
      if (cache.size >= cacheLimit) cache.clear();
      cache.set(syllable, out);
    }
    return out;
  });
}
