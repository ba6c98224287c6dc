import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeFields, analyzeQuery, exactPrefix } from '../../src/indexes/analyze-fields.js';
import { englishStopwords, foldDiacritics, questionTokenMask, questionWords, tokenize } from '../../src/text/index.js';

/**
 * The definition of a query's weights: every term once per occurrence (as a document's text),
 * then terms whose every word only asks multiplied by the question-word weight.
 */
function definition(query: string, questionWordWeight: number): Map<string, number> {
  const terms = analyzeFields({ title: '', headings: '', text: query }, 0, 0).terms;
  const words = tokenize(query).filter((t) => !t.extra);
  const asks = questionTokenMask(words.map((t) => t.folded));
  const asking = new Set(words.filter((_, i) => asks[i]).map((t) => t.folded));
  const isAsking = (w: string) => asking.has(w) || questionWords.has(w) || englishStopwords.has(w);
  for (const [term, weight] of terms) {
    const parts = (term.startsWith(exactPrefix) ? foldDiacritics(term.slice(1)) : term).split(' ');
    if (parts.every(isAsking)) terms.set(term, weight * questionWordWeight);
  }
  return terms;
}

const words = [
  'bao',
  'nhiêu',
  'nhieu',
  'mấy',
  'giờ',
  'gio',
  'là',
  'gì',
  'học',
  'phí',
  'how',
  'much',
  'the',
  'to',
  'on',
  'students',
  '3759/BGDĐT-GDTX',
  '2023-2024',
  'Thư',
  'viện',
  'khi',
  'nào',
];
const separators = [' ', ' ', ' ', ', ', '. ', '? ', ' - '];

describe('analyzeQuery', () => {
  it('weighs terms as the definition does, for any mix of question words, diacritics, codes and punctuation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...separators)), { maxLength: 14 }),
        fc.constantFrom(0.25, 0.3, 0, 1, 2),
        (parts, weight) => {
          const query = parts.map(([w, s]) => w + s).join('');
          expect([...analyzeQuery(query, weight).terms]).toEqual([...definition(query, weight)]);
          expect([...analyzeQuery(tokenize(query), weight).terms]).toEqual([...definition(query, weight)]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
