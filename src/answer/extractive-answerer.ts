import type { Retrieval } from '../retrieve/index.js';
import type { AnswerEvent, Citation, Source } from './answer-events.js';
import { answerTypeNames, type AnswerType } from './answer-type.js';
import { answerMessages, missingFactMessages } from './messages.js';
import { defaultSelectionSettings, selectSentences, type SelectionSettings } from './select-sentences.js';

/**
 * Turns retrieval results into the numbered sources shown beside an answer. `order` lists result
 * indexes to number first (the cited ones, in order of citation), so an answer reads [1], [2]…
 */
export function toSources(retrieval: Retrieval, count = 5, order: readonly number[] = []): Source[] {
  const indexes = [...new Set([...order, ...retrieval.results.map((_, i) => i)])].slice(0, Math.max(count, order.length));
  return indexes
    .map((index, i) => ({ r: retrieval.results[index]!, i }))
    .map(({ r, i }) => ({
      n: i + 1,
      chunkId: r.chunk.id,
      documentId: r.chunk.documentId,
      title: r.chunk.title,
      page: r.chunk.pageStart,
      headingPath: r.chunk.headingPath,
      snippet: r.chunk.text.length > 280 ? `${r.chunk.text.slice(0, 277)}…` : r.chunk.text,
      score: Number(r.score.toFixed(4)),
    }));
}

export function toCitation(source: Source): Citation {
  const { snippet: _snippet, score: _score, ...citation } = source;
  return citation;
}

/**
 * The offline answerer: quotes the sentences of the retrieved passages that best answer the
 * question, each group followed by `[n]` for its source; declines plainly, in the question's
 * language, when retrieval says the materials do not cover the question. When they cover its
 * topic but not the kind of fact asked (`options.missing`: no phone number, no time…), the
 * decline says so and quotes the nearest sentence, cited, instead of passing it off as the answer.
 */
export async function* extractiveAnswer(
  retrieval: Retrieval,
  idf: (term: string) => number,
  settings: SelectionSettings = defaultSelectionSettings,
  options: { missing?: AnswerType | null; askedAs?: string } = {},
): AsyncGenerator<AnswerEvent> {
  const lang = retrieval.lang;
  const sentences = retrieval.answerable ? selectSentences(retrieval.query, lang, retrieval.results, idf, settings, options.askedAs) : [];
  if (sentences.length === 0 && options.missing) {
    // The topic is in the materials but not the fact asked: say so, and what they do say.
    const nearest = selectSentences(retrieval.query, lang, retrieval.results, idf, { ...settings, maxSentences: 1 }, options.askedAs)[0];
    if (nearest) {
      const sources = toSources(retrieval, 1, [nearest.source]);
      const answer = `${missingFactMessages[lang](answerTypeNames[options.missing][lang])} ${nearest.text} [1]`;
      yield { type: 'sources', sources };
      yield { type: 'delta', text: answer };
      yield { type: 'done', answer, citations: sources.map(toCitation), mode: 'extractive', answerable: false };
      return;
    }
  }
  if (sentences.length === 0) {
    const answer = answerMessages.notCovered[lang];
    yield { type: 'sources', sources: [] };
    yield { type: 'delta', text: answer };
    yield { type: 'done', answer, citations: [], mode: 'extractive', answerable: false };
    return;
  }
  const citedOrder = [...new Set(sentences.map((s) => s.source))];
  const numberOf = new Map(citedOrder.map((source, i) => [source, i + 1]));
  const sources = toSources(retrieval, 3, citedOrder);
  yield { type: 'sources', sources };
  const parts: string[] = [];
  for (let i = 0; i < sentences.length; i++) {
    const sentence = sentences[i]!;
    const lastOfGroup = sentences[i + 1]?.source !== sentence.source;
    let piece = sentence.text;
    if (lastOfGroup) piece += ` [${numberOf.get(sentence.source)}]`;
    const text = (parts.length ? (sentences[i - 1]!.source === sentence.source ? ' ' : '\n') : '') + piece;
    parts.push(text);
    yield { type: 'delta', text };
  }
  const citations = sources.slice(0, citedOrder.length).map(toCitation);
  yield { type: 'done', answer: parts.join(''), citations, mode: 'extractive', answerable: true };
}
