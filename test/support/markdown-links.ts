/**
 * What a Markdown file links to and which anchors it offers, read with `marked`'s lexer (so links
 * inside code blocks and code spans are not links, and reference-style links are resolved), with
 * anchors made the way GitHub makes them.
 */
import { Lexer, walkTokens, type Token } from 'marked';

/**
 * GitHub's anchor for a heading's text: lower case, every character that is not a letter, mark,
 * decimal or letter number, connector punctuation, `-` or space dropped, each space a `-`
 * (github.com's `PUNCTUATION_REGEXP = /[^\p{Word}\- ]/u`). Vietnamese letters and their marks stay:
 * `Học phí` → `học-phí`.
 */
export function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The text a reader sees of inline tokens: code spans keep their content, HTML tags go. */
function plainText(tokens: Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'html') return '';
      if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length > 0) return plainText(t.tokens);
      return 'text' in t && typeof t.text === 'string' ? t.text : '';
    })
    .join('');
}

/**
 * Every anchor of the file: its headings' slugs (a repeated slug gets `-1`, `-2`, … as on GitHub)
 * and the `id` or `name` of HTML elements.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  walkTokens(Lexer.lex(markdown), (t) => {
    if (t.type === 'heading') {
      const slug = githubSlug(plainText(t.tokens ?? []));
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    if (t.type === 'html') for (const m of t.raw.matchAll(/\s(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  });
  return anchors;
}

/** Every link and image target of the file, with HTML `href` and `src`, as written. */
export function linksOf(markdown: string): string[] {
  const links: string[] = [];
  walkTokens(Lexer.lex(markdown), (t) => {
    if (t.type === 'link' || t.type === 'image') links.push(t.href);
    if (t.type === 'html') for (const m of t.raw.matchAll(/\s(?:href|src)="([^"]+)"/g)) links.push(m[1]!);
  });
  return links;
}

/** A link that leaves the repository (a scheme such as `https:` or `mailto:`, or `//host`). */
export const isExternal = (href: string) => /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');
