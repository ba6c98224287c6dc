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
 * Cleans one run of text: Unicode NFC (Vietnamese tone marks arrive both precomposed and
 * combining), control and invisible characters removed, whitespace collapsed to single spaces.
 */
export function cleanText(text: string): string {
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
    const text = cleanText(block.text);
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
  return cleanText(stem) || cleanText(base) || 'Tài liệu';
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
