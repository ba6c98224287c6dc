import { Marked } from 'marked';
import { parseHtml } from './html-blocks.js';
import { firstHeadingTitle } from './load-html.js';
import { singleLineText, titleFromFileName } from './normalize-text.js';
import type { LoadedDocument } from './types.js';

// A private instance: other modules may configure the global `marked` with extensions.
const markdown = new Marked({ gfm: true, breaks: false });

// YAML front matter: "---" on the first line, closed by "---" or "..." on its own line.
const frontMatter = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Splits off YAML front matter and reads its `title:` (plain, single- or double-quoted). */
export function stripFrontMatter(source: string): { body: string; title: string | undefined } {
  const match = frontMatter.exec(source);
  if (!match) return { body: source, title: undefined };
  const titleLine = /^title:[ \t]*(.+?)[ \t]*$/m.exec(match[1] ?? '');
  let title = titleLine?.[1];
  if (title && /^(['"]).*\1$/.test(title)) title = title.slice(1, -1);
  return { body: source.slice(match[0].length), title: title ? singleLineText(title) || undefined : undefined };
}

/**
 * Loads Markdown: rendered to HTML by marked, then read by the shared HTML extractor, so
 * raw HTML inside the Markdown obeys the same drop rules (no scripts, styles or embeds).
 * Title: front matter `title:`, else the first heading, else the file name.
 */
export function loadMarkdown(source: string, fileName: string): LoadedDocument {
  const { body, title } = stripFrontMatter(source);
  const html = markdown.parse(body, { async: false });
  const { blocks } = parseHtml(html);
  return {
    format: 'markdown',
    title: title ?? firstHeadingTitle(blocks) ?? titleFromFileName(fileName),
    pages: 1,
    blocks,
  };
}
