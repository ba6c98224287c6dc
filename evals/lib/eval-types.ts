import type { AnswerMode } from '../../src/answer/index.js';
import type { RetrievalMode } from '../../src/retrieve/index.js';
import type { GoldPassage } from './golden-schema.js';

/** A question of any dataset (golden set or BEIR), in the form the runner asks it. */
export interface EvalQuestion {
  id: string;
  question: string;
  lang: 'vi' | 'en';
  /** Golden `type`, or `beir` for BEIR queries. */
  type: string;
  answerable: boolean;
  gold: GoldPassage[];
  /** Reference answer for token F1; null when the dataset has none (F1 then uses `answers`). */
  reference: string | null;
  answers: string[];
  keyphrases: string[];
  followUpOf?: string;
  variantOf?: string;
}

export type AnswererKind = 'extractive' | 'llm';

/** One configuration compared side by side. */
export interface EvalConfig {
  mode: RetrievalMode;
  answerer: AnswererKind;
}

export const configLabel = (c: EvalConfig): string => `${c.mode}/${c.answerer}`;

/** A retrieved or cited chunk as the reports show it. */
export interface ChunkView {
  doc: string;
  page: number | null;
  /** Last heading of the chunk's heading path, if any. */
  section: string | null;
  /** Matches one of the question's gold passages. */
  gold: boolean;
}

/** Per-question metrics; null where a metric does not apply (see evals/README.md). */
export interface QuestionScores {
  hit1: number | null;
  hit5: number | null;
  mrr10: number | null;
  ndcg10: number | null;
  recall10: number | null;
  containment: number | null;
  tokenF1: number | null;
  keyphraseRecall: number | null;
  citationPrecision: number | null;
  citationRecall: number | null;
  grounding: number | null;
}

/** An LLM judge's rating of one answer. */
export interface JudgeScore {
  faithfulness: number;
  relevance: number;
  reason: string;
}

/** What asking one question produced, and how it scored. */
export interface QuestionRun {
  id: string;
  question: string;
  lang: 'vi' | 'en';
  type: string;
  answerable: boolean;
  variantOf?: string;
  followUpOf?: string;
  rewrittenQuestion: string;
  answer: string;
  mode: AnswerMode;
  declined: boolean;
  /** Retrieval's answerability score (0-1) for the rewritten question. */
  answerability: number;
  /** The top 10 chunks for the rewritten question, in rank order. */
  retrieved: Array<ChunkView & { score: number }>;
  citations: Array<ChunkView & { n: number }>;
  latencyMs: number;
  scores: QuestionScores;
  /** Set when the LLM judge ran: null when its reply could not be used. */
  judge?: JudgeScore | null;
}
