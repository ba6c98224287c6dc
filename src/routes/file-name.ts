/**
 * A safe display name for an uploaded file: the last path segment only (no `../`), control and
 * bidirectional-override characters removed, NFC, at most 200 characters. Empty → `tai-lieu`.
 */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'tai-lieu';
}
