import { Parser } from 'htmlparser2';
import { cleanBlocks, singleLineText } from './normalize-text.js';
import type { Block } from './types.js';

/** Elements whose content is never study text: code, styling, embeds, hidden fallbacks. */
const DROPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'canvas',
  'head',
  'select',
  'button',
  'textarea',
]);

/** Elements that end the current paragraph when they open or close. */
const BLOCK_BREAKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'blockquote',
  'pre',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'caption',
  'section',
  'article',
  'aside',
  'header',
  'footer',
  'main',
  'nav',
  'figure',
  'figcaption',
  'address',
  'details',
  'summary',
  'form',
  'fieldset',
  'legend',
  'hr',
  'body',
  'html',
]);

const HEADING = /^h([1-6])$/;

/** What may appear inside <head>; any other element ends an unclosed head, as in browsers. */
const HEAD_CONTENT = new Set(['title', 'meta', 'link', 'style', 'script', 'base', 'noscript', 'template']);

/** Blocks and the page title found in an HTML document or fragment. */
export interface HtmlContent {
  /** Text of `<title>`, if any (already cleaned). */
  title: string | undefined;
  /** Blocks in reading order, cleaned (NFC, whitespace collapsed), empty ones dropped. */
  blocks: Block[];
}

/**
 * Extracts headings and paragraphs from HTML. h1–h6 become heading blocks; p, li, table rows,
 * blockquote, pre and div text become paragraphs. Script, style, embeds and the head (except
 * `<title>`) are dropped; attributes are never read, so event handlers and `javascript:` links
 * cannot leak into the text.
 */
export function parseHtml(html: string): HtmlContent {
  const blocks: Block[] = [];
  let buffer = '';
  let headingLevel = 0; // > 0 while inside h1..h6
  const dropped: string[] = []; // open dropped elements, innermost last
  let inTitle = false;
  let title = '';
  let titleDone = false; // only the first non-empty <title> counts
  let cellIndex = 0; // cells seen in the current table row
  const listCounters: Array<number | null> = []; // null for <ul>, next number for <ol>

  const flush = (): void => {
    const text = singleLineText(buffer);
    buffer = '';
    if (text === '') return;
    blocks.push(headingLevel > 0 ? { kind: 'heading', level: headingLevel, text } : { kind: 'paragraph', text });
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropped.length === 1 && dropped[0] === 'head' && !HEAD_CONTENT.has(name)) dropped.pop();
        // <title> lives in <head>, which is otherwise dropped; an <svg><title> is not the page title.
        if (name === 'title' && (dropped.length === 0 || (dropped.length === 1 && dropped[0] === 'head'))) {
          inTitle = true;
          return;
        }
        if (DROPPED.has(name)) {
          dropped.push(name);
          return;
        }
        if (dropped.length > 0) return;
        const heading = HEADING.exec(name);
        if (heading) {
          flush();
          headingLevel = Number(heading[1]);
          return;
        }
        if (name === 'tr') cellIndex = 0;
        if (name === 'td' || name === 'th') {
          // A row reads as one paragraph: "cell | cell | cell".
          if (cellIndex++ > 0) buffer += ' | ';
          return;
        }
        if (name === 'br') {
          buffer += ' ';
          return;
        }
        if (BLOCK_BREAKS.has(name)) flush();
        if (name === 'ul') listCounters.push(null);
        if (name === 'ol') {
          const start = Number.parseInt(attribs['start'] ?? '1', 10);
          listCounters.push(Number.isFinite(start) ? start : 1);
        }
        if (name === 'li') {
          // Keep "1." numbering of ordered lists: steps often refer to each other by number.
          const depth = listCounters.length - 1;
          const next = listCounters[depth];
          if (typeof next === 'number') {
            buffer += `${next}. `;
            listCounters[depth] = next + 1;
          }
        }
      },
      ontext(data) {
        if (inTitle) {
          if (!titleDone) title += data;
        } else if (dropped.length === 0) {
          buffer += data;
        }
      },
      onclosetag(name) {
        if (name === 'title' && inTitle) {
          inTitle = false;
          titleDone = title.trim() !== '';
          return;
        }
        if (dropped.length > 0 && dropped[dropped.length - 1] === name) {
          // htmlparser2 reports implied closes too, so opens and closes pair up.
          dropped.pop();
          return;
        }
        if (dropped.length > 0) return;
        if (HEADING.test(name)) {
          flush();
          headingLevel = 0;
          return;
        }
        if (name === 'ul' || name === 'ol') listCounters.pop();
        if (BLOCK_BREAKS.has(name)) flush();
      },
    },
    // Like a browser, ignore "/>" on HTML elements: <script src=x /> still swallows what follows.
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: false },
  );
  parser.write(html);
  parser.end();
  flush();
  return { title: singleLineText(title) || undefined, blocks: cleanBlocks(blocks) };
}

/**
 * Extracts heading and paragraph blocks from HTML (see `parseHtml` for the rules).
 * Shared by the HTML, DOCX (via mammoth's HTML) and Markdown (via marked's HTML) loaders.
 */
export function htmlToBlocks(html: string): Block[] {
  return parseHtml(html).blocks;
}
