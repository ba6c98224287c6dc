/** Why an image or a page cannot be read by OCR; the ingest turns these into its own codes. */
export type OcrErrorCode = 'image_truncated' | 'image_corrupt' | 'image_too_large';

/** An OCR input refused before or while reading, with a reason in English and Vietnamese. */
export class OcrError extends Error {
  override readonly name = 'OcrError';
  constructor(
    readonly code: OcrErrorCode,
    message: string,
    readonly messageVi: string,
  ) {
    super(message);
  }
}
