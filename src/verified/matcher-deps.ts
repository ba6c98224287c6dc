import type { Engine } from '../engine/index.js';
import type { MatcherDeps } from './verified-matcher.js';

/** A term no index holds (see the retriever): its IDF is the highest there is. */
const unseenTerm = ' ';

/** What matching needs from the engine: its term statistics and its query embedder. */
export function matcherDepsOf(engine: Engine): MatcherDeps {
  return {
    idf: (term) => engine.idf(term),
    maxIdf: engine.idf(unseenTerm),
    documentFrequency: (term) => engine.documentFrequency(term),
    documents: engine.indexedChunks,
    embed: (text) => engine.embedder.embedQuery(text),
  };
}
