import { cleanBlocks, singleLineText, isAllCaps } from './normalize-text.js';
import type { Block } from './types.js';

/** Text of one PDF page as pdf-parse returns it: lines separated by "\n". */
export interface PdfPageText {
  /** 1-based page number. */
  num: number;
  text: string;
}

/** How many lines at the top and bottom of a page count as the header/footer zone. */
const EDGE_LINES = 2;

/** "Trang 3", "Page 3 of 20", "3/20", "- 3 -", "iv": a page number alone on its line. */
const PAGE_NUMBER = /^(?:(?:trang|tr\.|page|p\.)\s*)?[-–—([]?\s*(?:\d{1,5}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:\/|of|trên)\s*\d{1,5})?$/i;

/** Chapter-like keywords that open a section: "Chương 2", "BÀI 3", "Phần IV", "Chapter 1". */
const KEYWORD_HEADING =
  /^(phần|part|chương|chapter|bài|lesson|unit|chủ đề|tiết|mục|section)\s+(\d{1,3}|[IVXLC]{1,6})(?=[\s.:–—-]|$)\s*([.:–—-])?\s*(.*)$/iu;
const KEYWORD_LEVEL: Record<string, number> = { phần: 1, part: 1, chương: 1, chapter: 1 };

/** Decimal section numbers with at least two parts: "1.2 Hệ điều hành", "2.3.1. Ví dụ". */
const DECIMAL_HEADING = /^(\d{1,3}(?:\.\d{1,3}){1,5})\.?\s+\p{Lu}/u;
/** Roman section numbers as in Vietnamese lesson plans: "I. MỤC TIÊU", "II. Chuẩn bị". */
const ROMAN_HEADING = /^(?:[IVX]{1,5})\.\s+\p{Lu}/u;

const TERMINAL = /[.!?…:;”"»)]$/u;
const BULLET = /^(?:[•●○▪■◦·*+–-]\s|\(?\d{1,2}[.)]\s|\(?[a-zđ][.)]\s)/u;

/** Lines of each page, tabs turned to spaces and blank lines removed. */
function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) =>
      line
        .replace(/[\t\u00A0]+/g, ' ')
        .replace(/ {2,}/g, ' ')
        .trim(),
    )
    .filter((line) => line !== '');
}

/** Key under which running headers match across pages: case-folded, digits masked. */
function runningKey(line: string): string {
  return singleLineText(line).toLocaleLowerCase('vi').replace(/\d+/g, '#');
}

/**
 * Removes running headers/footers: lines in the top or bottom zone that recur on at least half
 * of the pages (3 pages minimum, so a 2-page handout keeps everything), and lone page numbers.
 */
