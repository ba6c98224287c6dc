import { cleanBlocks, cleanText, isAllCaps, titleFromFileName } from './normalize-text.js';
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
 * else the file name.
 */
export function loadText(text: string, fileName: string): LoadedDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u00A0]*\n/)
    .map((p) => p.split('\n').filter((line) => line.trim() !== ''))
    .filter((lines) => lines.length > 0);

  const blocks: Block[] = [];
  paragraphs.forEach((lines, index) => {
    const second = lines[1];
    const level = second === undefined ? undefined : underlineLevel(second);
    if (level !== undefined && lines[0]) {
      blocks.push({ kind: 'heading', level, text: lines[0] });
      lines = lines.slice(2);
    } else if (index === 0 && lines[0] && isAllCaps(lines[0]) && cleanText(lines[0]).length <= MAX_TITLE_CHARS) {
      blocks.push({ kind: 'heading', level: 1, text: lines[0] });
      lines = lines.slice(1);
    }
    if (lines.length > 0) blocks.push({ kind: 'paragraph', text: lines.join(' ') });
  });

  const cleaned = cleanBlocks(blocks);
  const firstLine = cleanText(paragraphs[0]?.[0] ?? '');
  const title = firstLine !== '' && firstLine.length <= MAX_TITLE_CHARS ? firstLine : titleFromFileName(fileName);
  return { format: 'text', title, pages: 1, blocks: cleaned };
}
