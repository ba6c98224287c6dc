/**
 * Text pages cut from the shipped handbook's source (corpus/build/handbook.vi.md): Vietnamese
 * with every diacritic, numbers, dates and punctuation, as a center's printed pages have.
 */
import { readFileSync } from 'node:fs';
import type { TextPage } from './scan-pages.js';

const source = new URL('../../corpus/build/handbook.vi.md', import.meta.url);

/** Paragraphs of the handbook, Markdown marks removed; headings kept as short paragraphs. */
export function handbookParagraphs(): string[] {
  return readFileSync(source, 'utf8')
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .split('\n')
        .map((line) =>
          line
            .replace(/^#+\s*/, '')
            .replace(/^\s*(?:-|\d+\.|[a-z]\))\s+/, '')
            .replace(/\*\*/g, '')
            .trim(),
        )
        .filter((line) => line !== '')
        .join(' '),
    )
    .filter((p) => p.length > 0);
}

/**
 * `count` pages of about `charsPerPage` characters each (paragraphs kept whole), starting at
 * paragraph `from`. 1,400 characters of 11 pt text fill about two thirds of an A4 page.
 */
export function handbookPages(count: number, options: { from?: number; charsPerPage?: number } = {}): TextPage[] {
  const paragraphs = handbookParagraphs().slice(options.from ?? 0);
  const limit = options.charsPerPage ?? 1400;
  const pages: TextPage[] = [];
  let current: string[] = [];
  let size = 0;
  for (const paragraph of paragraphs) {
    if (pages.length === count) break;
    current.push(paragraph);
    size += paragraph.length;
    if (size >= limit) {
      pages.push({ paragraphs: current });
      current = [];
      size = 0;
    }
  }
  if (pages.length < count && current.length) pages.push({ paragraphs: current });
  return pages;
}
