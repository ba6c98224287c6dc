import { findLongCombiningRun, maxCombiningRun } from '../text/combining-marks.js';
import { ingestError } from './errors.js';
import type { Block } from './types.js';

// Control characters (C0, DEL, C1) carry no meaning in study text; tab/newline become spaces anyway.
const controlChars = /\p{Cc}/gu;
// Invisible characters that break word matching: zero-width space, BOM/ZWNBSP, soft hyphen, word joiner.
const invisibleChars = /[\u200B\u2060\uFEFF\u00AD]/g;
// Lone surrogates would make the text unencodable as UTF-8 later (SQLite, JSON).
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Every Unicode space (NBSP, en space, ideographic space...) plus line/paragraph separators.
const anyWhitespace = /[\s\u2028\u2029]+/g;

/**
 * Refuses text with a run of more than 30 combining marks (`too_many_combining_marks`), before any
 * normalisation: NFC sorts such a run in quadratic time (a 2 MB file of them blocked the server
 * for about 7 minutes during its upload), and no real text has one (see text/combining-marks.ts).
 * The reason quotes the words just before the run, so the teacher can find it.
 */
function refuseLongMarkRuns(text: string): void {
  const run = findLongCombiningRun(text);
  if (!run) return;
  const before = text
    .slice(Math.max(0, run.index - 40), run.index)
    .replace(/\s+/g, ' ')
    .replace(/[\p{M}\p{C}]/gu, '')
    .trim()
    .slice(-30);
  throw ingestError('too_many_combining_marks', {
    en: `The file has a letter carrying ${run.length.toLocaleString('en')} stacked accent marks (after "${before}"); real text never has more than a few (at most ${maxCombiningRun} are read). It looks damaged or made to slow the server down: fix that text and upload it again.`,
    vi: `Tệp có một chữ mang ${run.length.toLocaleString('vi')} dấu chồng lên nhau (sau "${before}"); văn bản thật không bao giờ có quá vài dấu (tối đa ${maxCombiningRun}). Tệp có vẻ bị hỏng hoặc được tạo ra để làm chậm máy chủ: hãy sửa đoạn đó rồi tải lên lại.`,
  });
}

/**
 * One line of clean text (named for what it does; the text module's `nfcWithoutControls` keeps
 * line breaks and spaces): Unicode NFC (Vietnamese tone marks arrive both precomposed and
 * combining), control and invisible characters removed, whitespace collapsed to single spaces.
 * Text with a pathological run of combining marks is refused (see `refuseLongMarkRuns`).
 */
export function singleLineText(text: string): string {
  refuseLongMarkRuns(text);
  return text
    .normalize('NFC')
    .replace(/[\t\n\r\f\v]/g, ' ')
    .replace(controlChars, '')
    .replace(invisibleChars, '')
    .replace(loneSurrogates, '')
    .replace(anyWhitespace, ' ')
    .trim();
}

/** Cleans every block's text, clamps heading levels to 1..6 and drops blocks left empty. */
export function cleanBlocks(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    const text = singleLineText(block.text);
    if (text === '') continue;
    if (block.kind === 'heading') {
      const level = Math.min(6, Math.max(1, Math.round(block.level) || 1));
      out.push(block.page === undefined ? { kind: 'heading', level, text } : { kind: 'heading', level, text, page: block.page });
    } else {
      out.push(block.page === undefined ? { kind: 'paragraph', text } : { kind: 'paragraph', text, page: block.page });
    }
  }
  return out;
}

/** The file name without folders or extension, used when a document has no better title. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return singleLineText(stem) || singleLineText(base) || 'Tài liệu';
}

/** Lower-cased extension with its dot (".pdf"), or "" when the name has none. */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/** Upper-case letters only (at least two), ignoring digits, spaces and punctuation: "BÀI 1. SỐ HỌC". */
export function isAllCaps(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toLocaleUpperCase('vi') && letters !== letters.toLocaleLowerCase('vi');
}
