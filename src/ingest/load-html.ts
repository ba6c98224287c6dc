import { parseHtml } from './html-blocks.js';
import { titleFromFileName } from './normalize-text.js';
import type { Block, LoadedDocument } from './types.js';

/** Title of the first level-1 heading, else of the first heading of any level. */
export function firstHeadingTitle(blocks: readonly Block[]): string | undefined {
  const h1 = blocks.find((b) => b.kind === 'heading' && b.level === 1);
  return (h1 ?? blocks.find((b) => b.kind === 'heading'))?.text;
}

/** Loads decoded HTML text. Title: `<title>`, else the first h1, else the file name. */
export function loadHtml(html: string, fileName: string): LoadedDocument {
  const { title, blocks } = parseHtml(html);
  return {
    format: 'html',
    title: title ?? firstHeadingTitle(blocks) ?? titleFromFileName(fileName),
    pages: 1,
    blocks,
  };
}
