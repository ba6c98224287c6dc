/** Formats trogiang reads. Detected from the bytes first, the file name second. */
export type DocumentFormat = 'pdf' | 'docx' | 'markdown' | 'html' | 'text';

/**
 * One structural unit of a loaded document, in reading order.
 * Headings open a section (level 1 = top); paragraphs belong to the latest heading.
 * `page` is 1-based and set for PDFs only.
 */
export type Block =
  | { kind: 'heading'; level: number; text: string; page?: number }
  | { kind: 'paragraph'; text: string; page?: number };

/** What every loader returns. Text is NFC, whitespace collapsed inside paragraphs. */
export interface LoadedDocument {
  format: DocumentFormat;
  /** Title from metadata, the first heading, or the file name without extension. */
  title: string;
  /** Page count for PDFs; 1 for the other formats. */
  pages: number;
  blocks: Block[];
}

/** Limits applied before and while parsing. Defaults in `defaultLoadLimits`. */
export interface LoadLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Largest accepted PDF, in pages. */
  maxPages: number;
}

/** 50 MB and 2,000 pages: a thick textbook fits, a scanned archive does not. */
export const defaultLoadLimits: LoadLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 2000 };

/** Stable failure codes; messages may change, codes do not. */
export type IngestErrorCode =
  | 'unsupported_format'
  | 'too_large'
  | 'too_many_pages'
  | 'encrypted_pdf'
  | 'no_text_layer'
  | 'corrupt_file'
  | 'empty_file'
  | 'too_many_combining_marks';

/** A file that cannot be ingested, with a code and a plain reason in English and Vietnamese. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly messageVi: string,
  ) {
    super(message);
  }
}
