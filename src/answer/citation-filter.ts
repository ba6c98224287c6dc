/**
 * Checks the `[n]` citations of a streamed answer against the sources the model was given.
 *
 * A citation is an opening bracket (`[` or full-width `［`), one or more numbers of at most three
 * digits (ASCII or full-width) separated by `,` `，` `;` `；` or `、`, optional spaces anywhere
 * between them, and a closing bracket (`]` or `］`), at most {@link maxCitationLength} characters
 * in all: `[1]`, `[ 2 ]`, `[1, 3]`, `［２］`. Anything else in brackets (`[ghi chú]`, `[1-3]`,
 * `[]`) is plain text and passes unchanged.
 *
 * - A citation keeps only the numbers in the valid set, rewritten as `[1]` or `[1, 3]`.
 * - A citation with no valid number is dropped, with the one space before it (`triệu [7].` →
 *   `triệu.`). If what is left would then read as the start of a bracket, such as the `[` of
 *   `[1, [7]2]`, that bracket is dropped too, so a removal never forms a new citation.
 */

/** The longest citation, brackets included. A filter holds back at most about this much text. */
export const maxCitationLength = 16;

const openers = new Set(['[', '［']);
const closers = new Set([']', '］']);
const separators = new Set([',', '，', ';', '；', '、']);
const spaces = new Set([' ', '\u00a0', '\u3000']);

function digitValue(ch: string): number | null {
  const code = ch.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0xff10 && code <= 0xff19) return code - 0xff10;
  return null;
}

/** Characters that may sit between the brackets of a citation. */
function isInner(ch: string): boolean {
  return digitValue(ch) !== null || spaces.has(ch) || separators.has(ch);
}

type Scan =
  | { kind: 'citation'; end: number; numbers: number[] }
  | { kind: 'text' }
  /** Not decidable yet: more text could still close a citation. */
  | { kind: 'open' };

/** Reads the citation that may start at `start` (an opening bracket). */
function scanCitation(text: string, start: number, final: boolean): Scan {
  let state: 'needDigit' | 'inNumber' | 'afterNumber' = 'needDigit';
  let digits = 0;
  let current = 0;
  const numbers: number[] = [];
  for (let i = start + 1; i < text.length; i++) {
    if (i - start + 1 > maxCitationLength) return { kind: 'text' };
    const ch = text[i]!;
    const digit = digitValue(ch);
    if (digit !== null) {
      if (state === 'afterNumber' || (state === 'inNumber' && digits === 3)) return { kind: 'text' };
      if (state === 'needDigit') {
        state = 'inNumber';
        digits = 0;
        current = 0;
      }
      digits++;
      current = current * 10 + digit;
    } else if (spaces.has(ch)) {
      if (state === 'inNumber') {
        numbers.push(current);
        state = 'afterNumber';
      }
    } else if (separators.has(ch)) {
      if (state === 'needDigit') return { kind: 'text' };
      if (state === 'inNumber') numbers.push(current);
      state = 'needDigit';
    } else if (closers.has(ch)) {
      if (state === 'needDigit') return { kind: 'text' };
      if (state === 'inNumber') numbers.push(current);
      return { kind: 'citation', end: i + 1, numbers };
    } else {
      return { kind: 'text' };
    }
  }
  return final || text.length - start >= maxCitationLength ? { kind: 'text' } : { kind: 'open' };
}

function lastOpener(text: string): number {
  return Math.max(text.lastIndexOf('['), text.lastIndexOf('［'));
}

/** The opening bracket a dropped citation would leave dangling at the end of `text`, or -1. */
function danglingOpener(text: string): number {
  const k = lastOpener(text);
  if (k < 0 || text.length - k >= maxCitationLength) return -1;
  for (let i = k + 1; i < text.length; i++) if (!isInner(text[i]!)) return -1;
  return k;
}

export interface CitationFilter {
  /** Takes the next piece of the answer; returns the text that is safe to show now. */
  push(piece: string): string;
  /** Ends the answer; returns the text still held back. */
  end(): string;
}

/** A streaming filter that removes citations to sources not in `validNumbers`. */
export function createCitationFilter(validNumbers: ReadonlySet<number>): CitationFilter {
  /** Filtered text not shown yet (a removal may still change its end). */
  let out = '';
  /** Raw text not filtered yet: empty, or a bracket that may still become a citation. */
  let pending = '';

  const drop = (): void => {
    if (out.endsWith(' ')) out = out.slice(0, -1);
    for (let k = danglingOpener(out); k >= 0; k = danglingOpener(out)) out = out.slice(0, k) + out.slice(k + 1);
  };

  const process = (final: boolean): void => {
    let i = 0;
    while (i < pending.length) {
      const ch = pending[i]!;
      if (!openers.has(ch)) {
        let j = i + 1;
        while (j < pending.length && !openers.has(pending[j]!)) j++;
        out += pending.slice(i, j);
        i = j;
        continue;
      }
      const scan = scanCitation(pending, i, final);
      if (scan.kind === 'open') break;
      if (scan.kind === 'text') {
        out += ch;
        i++;
        continue;
      }
      const kept = [...new Set(scan.numbers.filter((n) => validNumbers.has(n)))];
      if (kept.length > 0) out += `[${kept.join(', ')}]`;
      else drop();
      i = scan.end;
    }
    pending = pending.slice(i);
  };

  /** Where the text a later removal could still change begins in `out`. */
  const holdFrom = (): number => {
    let text = out;
    let from = text.length;
    if (text.endsWith(' ')) {
      text = text.slice(0, -1);
      from = text.length;
    }
    for (let k = danglingOpener(text); k >= 0; k = danglingOpener(text)) {
      from = Math.min(from, k);
      text = text.slice(0, k) + text.slice(k + 1);
    }
    return from;
  };

  return {
    push(piece) {
      pending += piece;
      process(false);
      const from = holdFrom();
      const ready = out.slice(0, from);
      out = out.slice(from);
      return ready;
    },
    end() {
      process(true);
      const rest = out;
      out = '';
      return rest;
    },
  };
}

/** Filters a whole text at once: the same result as streaming it through {@link createCitationFilter}. */
export function filterCitations(text: string, validNumbers: ReadonlySet<number>): string {
  const filter = createCitationFilter(validNumbers);
  return filter.push(text) + filter.end();
}

/** The numbers cited in `text`, each once, in order of first appearance. */
export function citedNumbers(text: string): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    if (!openers.has(text[i]!)) continue;
    const scan = scanCitation(text, i, true);
    if (scan.kind !== 'citation') continue;
    for (const n of scan.numbers) seen.add(n);
    i = scan.end - 1;
  }
  return [...seen];
}
