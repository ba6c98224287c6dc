/** A sentence with its position in the source text (for highlighting and citing). */
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/** Abbreviations whose final dot does not end a sentence (compared in lower case). */
const abbreviations = new Set([
  'tp',
  'ths',
  'ts',
  'pgs',
  'gs',
  'bs',
  'ks',
  'cn',
  'tt',
  'q',
  'p',
  'tx',
  'v.v',
  'vv',
  'st',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'e.g',
  'i.e',
  'etc',
  'vs',
  'no',
  'tr',
  'nxb',
  'sđt',
  'đt',
  'fig',
  'al',
  'approx',
]);

// Candidate ends: . ! ? … (possibly repeated) followed by closing quotes/brackets.
const endPattern = /[.!?…]+["'”’)\]]*/g;
// Start of a list item on a new line: `1.`, `a)`, `-`, `•`.
const listItemStart = /^\s*(?:\d{1,3}[.)]|[a-zđ][.)]|[-•*+])\s+/i;

function wordBefore(text: string, index: number): string {
  let i = index;
  while (i > 0 && /[\p{L}\p{N}.]/u.test(text[i - 1]!)) i--;
  return text.slice(i, index).replace(/^\.+/, '').toLowerCase();
}

function isSentenceEnd(text: string, dotIndex: number, afterIndex: number): boolean {
  const next = text.slice(afterIndex).match(/^\s*(\S)/u);
  if (!next) return true; // end of text
  if (afterIndex < text.length && !/\s/.test(text[afterIndex]!)) return false; // `3.5`, `TP.HCM`
  if (text[dotIndex] !== '.') return true; // ! ? … always end
  const before = wordBefore(text, dotIndex);
  if (abbreviations.has(before)) return false;
  if (
    /^\d{1,3}$/.test(before) &&
    /^\s*$/.test(
      text
        .slice(0, dotIndex - before.length)
        .split('\n')
        .pop() ?? '',
    )
  ) {
    return false; // `1.` opening a numbered item
  }
  if (/^[a-zđ]$/i.test(before) && /[A-ZĐ]/.test(text[dotIndex - 1] ?? '')) return false; // initials `N. V. An`
  return /[\p{Lu}\p{N}"'“‘([•-]/u.test(next[1]!);
}

function pushTrimmed(out: Sentence[], text: string, start: number, end: number): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (e > s) out.push({ text: text.slice(s, e), start: s, end: e });
}

/**
 * Splits text into sentences. Knows Vietnamese abbreviations (`TP.`, `ThS.`, `TS.`, `v.v.`),
 * decimal numbers, and treats each line of a numbered or bulleted list as its own sentence.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  // Lines first: a newline that starts a list item, or a blank line, always ends a sentence.
  let lineStart = 0;
  const segments: Array<[number, number]> = [];
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1];
    const endOfLine = offset + line.length;
    const breakHere = next === undefined || next.trim() === '' || line.trim() === '' || listItemStart.test(next);
    if (breakHere) {
      segments.push([lineStart, endOfLine]);
      lineStart = endOfLine + 1;
    }
    offset = endOfLine + 1;
  }
  for (const [segStart, segEnd] of segments) {
    const segment = text.slice(segStart, segEnd);
    let sentenceStart = 0;
    for (const m of segment.matchAll(endPattern)) {
      const after = m.index + m[0].length;
      if (isSentenceEnd(segment, m.index, after)) {
        pushTrimmed(out, text, segStart + sentenceStart, segStart + after);
        sentenceStart = after;
      }
    }
    pushTrimmed(out, text, segStart + sentenceStart, segEnd);
  }
  return out;
}
