import type { Block, LoadedDocument } from '../ingest/types.js';
import { detectLanguage, splitSentences, type Language } from '../text/index.js';
import { defaultChunkerSettings, type Chunk, type ChunkerSettings } from './chunk-types.js';

/** Identity of the document the chunks belong to. */
export interface ChunkSource {
  documentId: string;
  title: string;
  collection: string;
}

interface Piece {
  text: string;
  page: number | null;
}

/** Breaks a paragraph longer than `maxChars` into sentence runs that fit. */
function splitLongParagraph(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const parts: string[] = [];
  let current = '';
  for (const sentence of splitSentences(text)) {
    // A single sentence over the limit is cut at word boundaries.
    const pieces = sentence.text.length > maxChars ? hardWrap(sentence.text, maxChars) : [sentence.text];
    for (const piece of pieces) {
      if (current && current.length + 1 + piece.length > maxChars) {
        parts.push(current);
        current = piece;
      } else {
        current = current ? `${current} ${piece}` : piece;
      }
    }
  }
  if (current) parts.push(current);
  return parts;
}

function hardWrap(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    let cut = rest.lastIndexOf(' ', maxChars);
    if (cut < maxChars / 2) cut = maxChars;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/** The trailing sentences of `text` that fit in `overlapChars`, to open the next chunk. */
function overlapTail(text: string, overlapChars: number): string {
  if (overlapChars <= 0) return '';
  const sentences = splitSentences(text);
  let tail = '';
  for (let i = sentences.length - 1; i > 0; i--) {
    const candidate = tail ? `${sentences[i]!.text} ${tail}` : sentences[i]!.text;
    if (candidate.length > overlapChars) break;
    tail = candidate;
  }
  return tail;
}

/**
 * Splits a loaded document into chunks: a new chunk at every heading and every PDF page
 * (so a citation names one page), paragraphs packed up to `maxChars`, long paragraphs split
 * by sentences, and a sentence-aligned overlap between consecutive chunks of one section.
 */
export function chunkDocument(doc: LoadedDocument, source: ChunkSource, settings: ChunkerSettings = defaultChunkerSettings): Chunk[] {
  const chunks: Chunk[] = [];
  const docLang: Language = detectLanguage(
    doc.blocks
      .slice(0, 40)
      .map((b) => b.text)
      .join(' '),
  );
  const headings: Array<{ level: number; text: string }> = [];
  let pieces: Piece[] = [];
  let size = 0;

  const flush = (carryOverlap: boolean): void => {
    if (pieces.length === 0) return;
    const text = pieces.map((p) => p.text).join('\n');
    const pages = pieces.map((p) => p.page).filter((p): p is number => p !== null);
    chunks.push({
      id: `${source.documentId}#${chunks.length}`,
      documentId: source.documentId,
      ordinal: chunks.length,
      title: source.title,
      headingPath: headings.map((h) => h.text),
      pageStart: pages.length ? Math.min(...pages) : null,
      pageEnd: pages.length ? Math.max(...pages) : null,
      collection: source.collection,
      lang: detectLanguage(text, docLang),
      text,
    });
    const last = pieces[pieces.length - 1]!;
    const tail = carryOverlap ? overlapTail(text, settings.overlapChars) : '';
    pieces = tail ? [{ text: tail, page: last.page }] : [];
    size = tail.length;
    overlapOnly = tail.length > 0;
  };
  // True while the pending pieces are only the overlap of the previous chunk.
  let overlapOnly = false;

  const addParagraph = (block: Block & { kind: 'paragraph' }): void => {
    const page = block.page ?? null;
    if (pieces.length > 0 && page !== null && pieces[pieces.length - 1]!.page !== page) {
      if (overlapOnly) {
        pieces = [];
        size = 0;
        overlapOnly = false;
      } else flush(false);
    }
    for (const part of splitLongParagraph(block.text, settings.maxChars)) {
      if (size > 0 && size + 1 + part.length > settings.maxChars) flush(true);
      pieces.push({ text: part, page });
      size += part.length + 1;
      overlapOnly = false;
    }
  };

  for (const block of doc.blocks) {
    if (block.kind === 'heading') {
      if (overlapOnly) {
        pieces = [];
        size = 0;
        overlapOnly = false;
      } else flush(false);
      while (headings.length > 0 && headings[headings.length - 1]!.level >= block.level) headings.pop();
      headings.push({ level: block.level, text: block.text });
      continue;
    }
    if (block.text.trim()) addParagraph(block);
  }
  if (!overlapOnly) flush(false);
  return chunks;
}
