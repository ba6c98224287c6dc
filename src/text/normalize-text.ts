import { normalizeBounded } from './combining-marks.js';
import { normalizeToneMarks } from './normalize-tone-marks.js';

// C0/C1 controls except tab and newlines, plus zero-width characters and the BOM.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;

/**
 * Unicode NFC with control and zero-width characters removed. Case and tone placement are kept.
 * Runs of more than 30 combining marks are cut first, so this is linear on any input.
 */
export function nfcWithoutControls(text: string): string {
  return normalizeBounded(text, 'NFC').replace(controlCharacters, '');
}

/**
 * The comparison form of text: NFC, lower case, one tone-mark placement.
 * `Hoà` and `hòa` both become `hoà`.
 */
export function normalizeForMatch(text: string): string {
  return normalizeToneMarks(nfcWithoutControls(text).toLowerCase());
}
