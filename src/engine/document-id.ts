import { createHash } from 'node:crypto';
import { foldDiacritics } from '../text/index.js';

/**
 * A readable, stable document id from its collection and file name: the same file uploaded
 * again (even changed) keeps its id, so links to it stay valid. `Sổ tay.pdf` → `so-tay-pdf-1a2b3c`.
 */
export function documentId(collection: string, fileName: string): string {
  const slug = foldDiacritics(fileName.toLowerCase())
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48) || 'tai-lieu';
  const hash = createHash('sha1').update(`${collection}\u0000${fileName}`).digest('hex').slice(0, 6);
  return `${slug}-${hash}`;
}

/** SHA-256 of a file's bytes. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
