import { foldDiacritics } from '../text/index.js';

// Every search result and citation links to its heading, and a corpus has few distinct headings.
const anchors = new Map<string, string>();

/** The anchor id of a heading in a rendered document: `3.1. Mức học phí` → `3-1-muc-hoc-phi`. */
export function headingAnchor(heading: string): string {
  let anchor = anchors.get(heading);
  if (anchor === undefined) {
    anchor =
      foldDiacritics(heading.toLowerCase())
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 80) || 'muc';
    if (anchors.size >= 10_000) anchors.clear();
    anchors.set(heading, anchor);
  }
  return anchor;
}

/**
 * Where a citation opens its source: the PDF at its page, other formats at the heading. `site`:
 * the site key of a center other than the default one, which `/docs/:id` needs to know which
 * center's learner opens the link (docs/centers.md).
 */
export function citationLink(
  base: string,
  documentId: string,
  page: number | null,
  headingPath: readonly string[],
  site?: string | null,
): string {
  const path = `${base}/docs/${encodeURIComponent(documentId)}${site ? `?site=${encodeURIComponent(site)}` : ''}`;
  if (page !== null) return `${path}#page=${page}`;
  const heading = headingPath.at(-1);
  return heading ? `${path}#${headingAnchor(heading)}` : path;
}
