import { Document } from '@langchain/core/documents';
import type { Retrieval } from '../retrieve/index.js';
import { citationLink } from '../routes/links.js';

/** What trogiang tells a chain about each retrieved passage (`Document.metadata`). */
export interface TrogiangDocumentMetadata {
  /** 1-based rank in this retrieval. */
  rank: number;
  chunkId: string;
  documentId: string;
  /** The document's title (a PDF's first heading, a file's name otherwise). */
  title: string;
  collection: string;
  /** First page of the passage (PDF), else null. */
  page: number | null;
  pageEnd: number | null;
  /** Headings above the passage, outermost first: `['3. Học phí', '3.3. Thời hạn nộp học phí']`. */
  headingPath: string[];
  /** The fused score the passage was ranked by (higher is better; not comparable across queries). */
  score: number;
  bm25Score: number | null;
  vectorScore: number | null;
  /** Question words (without diacritics) found in the passage, for highlighting. */
  matchedTerms: string[];
  /** 0-1: how well the best passage covers the question (the same on every document of a retrieval). */
  answerability: number;
  /** Whether trogiang judges the question covered by the materials (the service declines otherwise). */
  answerable: boolean;
  /** Where the citation opens in trogiang's service (`<baseUrl>/docs/<id>#page=N`), when a base URL is given. */
  link?: string;
}

/**
 * A retrieval as LangChain documents: the passage text as `pageContent`, the chunk id as `id`,
 * and where it comes from (document, page, headings), why it ranked and the citation link as
 * metadata. The link is the one the service's own answers carry, so a chain's citations open
 * the same page.
 */
export function retrievalDocuments(retrieval: Retrieval, baseUrl?: string): Array<Document<TrogiangDocumentMetadata>> {
  const base = baseUrl?.replace(/\/+$/, '');
  return retrieval.results.map((r, i) => {
    const c = r.chunk;
    const metadata: TrogiangDocumentMetadata = {
      rank: i + 1,
      chunkId: c.id,
      documentId: c.documentId,
      title: c.title,
      collection: c.collection,
      page: c.pageStart,
      pageEnd: c.pageEnd,
      headingPath: [...c.headingPath],
      score: r.score,
      bm25Score: r.bm25Score,
      vectorScore: r.vectorScore,
      matchedTerms: [...r.matchedTerms],
      answerability: retrieval.answerability,
      answerable: retrieval.answerable,
      ...(base !== undefined ? { link: citationLink(base, c.documentId, c.pageStart, c.headingPath) } : {}),
    };
    return new Document({ pageContent: c.text, metadata, id: c.id });
  });
}
