/** One byte range of a file, `end` exclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The single range of a `Range` header (RFC 9110 §14): `bytes=a-b`, `bytes=a-` or `bytes=-n`.
 * `undefined`: no usable range, send the whole file (a header we do not understand, or several
 * ranges: the RFC lets a server ignore them). `'unsatisfiable'`: a well-formed range starting past
 * the end (416).
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1]!, match[2]!];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last) + 1;
  if (!Number.isSafeInteger(start) || end <= start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size) };
}
