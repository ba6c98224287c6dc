import { foldDiacritics } from './fold-diacritics.js';

/** Languages trogiang answers in. */
export type Language = 'vi' | 'en';

// Letters only Vietnamese uses among Latin scripts (ă â đ ê ô ơ ư and the dot-below/hook tones).
const vietnameseLetters = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;
// Frequent Vietnamese syllables, compared without diacritics, for text typed without marks.
const vietnameseCommon = new Set(
  'cua va la cac nhung duoc khong trong cho voi nguoi hoc bao nhieu the nao gi khi co mot den tai ve thi hay lam nay sao phai minh toi ban em anh chi da se dang hoac neu nhu hon cung rat lop phi gio ngay thang nam'.split(
    ' ',
  ),
);
const englishCommon = new Set(
  'the of and to in is are was for on with that this what how when where which who can do does my your it be by from at as an or have has will should i you we'.split(
    ' ',
  ),
);

/**
 * Guesses whether text is Vietnamese or English. Vietnamese-only letters decide at once;
 * otherwise frequent function words of each language are counted (works without diacritics).
 * Ties and empty text go to `fallback` (default `vi`, the learners' first language).
 */
export function detectLanguage(text: string, fallback: Language = 'vi'): Language {
  if (vietnameseLetters.test(text)) return 'vi';
  const words = foldDiacritics(text.toLowerCase()).match(/[a-z]+/g) ?? [];
  let vi = 0;
  let en = 0;
  for (const w of words) {
    if (vietnameseCommon.has(w)) vi++;
    if (englishCommon.has(w)) en++;
  }
  if (vi === en) return fallback;
  return vi > en ? 'vi' : 'en';
}
