import type { OcrEngine } from './ocr-engine.js';

/** The OCR reading of one page. */
export interface OcrPage {
  /** 1-based page number in its document (1 for an image file). */
  page: number;
  /** Text in reading order, lines separated by "\n", paragraphs by a blank line. */
  text: string;
  /** Tesseract's mean word confidence, 0-100. */
  confidence: number;
  /** Confidence under `lowConfidenceBelow`: the text is likely to hold many wrong characters. */
  lowConfidence: boolean;
}

/**
 * Pages read with a mean confidence under this are flagged. Measured (evals/ocr/measure-ocr.ts,
 * docs/ocr.md): clean handbook pages at 150 and 300 dpi read at 95 with a character error rate
 * of 0.1%; the noisy, rotated scan at 90-91 with 3-4%; so under 70 a page is far worse than a
 * poor scan, and worth a teacher's look.
 */
export const lowConfidenceBelow = 70;

/**
 * Under this mean confidence the page is taken to hold no text: a page of pure noise read at 10
 * (20 characters of garbage), a blank sheet at 0, while any page of real text measured at 90+.
 */
export const noTextBelow = 30;

/** Reads one page image (PNG or JPEG) and keeps its confidence. A page with no text gives text "". */
export async function ocrPage(engine: OcrEngine, image: Uint8Array, page: number): Promise<OcrPage> {
  const { text, confidence } = await engine.recognize(image);
  const clean = text
    .normalize('NFC')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  const letters = clean.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  if (confidence < noTextBelow || letters < 3) return { page, text: '', confidence, lowConfidence: false };
  return { page, text: clean, confidence, lowConfidence: confidence < lowConfidenceBelow };
}
