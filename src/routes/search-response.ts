import type { Retrieval } from '../retrieve/index.js';
import type { ChunkRecord } from '../store/index.js';
import { citationLink } from './links.js';

// The fixed fields of a chunk as JSON members (no braces), by chunk sequence number: a seq is never
// reused, so an entry never goes stale. They are most of a search response's bytes, and the same
// passages answer many questions.
const fixedMembers = new Map<number, string>();

function fixedMembersOf(chunk: ChunkRecord): string {
  let json = fixedMembers.get(chunk.seq);
  if (json === undefined) {
    json = JSON.stringify({
      chunkId: chunk.id,
      documentId: chunk.documentId,
      title: chunk.title,
      headingPath: chunk.headingPath,
      page: chunk.pageStart,
      collection: chunk.collection,
      text: chunk.text,
    }).slice(1, -1);
    if (fixedMembers.size >= 20_000) fixedMembers.clear();
    fixedMembers.set(chunk.seq, json);
  }
  return json;
}

/**
 * The body of `GET /api/search`, as JSON text: the same text `JSON.stringify` gives for
 * `{query, lang, answerable, answerability, results: [{rank, chunkId, documentId, title,
 * headingPath, page, collection, text, score, bm25Score, vectorScore, matchedTerms, link}]}`.
 */
export function searchResponseJson(query: string, retrieval: Retrieval, base: string, site?: string | null): string {
  const results = retrieval.results.map((r, i) => {
    const scores = JSON.stringify({
      score: Number(r.score.toFixed(6)),
      bm25Score: r.bm25Score === null ? null : Number(r.bm25Score.toFixed(4)),
      vectorScore: r.vectorScore === null ? null : Number(r.vectorScore.toFixed(4)),
      matchedTerms: r.matchedTerms,
      link: citationLink(base, r.chunk.documentId, r.chunk.pageStart, r.chunk.headingPath, site),
    });
    return `{"rank":${i + 1},${fixedMembersOf(r.chunk)},${scores.slice(1)}`;
  });
  const head = JSON.stringify({
    query,
    lang: retrieval.lang,
    answerable: retrieval.answerable,
    answerability: Number(retrieval.answerability.toFixed(4)),
  });
  return `${head.slice(0, -1)},"results":[${results.join(',')}]}`;
}
