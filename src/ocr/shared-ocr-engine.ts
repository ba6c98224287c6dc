import { OcrEngine } from './ocr-engine.js';

let shared: OcrEngine | null = null;

/**
 * The process's OCR engine, created on first use: one set of Tesseract workers for every upload,
 * so two scanned uploads at once share the cores instead of each starting its own workers.
 */
export function sharedOcrEngine(): OcrEngine {
  shared ??= new OcrEngine();
  return shared;
}

/** Stops the shared engine's workers (service or CLI shutting down). */
export async function closeSharedOcrEngine(): Promise<void> {
  const engine = shared;
  shared = null;
  await engine?.close();
}
