/** Formats trogiang reads. Detected from the bytes first, the file name second. `image`: a PNG or JPEG of a page, read by OCR. */
export type DocumentFormat = 'pdf' | 'docx' | 'markdown' | 'html' | 'text' | 'image';

/**
 * One structural unit of a loaded document, in reading order.
 * Headings open a section (level 1 = top); paragraphs belong to the latest heading.
 * `page` is 1-based and set for PDFs only.
 */
export type Block = { kind: 'heading'; level: number; text: string; page?: number } | { kind: 'paragraph'; text: string; page?: number };

/** What every loader returns. Text is NFC, whitespace collapsed inside paragraphs. */
export interface LoadedDocument {
  format: DocumentFormat;
  /** Title from metadata, the first heading, or the file name without extension. */
  title: string;
  /** Page count for PDFs; 1 for the other formats. */
  pages: number;
  blocks: Block[];
  /** Pages read by OCR (scanned PDF pages, an image file), with their confidence; absent when none. */
  ocr?: OcrSummary;
}

/** The OCR side of a loaded document. */
export interface OcrSummary {
  /** One entry per page read by OCR, in page order. */
  pages: Array<{ page: number; confidence: number; lowConfidence: boolean }>;
}

/** Optional hooks of a load. */
export interface LoadOptions {
  /** OCR progress of a scanned file: `done` of `total` pages read (for the admin page). */
  onOcrProgress?: (done: number, total: number) => void;
}

/** Limits applied before and while parsing. Defaults in `defaultLoadLimits`. */
export interface LoadLimits {
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Largest accepted PDF, in pages. */
  maxPages: number;
  /** Most pages of one file read by OCR (pages without a text layer); default `defaultOcrLimits.maxOcrPages`. */
  maxOcrPages?: number;
  /** Largest image read by OCR, in pixels; default `defaultOcrLimits.maxImagePixels`. */
  maxImagePixels?: number;
}

/**
 * 40 OCR pages a file: about 1.5-2 minutes on an idle 2-core machine (4-5 CPU seconds a page), 8
 * at the load measured here (5 pages a minute, docs/ocr.md), so a scanned archive is refused at
 * once instead of holding the cores for an hour; 40 megapixels an image (A4 at 600 dpi is 34.8).
 */
export const defaultOcrLimits = { maxOcrPages: 40, maxImagePixels: 40_000_000 } as const;

/** 50 MB and 2,000 pages: a thick textbook fits, a scanned archive does not. */
export const defaultLoadLimits: LoadLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 2000 };

/** Stable failure codes of the ingest layer; messages may change, codes do not. */
export const ingestErrorCodes = [
  'unsupported_format',
  'too_large',
  'too_many_pages',
  'encrypted_pdf',
  'no_text_layer',
  'no_text_found',
  'corrupt_file',
  'empty_file',
  'too_many_combining_marks',
] as const;

/** One of `ingestErrorCodes`. */
export type IngestErrorCode = (typeof ingestErrorCodes)[number];

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
