import { englishStopwords, foldDiacritics, hasDiacritics, tokenize } from '../text/index.js';

/**
 * Words that carry no matter in a learner's question: asking words, politeness, pronouns and
 * function words ("cho em hỏi … với ạ", "bao nhiêu", "how much is the"). Matched by their exact
 * form when the question is typed with marks.
 */
const fillerWords = new Set(
  (
    'cho em hỏi ạ ơi nhé nha nhá với vậy thế thì là của có không được và tôi mình bạn chị xin muốn biết cần phải ' +
    'gì nào mấy đâu sao ai khi lúc như ở tại trong các những một này đó nó hả nhỉ vâng dạ làm sẽ đã đang bị hay hoặc ' +
    'nếu mà rồi về ra vào lên cũng thôi chứ thầy cô giúp xong lâu hết mất'
  ).split(' '),
);

/** Filler of two words (compared folded): either word alone may carry matter ("trung" in "tiếng Trung"). */
const fillerPairs = new Set([
  'trung tam',
  'bay gio',
  'hien nay',
  'vi du',
  'vui long',
  'lam sao',
  'ra sao',
  'the nao',
  'bao nhieu',
  'bao lau',
  'co the',
  'nam nay',
  'cho nao',
  'cho hoi',
  'em hoi',
  'minh hoi',
  'bao gio',
  'khi nao',
  'luc nao',
  'bat buoc',
]);

/**
 * Folded forms of filler words that are filler whatever their marks. A folded form shared with a
 * word of matter (`thi` exam / `thì`, `toi` evening / `tôi`, `chi` in `chứng chỉ` / `chị`, `cua`
 * door / `của`, `da` in `tối đa` / `đã`…) is only dropped when the question is typed with marks.
 */
const ambiguous = new Set('thi anh may vao ra the lam thay cua gio toi chi da ve len hay bi hoi lau do no chu ban mat co'.split(' '));
const foldedFiller = new Set([...fillerWords].map((w) => foldDiacritics(w)).filter((w) => !ambiguous.has(w)));
// `có` / `cô` / `cơ`: asking far more often than anything else in a question.
foldedFiller.add('co');

/** English asking and function words, as the tokenizer stems them. */
const englishFiller = new Set(
  'what how when where which who whom whose why do doe did can could would should shall will is are was were am be been i me my you your we our much many pleas tell want know need there here allow have take up go requir'.split(
    ' ',
  ),
);

/**
 * Words learners use for the same thing (folded, English stemmed): each maps to one form, on
 * both sides of a comparison. Kept short, to what a center's questions need.
 */
const sameAs = new Map<string, string>([
  ['sdt', 'so dien thoai'],
  ['pass', 'mat khau'],
  ['password', 'mat khau'],
  ['online', 'truc tuyen'],
  ['hk', 'hoc ky'],
  ['lay', 'nhan'],
  ['move', 'switch'],
  ['chang', 'switch'],
  ['transfer', 'switch'],
  ['cost', 'fee'],
  ['tien', 'phi'],
  ['price', 'fee'],
  ['retak', 'resit'],
  ['break', 'holidai'],
  ['lop', 'khoa'],
  ['qualifi', 'condit'],
  ['begin', 'start'],
  ['pick', 'collect'],
  ['sign', 'regist'],
  ['request', 'ask'],
  ['get', 'collect'],
]);

/** A term of a question: its folded form (compared) and its exact form (weighed when typed with marks). */
export interface MatchTerm {
  folded: string;
  /** With diacritics as typed; equal to `folded` when the question is typed without marks. */
  exact: string;
}

/**
 * The terms a verified question and a learner's question are compared on, in question order
 * (repeats kept): words without filler
 * (folded, English stemmed, a few synonyms made one), and numbers and codes as written ("2025",
 * "b1", "15/12"). Parts of a code (the tokenizer's extra terms) are left out: the code itself is
 * the term.
 */
export function matchTerms(text: string): MatchTerm[] {
  const marked = hasDiacritics(text);
  const terms: MatchTerm[] = [];
  const tokens = tokenize(text);
  const pair = tokens.map((t, i) => {
    const next = tokens[i + 1];
    return next !== undefined && !next.breakBefore && fillerPairs.has(`${t.folded} ${next.folded}`);
  });
  for (const [i, token] of tokens.entries()) {
    if (token.extra || pair[i] || pair[i - 1]) continue;
    // English function words as typed ("on"), not Vietnamese words folded onto them ("ôn").
    if (token.exact === token.folded && (englishStopwords.has(token.folded) || englishFiller.has(token.folded))) continue;
    if (
      marked
        ? fillerWords.has(token.exact) || (token.exact === token.folded && foldedFiller.has(token.folded))
        : foldedFiller.has(token.folded)
    )
      continue;
    const same = sameAs.get(token.folded);
    for (const folded of same ? same.split(' ') : [token.folded]) terms.push({ folded, exact: same ? folded : token.exact });
  }
  return terms;
}

/** Whether a term is a number or holds a digit (a term, a year, a level such as `b1`). */
export const holdsDigit = (term: string): boolean => /\d/.test(term);
