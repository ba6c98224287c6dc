import { findLetterTitle } from './letter-title.js';
import { cleanBlocks, singleLineText, isAllCaps, titleFromFileName } from './normalize-text.js';
import type { Block, LoadedDocument } from './types.js';

/** Longest first line still taken as the title of a plain-text file. */
const MAX_TITLE_CHARS = 100;

/** A setext-style underline: a run of "=" or "-" (level 1 or 2). */
function underlineLevel(line: string): 1 | 2 | undefined {
  if (/^=+$/.test(line.trim())) return 1;
  if (/^-{2,}$/.test(line.trim())) return 2;
  return undefined;
}

/**
 * Loads plain text: paragraphs are separated by blank lines; a line underlined with ===/---
 * is a heading, and so is a short all-caps first line. Title: the first line if short,
 * else the file name. An official letter (it opens with an administrative header: "SỞ GIÁO
 * DỤC…", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: …", the date) is titled after its kind and
 * subject ("Thông báo: Lịch nghỉ lễ, Tết…", see `findLetterTitle`), which also becomes its first
 * heading; the header stays as a paragraph. Before, every notice of a center had the same title,
 * the name of the department, in its citations.
 */
export function loadText(text: string, fileName: string): LoadedDocument {
  let paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u00A0]*\n/)
    .map((p) => p.split('\n').filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0);

  const blocks: Block[] = [];
  const letter = findLetterTitle(paragraphs.flat(), MAX_TITLE_CHARS);
  if (letter) {
    const header = paragraphs.flat().slice(0, letter.start);
    if (header.length) blocks.push({ kind: 'paragraph', text: header.join(' ') });
    if (letter.title) blocks.push({ kind: 'heading', level: 1, text: letter.title });
    // Drop the lines used, keeping the paragraph breaks of the rest.
    let skip = letter.end;
    paragraphs = paragraphs
      .map((lines) => {
        const cut = Math.min(skip, lines.length);
        skip -= cut;
        return lines.slice(cut);
      })
      .filter((lines) => lines.length > 0);
  }
  paragraphs.forEach((lines, index) => {
    const second = lines[1];
    const level = second === undefined ? undefined : underlineLevel(second);
    if (level !== undefined && lines[0]) {
      blocks.push({ kind: 'heading', level, text: lines[0] });
      lines = lines.slice(2);
    } else if (index === 0 && !letter && lines[0] && isAllCaps(lines[0]) && singleLineText(lines[0]).length <= MAX_TITLE_CHARS) {
      blocks.push({ kind: 'heading', level: 1, text: lines[0] });
      lines = lines.slice(1);
    }
    if (lines.length > 0) blocks.push({ kind: 'paragraph', text: lines.join(' ') });
  });

  const cleaned = cleanBlocks(blocks);
  const firstLine = singleLineText(paragraphs[0]?.[0] ?? '');
  const title = letter
    ? (letter.title ?? titleFromFileName(fileName))
    : firstLine !== '' && firstLine.length <= MAX_TITLE_CHARS
      ? firstLine
      : titleFromFileName(fileName);
  return { format: 'text', title, pages: 1, blocks: cleaned };
}
