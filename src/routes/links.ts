import { foldDiacritics } from '../text/index.js';

/** The anchor id of a heading in a rendered document: `3.1. Mức học phí` → `3-1-muc-hoc-phi`. */
export function headingAnchor(heading: string): string {
  return (
    foldDiacritics(heading.toLowerCase())
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'muc'
  );
}

/** Where a citation opens its source: the PDF at its page, other formats at the heading. */
export function citationLink(base: string, documentId: string, page: number | null, headingPath: readonly string[]): string {
  const path = `${base}/docs/${encodeURIComponent(documentId)}`;
  if (page !== null) return `${path}#page=${page}`;
  const heading = headingPath.at(-1);
  return heading ? `${path}#${headingAnchor(heading)}` : path;
}
