import { foldDiacritics } from '../text/index.js';
import type { KeySpan } from './key-kinds.js';

// Words that open a sentence "X là …" without X being a term ("Đây là …", "It is …").
const notTerms = new Set([
  'day',
  'do',
  'dieu nay',
  'nay',
  'viec nay',
  'muc dich',
  'ket qua',
  'ly do',
  'dieu kien',
  'tat ca',
  'moi',
  'cach',
  'cach lam',
  'this',
  'it',
  'that',
  'there',
  'these',
  'those',
  'they',
  'we',
  'you',
  'he',
  'she',
  'what',
  'which',
  'who',
  'here',
  'one',
  'the aim',
  'the goal',
]);

/** Capitalised words everywhere in a center's materials: never a useful blank. */
const commonNames = new Set([
  'trung tam',
  'hoc vien',
  'giao vien',
  'center',
  'the center',
  'viet nam',
  'english',
  'tieng anh',
  'so tay hoc vien',
  'hoa an',
]);

const termWord = String.raw`[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N}'’-]*`;
// "X là …", "X (gọi tắt là Y) là …" trimmed to X; 1 to 6 words; the rest must not start with a figure.
const viDefinition = new RegExp(
  String.raw`^\**(${termWord}(?:\s+${termWord}){0,5})\**\s+(?:là|được hiểu là|có nghĩa là|nghĩa là)\s+(?![\d"“])`,
  'u',
);
const enDefinition = new RegExp(
  String.raw`^(?:(?:An?|The)\s+)?\**(${termWord}(?:\s+${termWord}){0,4})\**\s+(?:is|are|means|refers to)\s+(?:a|an|the|one|any|when|how)\s`,
  'u',
);
// "… gọi là X", "… called X": the named term after the cue, up to the next punctuation.
const calledTerm =
  /(?:gọi tắt là|gọi là|called|known as)\s+["“]?((?:\p{Lu}|\d)[\p{L}\p{M}\p{N}'’-]*(?:\s+[\p{L}\p{M}\p{N}'’-]+){0,4}?)["”]?(?=[),.;:]|$)/u;
// Two to five capitalised words (a name, a place, an event, an agreement), hyphens allowed, and
// English names' small joining words ("Common European Framework of Reference").
const capWord = String.raw`\p{Lu}[\p{Ll}\p{M}'’]*(?:-\p{L}[\p{Ll}\p{M}]*)*`;
const namePhrase = new RegExp(
  String.raw`(?<![\p{L}\p{M}\p{N}])${capWord}(?:\s+(?:(?:of|for|and|the)\s+)?${capWord}){1,5}(?![\p{L}\p{M}\p{N}])`,
  'gu',
);
// Sentence openers that are not part of a name ("The Center", "In May").
const openers =
  /^(?:The|A|An|In|On|At|For|Our|Your|This|Each|Every|When|If|From|To|By|With|After|Before|All|Some|Most|Ask|Bring|Call|Send)$/;
// Vietnamese units whose name goes on in lower case ("Tổ Tin học", "Phòng Đào tạo"): cut, they mislead.
const unitHeads = /^(?:Tổ|Phòng|Ban|Khoa|Bộ|Sở|Trường|Lớp|Nhà)$/u;
// "X là …" openers that are not terms: conditions, times, actions ("Khi …", "Sau …", "Nắm chắc …").
const viNotTermStart = new Set([
  'sau',
  'khi',
  'neu',
  'nam',
  'vi',
  'trong',
  'voi',
  'de',
  'do',
  'con',
  'cung',
  'moi',
  'mot',
  'cac',
  'nhung',
  'o',
  'tai',
  'tu',
  'den',
  'theo',
  'cho',
  'ban',
  'anh',
  'em',
  'toi',
  'chung',
  'ho',
  'viec',
  'dieu',
  'ly',
  'ket',
  'muc',
  'han',
  'thoi',
  'so',
  'tong',
  'gia',
  'hom',
  'ngay',
  'luc',
  'chi',
  'phan',
  'y',
]);

const folded = (text: string) => foldDiacritics(text).toLowerCase();

/** The defined term of a definition sentence ("Thư điện tử là …", "A spreadsheet is a …"), if any. */
export function findDefinedTerm(sentence: string): KeySpan | null {
  const called = calledTerm.exec(sentence);
  if (called) {
    const start = called.index + called[0].indexOf(called[1]!);
    return { kind: 'term', start, end: start + called[1]!.length, text: called[1]! };
  }
  const m = viDefinition.exec(sentence) ?? enDefinition.exec(sentence);
  if (!m) return null;
  const term = m[1]!;
  const first = folded(term.split(/\s+/)[0]!);
  if (notTerms.has(folded(term)) || notTerms.has(first) || /\d|=/.test(term)) return null;
  if (m[0].includes(' là ') && (viNotTermStart.has(first) || term.split(/\s+/).length > 4)) return null;
  const start = m.index + m[0].indexOf(term);
  return { kind: 'term', start, end: start + term.length, text: term };
}

/** Named terms inside a sentence (not its first word, whose capital says nothing). */
export function findNames(sentence: string): KeySpan[] {
  const out: KeySpan[] = [];
  for (const m of sentence.matchAll(namePhrase)) {
    let text = m[0];
    let start = m.index;
    const words = text.split(/\s+/);
    if (openers.test(words[0]!) && /^\W*$/u.test(sentence.slice(0, start))) {
      // A capitalised opener is not part of the name: keep the rest when it is still one.
      if (words.length < 3) continue;
      start += text.indexOf(words[1]!);
      text = words.slice(1).join(' ');
    }
    if (unitHeads.test(text.split(/\s+/)[0]!) || /\s\p{L}$/u.test(text)) continue; // "Sort A (to Z)"
    // A Vietnamese phrase that goes on in lower case is a common noun with a capital ("Tuyên ngôn",
    // "Phủ Khâm sai", "Google Trang tính"), cut in the middle: leave it.
    if (/^\s+\p{Ll}/u.test(sentence.slice(start + text.length)) && /[^\x00-\x7f]/u.test(text)) continue;
    const quoted = /["“]([^"”]*)["”]/gu;
    if ([...sentence.matchAll(quoted)].some((q) => q[1]!.includes(text) && q[1]!.trim() !== text)) continue; // part of a quoted label
    if (commonNames.has(folded(text))) continue;
    out.push({ kind: 'name', start, end: start + text.length, text });
  }
  return out;
}
