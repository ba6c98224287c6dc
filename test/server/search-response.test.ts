import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Retrieval } from '../../src/retrieve/index.js';
import { citationLink } from '../../src/routes/links.js';
import { searchResponseJson } from '../../src/routes/search-response.js';

const text = fc.string({ unit: fc.constantFrom('a', 'ă', 'ờ', 'đ', '"', '\\', '\n', '\u2028', '😀', ' ', '<', '/') });

const chunkArb = fc.record({
  seq: fc.nat(1_000_000),
  id: text,
  documentId: text,
  ordinal: fc.nat(50),
  title: text,
  headingPath: fc.array(text, { maxLength: 3 }),
  pageStart: fc.option(fc.integer({ min: 1, max: 400 })),
  pageEnd: fc.constant(null),
  collection: text,
  lang: fc.constantFrom('vi' as const, 'en' as const),
  text,
});

describe('searchResponseJson', () => {
  it('is the same text JSON.stringify gives for the response object, chunk caching included', () => {
    let seq = 0;
    fc.assert(
      fc.property(
        text,
        fc.array(
          fc.tuple(
            chunkArb,
            fc.double({ noNaN: true, min: 0, max: 50 }),
            fc.option(fc.double({ noNaN: true, min: 0, max: 30 })),
            fc.array(text, { maxLength: 3 }),
          ),
          { maxLength: 6 },
        ),
        fc.boolean(),
        (query, hits, answerable) => {
          // A fresh seq per chunk: a seq names one chunk forever, as in the store.
          const results = hits.map(([chunk, score, bm25Score, matchedTerms]) => ({
            chunk: { ...chunk, seq: ++seq },
            score,
            bm25Score,
            vectorScore: null,
            matchedTerms,
          }));
          const retrieval = { query, lang: 'vi', results, answerability: 0.123456, answerable } as unknown as Retrieval;
          const expected = JSON.stringify({
            query,
            lang: 'vi',
            answerable,
            answerability: 0.1235,
            results: results.map((r, i) => ({
              rank: i + 1,
              chunkId: r.chunk.id,
              documentId: r.chunk.documentId,
              title: r.chunk.title,
              headingPath: r.chunk.headingPath,
              page: r.chunk.pageStart,
              collection: r.chunk.collection,
              text: r.chunk.text,
              score: Number(r.score.toFixed(6)),
              bm25Score: r.bm25Score === null ? null : Number(r.bm25Score.toFixed(4)),
              vectorScore: null,
              matchedTerms: r.matchedTerms,
              link: citationLink('http://127.0.0.1:8080', r.chunk.documentId, r.chunk.pageStart, r.chunk.headingPath),
            })),
          });
          // Twice: the second answer comes from the cached chunk members.
          expect(searchResponseJson(query, retrieval, 'http://127.0.0.1:8080')).toBe(expected);
          expect(searchResponseJson(query, retrieval, 'http://127.0.0.1:8080')).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