export function dropRunningLines(pages: string[][]): string[][] {
  const pageCountByKey = new Map<string, number>();
  for (const lines of pages) {
    const keys = new Set(edgeIndexes(lines.length).map((i) => runningKey(lines[i] ?? '')));
    for (const key of keys) pageCountByKey.set(key, (pageCountByKey.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(3, Math.ceil(pages.length / 2));
  return pages.map((lines) => {
    const edges = new Set(edgeIndexes(lines.length));
    return lines.filter((line, i) => {
      if (!edges.has(i)) return true;
      if (PAGE_NUMBER.test(line)) return false;
      return (pageCountByKey.get(runningKey(line)) ?? 0) < threshold;
    });
  });
}

function edgeIndexes(length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) if (i < EDGE_LINES || i >= length - EDGE_LINES) out.push(i);
  return out;
}

/** Typical full line length of the document: the 90th percentile of non-trivial lines. */
function fullLineLength(pages: string[][]): number {
  const lengths = pages
    .flat()
    .map((l) => l.length)
    .filter((n) => n >= 10)
    .sort((a, b) => a - b);
  if (lengths.length === 0) return 80;
  return lengths[Math.floor((lengths.length - 1) * 0.9)] ?? 80;
}

/** Heading level if `line` looks like a section title by its wording alone, else undefined. */
export function headingLevelOf(line: string): number | undefined {
  const text = singleLineText(line);
  const words = text.split(' ').length;
  if (text.length > 90 || words > 14 || !/\p{L}.*\p{L}/u.test(text)) return undefined;

  const keyword = KEYWORD_HEADING.exec(text);
  if (keyword) {
    const separator = keyword[3];
    const rest = keyword[4] ?? '';
    // "Chương 2." and "Bài 3: Phân số" are titles; "Bài 3 yêu cầu..." and "Bài 3: xem lại." are sentences.
    if (rest !== '' && (/[.,;:!?…]$/.test(rest) || (!separator && !/^\p{Lu}/u.test(rest)))) return undefined;
    return KEYWORD_LEVEL[(keyword[1] ?? '').toLocaleLowerCase('vi')] ?? 2;
  }
  if (/[.,;:!?…]$/.test(text)) return undefined;
  const decimal = DECIMAL_HEADING.exec(text);
  if (decimal) return Math.min(6, (decimal[1] ?? '').split('.').length);
  if (ROMAN_HEADING.test(text)) return 2;
  if (isAllCaps(text) && text.replace(/[^\p{L}]/gu, '').length >= 4 && words <= 12) return 1;
  return undefined;
}

/** Joins wrapped lines of one paragraph, undoing end-of-line hyphenation ("Win-" + "dows"). */
function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const line of lines) {
    if (out === '') out = line;
    else if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(line)) out = out.slice(0, -1) + line;
    else out += ` ${line}`;
  }
  return out;
}

/**
 * Rebuilds headings and paragraphs from PDF page text, keeping page numbers.
 * pdf-parse gives lines only (no fonts or gaps), so paragraph ends are inferred: a line that ends
 * a sentence well short of the full line width, a short line before a capitalised line, or a
 * bullet/numbered item. Headings must look like section titles (numbered, chapter keyword or
 * all caps), start a paragraph and be followed by more text on the page.
 */
export function pdfPagesToBlocks(pages: readonly PdfPageText[]): Block[] {
  const lineSets = dropRunningLines(pages.map((p) => splitLines(p.text)));
  const full = fullLineLength(lineSets);
  const blocks: Block[] = [];

  lineSets.forEach((lines, pageIndex) => {
    const page = pages[pageIndex]?.num ?? pageIndex + 1;
    let paragraph: string[] = [];
    const endParagraph = (): void => {
      if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: joinLines(paragraph), page });
      paragraph = [];
    };

    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const next = lines[i + 1];
      const startsParagraph = paragraph.length === 0;
      const level = startsParagraph && next !== undefined ? headingLevelOf(line) : undefined;
      if (level !== undefined) {
        let text = line;
        // "CHƯƠNG 1" on one line and its name on the next: one heading.
        const bare = KEYWORD_HEADING.exec(singleLineText(line));
        const afterNext = lines[i + 2];
        if (bare && (bare[4] ?? '') === '' && next && afterNext !== undefined && isTitleLine(next, full)) {
          text = `${line.replace(/[.:]$/, '')}. ${next}`;
          i++;
        }
        blocks.push({ kind: 'heading', level, text, page });
        continue;
      }
      paragraph.push(line);
      if (next === undefined || endsParagraph(line, next, full)) endParagraph();
    }
    endParagraph();
  });
  return cleanBlocks(blocks);
}

/** A line that can finish a bare "Chương 1" heading: capitalised, unpunctuated, and short or all caps (not body text). */
function isTitleLine(line: string, full: number): boolean {
  if (line.length > 90 || /[.,;!?…]$/.test(line) || !/^\p{Lu}/u.test(line)) return false;
  return isAllCaps(line) || line.length < full * 0.7;
}

function endsParagraph(line: string, next: string, full: number): boolean {
  if (BULLET.test(next)) return true;
  if (headingLevelOf(next) !== undefined && TERMINAL.test(line)) return true;
  if (TERMINAL.test(line) && line.length < full * 0.8) return true;
  return line.length < full * 0.6 && /^[\p{Lu}\d]/u.test(next);
}
