/**
 * Child process of test/ocr/offline.test.ts: reads the page image given as argument with a fresh
 * OCR engine (fresh temp dir: no language data copied before) and prints what it read as JSON.
 * Usage: node --import ./test/support/no-network.mjs --import tsx ocr-offline-child.ts <image>
 */
import { readFileSync } from 'node:fs';
import { OcrEngine, ocrPage } from '../../src/ocr/index.js';

const engine = new OcrEngine({ workers: 1 });
try {
  const page = await ocrPage(engine, new Uint8Array(readFileSync(process.argv[2]!)), 1);
  process.stdout.write(JSON.stringify(page));
} finally {
  await engine.close();
}
