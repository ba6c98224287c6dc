import { normalizeBounded } from '../text/combining-marks.js';

/**
 * A safe display name for a file, whatever path or bytes it came with: the last path segment only
 * (no `../`, either separator), control characters (C0, DEL, C1), line and paragraph separators
 * and bidirectional overrides removed, leading dots dropped, NFC, at most 200 characters.
 * Empty → `tai-lieu`. Idempotent.
 *
 * Applied by the engine to every ingested file (upload, CLI, corpus folder), so no caller can
 * store a name that rewrites a terminal (`\x1b[2J`), splits a log line (`\r\n`) or disguises its
 * extension (`tai-lieu-\u202Edm.exe`).
 *
 * @example safeFileName('..\\..\\bai\u0007 1.md') // 'bai 1.md'
 */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = normalizeBounded(last, 'NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'tai-lieu';
}
