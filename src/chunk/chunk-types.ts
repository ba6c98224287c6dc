import type { Language } from '../text/index.js';

/** Settings of the chunker; recorded in the index manifest, so changing them triggers a rebuild. */
export interface ChunkerSettings {
  /** Target largest chunk, in characters. Tuned with `eval --beir` (docs/quality.md). */
  maxChars: number;
  /** Characters of trailing sentences repeated at the start of the next chunk of a section. */
  overlapChars: number;
}

/** 1,500 characters (about 300 Vietnamese syllables) with 150 of overlap: tuned on the BEIR sets (docs/quality.md). */
export const defaultChunkerSettings: ChunkerSettings = { maxChars: 1500, overlapChars: 150 };

/** A retrievable passage with everything needed to cite it. */
export interface Chunk {
  /** Deterministic: `<documentId>#<ordinal>`. */
  id: string;
  documentId: string;
  ordinal: number;
  title: string;
  headingPath: string[];
  /** 1-based page range (PDF); null for formats without pages. */
  pageStart: number | null;
  pageEnd: number | null;
  collection: string;
  lang: Language;
  text: string;
}
