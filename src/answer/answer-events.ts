/** How an answer was made; `verified`: a center's verified answer, given as written (no model call). */
export type AnswerMode = 'extractive' | 'llm' | 'extractive-fallback' | 'verified';

/** A numbered passage given to the answerer; `[n]` in the answer points at it. */
export interface Source {
  n: number;
  chunkId: string;
  documentId: string;
  title: string;
  /** 1-based page (PDF) where the passage starts, else null. */
  page: number | null;
  headingPath: string[];
  snippet: string;
  score: number;
}

/** A source the answer actually cites. */
export type Citation = Omit<Source, 'snippet' | 'score'>;

/**
 * The one streaming protocol of every answerer: `sources` first, then `delta` pieces of the
 * answer text, then `done` (or `error`). The server forwards these as SSE events.
 */
export type AnswerEvent =
  | { type: 'sources'; sources: Source[] }
  | { type: 'delta'; text: string }
  | {
      type: 'done';
      answer: string;
      citations: Citation[];
      mode: AnswerMode;
      answerable: boolean;
      /** With mode `verified`: which verified answer, for the widget's mark and the teachers' counts. */
      verified?: { id: string };
    }
  /**
   * The answer streamed so far is void (the model failed mid-answer); clear it, the fallback
   * answer follows (starting with its own `sources` event, which replaces the earlier one).
   */
  | { type: 'reset' }
  | { type: 'error'; code: string; message: string };
