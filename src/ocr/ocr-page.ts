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
 * docs/ocr.md): clean handbook pages at 150-300 dpi read at 91-96 with a character error rate
 * under 1%; the noisy, rotated page reads at 85-90; pages of noise or a photo read under 60.
 */
export const lowConfidenceBelow = 70;

/** Reads one page image (PNG or JPEG) and keeps its confidence. */
export async function ocrPage(engine: OcrEngine, image: Uint8Array, page: number): Promise<OcrPage> {
  const { text, confidence } = await engine.recognize(image);
  const clean = text.normalize('NFC').replace(/[ \t]+\n/g, '\n').trim();
  return { page, text: clean, confidence, lowConfidence: clean !== '' && confidence < lowConfidenceBelow };
}
