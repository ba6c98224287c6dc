import { questionTokenMask, tokenize } from '../text/index.js';
import { vietnameseFunctionWords } from './answerability.js';

/**
 * Words that name a kind of administrative place: the place is the kind and the name together
 * ("tỉnh Hòa An", "phường Tân Thịnh", "quận 1"), so "tỉnh Bình Dương" is not covered by materials
 * that only have "Thái Bình Dương". Written with their marks: typed without them, "tinh", "xa",
 * "quan" are as often "tính", "xa", "quan trọng".
 */
const placeKinds = new Set(['tỉnh', 'huyện', 'quận', 'xã', 'phường', 'tp']);
const unmarkedPlaceKinds = new Set(['tinh', 'huyen', 'quan', 'xa', 'phuong', 'tp']);

/**
 * The administrative places a question names, each as the folded bigram of its kind and the
 * first word of its name ("tinh binh" for "tỉnh Bình Dương", "quan 1" for "quận 1"). Typed
 * without marks, a kind word counts only before a capitalised word or a number ("quan 1",
 * "tinh Binh Duong"). A kind followed by a function or question word names no place ("tỉnh có…").
 *
 * @example placeNames('Học phí trung tâm GDTX tỉnh Bình Dương bao nhiêu?') // ['tinh binh']
 */
export function placeNames(query: string): string[] {
  const read = questionWords(query);
  if (!read) return [];
  const { words, tokens, joined, asks } = read;
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const kind = tokens[i]!;
    const next = words[i + 1]!;
    const marked = kind.exact !== kind.folded;
    if (!joined(i + 1)) continue;
    const namedNext = /^(\p{Lu}|\p{N})/u.test(next);
    if (marked ? !placeKinds.has(kind.exact) : !(unmarkedPlaceKinds.has(kind.folded) && namedNext)) continue;
    const following = tokens[i + 1]!;
    if (vietnameseFunctionWords.has(following.exact) || (asks[i + 1] && !namedNext)) continue;
    out.push(`${kind.folded} ${following.folded}`);
  }
  return [...new Set(out)];
}

/**
 * What a question puts before an administrative place, as the folded bigram of that word and
 * the place's kind ("vien tinh" for "Thư viện tỉnh Hòa An", "khoa tinh" for "bệnh viện đa khoa
 * tỉnh Hòa An"): an institution of the province is its kind and the province together. Materials
 * that name "thư viện" and "tỉnh Hòa An" apart (the centre's library, in the centre of the
 * province) do not cover the province's library. Only kinds written with their marks and
 * followed by a name or a number count, and a function or question word before the kind names
 * nothing ("ở xã Phú Lộc", "của tỉnh").
 *
 * @example placeOwners('Thư viện tỉnh Hòa An mở cửa mấy giờ?') // ['vien tinh']
 */
export function placeOwners(query: string): string[] {
  const read = questionWords(query);
  if (!read) return [];
  const { words, tokens, joined, asks } = read;
  const out: string[] = [];
  for (let i = 1; i + 1 < tokens.length; i++) {
    const kind = tokens[i]!;
    if (!placeKinds.has(kind.exact) || !joined(i) || !joined(i + 1) || !/^(\p{Lu}|\p{N})/u.test(words[i + 1]!)) continue;
    const before = tokens[i - 1]!;
    if (vietnameseFunctionWords.has(before.exact) || asks[i - 1] || before.exact === before.folded) continue;
    out.push(`${before.folded} ${kind.folded}`);
  }
  return [...new Set(out)];
}

/**
 * A question's words with their tokens, which of them ask (question words), and whether word i is
 * joined to word i - 1 by white space only: punctuation between two words ("tỉnh, huyện") joins
 * no place. Undefined when a word yields no token (nothing to read places from).
 */
function questionWords(query: string) {
  const text = query.normalize('NFC');
  const matches = [...text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)];
  const words = matches.map((m) => m[0]);
  const tokens = words.map((w) => tokenize(w)[0]).filter((t) => t !== undefined);
  if (tokens.length !== words.length) return undefined;
  const joined = (i: number) => /^\s+$/u.test(text.slice(matches[i - 1]!.index + words[i - 1]!.length, matches[i]!.index));
  return { words, tokens, joined, asks: questionTokenMask(tokens.map((t) => t.folded)) };
}
