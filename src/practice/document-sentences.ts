import type { ChunkRecord } from '../store/index.js';
import { splitSentences } from '../text/index.js';

/** A sentence of a document with where it is cited from. */
export interface SourceSentence {
  text: string;
  /** The chunk it was read from (the first one, where chunks overlap). */
  chunkId: string;
  headingPath: string[];
  page: number | null;
  /** Position in the document, to keep items in reading order. */
  position: number;
}

const listMarker = /^\s*(?:\d{1,3}[.)]|[a-zđ][.)]|[-•*+])\s+/iu;

/**
 * The sentences of a document in reading order, each once: chunks of a section repeat their
 * predecessor's last sentences (the chunk overlap), and a repeated sentence would make two items.
 */
export function documentSentences(chunks: readonly ChunkRecord[]): SourceSentence[] {
  const seen = new Set<string>();
  const out: SourceSentence[] = [];
  const ordered = [...chunks].sort((a, b) => a.ordinal - b.ordinal);
  for (const chunk of ordered) {
    for (const sentence of splitSentences(chunk.text)) {
      // A list marker or Markdown emphasis is layout, not part of what the learner reads.
      const text = sentence.text
        .replace(/\s+/g, ' ')
        .replace(listMarker, '')
        .replace(/\*\*|__/g, '')
        .trim();
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ text, chunkId: chunk.id, headingPath: chunk.headingPath, page: chunk.pageStart, position: out.length });
    }
  }
  return out;
}
