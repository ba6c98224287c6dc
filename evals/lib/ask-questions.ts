import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { answerQuestion, type AnswerRecord, type Citation, type Turn } from '../../src/answer/index.js';
import type { CorpusView } from './corpus-engine.js';
import { matchesGold, type ChunkLocation } from './gold-match.js';
import type { ChunkView, EvalConfig, EvalQuestion, JudgeScore, QuestionRun } from './eval-types.js';
import type { JudgeInput } from './llm-judge.js';
import { scoreQuestion } from './score-question.js';

export interface AskOptions {
  /** The model for the `llm` answerer (required then). */
  chat: BaseChatModel | null;
  timeoutMs: number;
  /** Conversation turns kept for a follow-up, like the server (3). */
  historyTurns?: number;
  onProgress?: (done: number, total: number) => void;
  onLlmError?: (error: unknown, stage: 'rewrite' | 'answer') => void;
  /** Rates each answer (the LLM judge); null when the rating failed. */
  judge?: (input: JudgeInput) => Promise<JudgeScore | null>;
}

/** Questions ordered so that a follow-up comes after the turn it follows; otherwise in input order. */
export function conversationOrder<T extends { id: string; followUpOf?: string }>(questions: readonly T[]): T[] {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const placed = new Set<string>();
  const out: T[] = [];
  const place = (q: T, depth: number): void => {
    if (placed.has(q.id) || depth > questions.length) return;
    const parent = q.followUpOf !== undefined ? byId.get(q.followUpOf) : undefined;
    if (parent) place(parent, depth + 1);
    placed.add(q.id);
    out.push(q);
  };
  for (const q of questions) place(q, 0);
  return out;
}

const view = (c: ChunkLocation & { headingPath: readonly string[] }, gold: boolean): ChunkView => ({
  doc: c.doc,
  page: c.pageStart,
  section: c.headingPath.at(-1) ?? null,
  gold,
});

/**
 * Asks every question through `answerQuestion` (the server's orchestration: follow-up rewrite,
 * retrieval with k = 5, extractive or LLM answer, citation checks), with retrieval in the
 * configuration's mode. A follow-up gets as history the turns it follows, each with the
 * question as rewritten and the answer produced in this run, as the server keeps them.
 * Ranking metrics use a second retrieval of the rewritten question with k = 10 (the answer
 * itself sees exactly what the server would).
 */
export async function askQuestions(
  corpus: CorpusView,
  questions: readonly EvalQuestion[],
  config: EvalConfig,
  options: AskOptions,
): Promise<QuestionRun[]> {
  if (config.answerer === 'llm' && !options.chat) throw new Error('the llm answerer needs a chat model');
  const engine = corpus.engine;
  const ordered = conversationOrder(questions);
  const runs = new Map<string, QuestionRun>();
  const turns = options.historyTurns ?? 3;
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const [i, q] of ordered.entries()) {
    const history: Turn[] = [];
    for (let at = q.followUpOf; at !== undefined && history.length < turns; at = byId.get(at)?.followUpOf) {
      const previous = runs.get(at);
      if (previous) history.unshift({ question: previous.rewrittenQuestion, answer: previous.answer });
    }
    const started = performance.now();
    const events = answerQuestion(
      { question: q.question, history, collections: null },
      {
        retrieve: (query, o) => engine.retrieve(query, { ...o, mode: config.mode }),
        idf: engine.idf,
        chat: config.answerer === 'llm' ? options.chat : null,
        timeoutMs: options.timeoutMs,
        ...(options.onLlmError ? { onLlmError: options.onLlmError } : {}),
      },
    );
    const sourceChunk = new Map<number, string>();
    let step = await events.next();
    while (!step.done) {
      if (step.value.type === 'sources') {
        sourceChunk.clear();
        for (const s of step.value.sources) sourceChunk.set(s.n, s.chunkId);
      }
      step = await events.next();
    }
    const latencyMs = performance.now() - started;
    const record: AnswerRecord = step.value;
    for (const c of record.citations) sourceChunk.set(c.n, c.chunkId);

    const ranking = await engine.retrieve(record.rewrittenQuestion, { k: 10, mode: config.mode });
    const retrieved = ranking.results.flatMap((r) => {
      const info = corpus.chunk(r.chunk.id);
      return info ? [{ info, score: r.score }] : [];
    });
    const cited = uniqueCitations(record.citations).flatMap((c) => {
      const info = corpus.chunk(c.chunkId);
      return info ? [{ info, n: c.n }] : [];
    });
    const declined = !record.answerable;
    const scores = scoreQuestion(q, {
      retrieved: retrieved.map((r) => r.info),
      answer: record.answer,
      declined,
      cited: cited.map((c) => c.info),
      sourceText: (n) => {
        const info = sourceChunk.has(n) ? corpus.chunk(sourceChunk.get(n)!) : undefined;
        return info ? `${info.title}\n${info.headingPath.join('\n')}\n${info.text}` : undefined;
      },
    });
    const isGold = (c: ChunkLocation) => q.gold.some((g) => matchesGold(c, g));
    let judge: JudgeScore | null | undefined;
    if (options.judge) {
      // The cited sources; a refusal is judged against what retrieval found.
      const shown = cited.length
        ? cited.map((c) => ({ n: c.n, info: c.info }))
        : retrieved.slice(0, 3).map((r, k) => ({ n: k + 1, info: r.info }));
      judge = await options.judge({
        question: q.question,
        answer: record.answer,
        sources: shown.map((s) => ({ n: s.n, title: [s.info.title, ...s.info.headingPath].join(' › '), text: s.info.text })),
      });
    }
    runs.set(q.id, {
      id: q.id,
      question: q.question,
      lang: q.lang,
      type: q.type,
      answerable: q.answerable,
      ...(q.variantOf !== undefined ? { variantOf: q.variantOf } : {}),
      ...(q.followUpOf !== undefined ? { followUpOf: q.followUpOf } : {}),
      rewrittenQuestion: record.rewrittenQuestion,
      answer: record.answer,
      mode: record.mode,
      declined,
      answerability: Number(record.retrieval.answerability.toFixed(4)),
      retrieved: retrieved.map((r) => ({ ...view(r.info, isGold(r.info)), score: Number(r.score.toFixed(4)) })),
      citations: cited.map((c) => ({ ...view(c.info, isGold(c.info)), n: c.n })),
      latencyMs,
      scores,
      ...(judge !== undefined ? { judge } : {}),
    });
    options.onProgress?.(i + 1, ordered.length);
  }
  // Back in input order, so reports read like the golden files.
  return questions.map((q) => runs.get(q.id)!);
}

function uniqueCitations(citations: readonly Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => (seen.has(c.chunkId) ? false : (seen.add(c.chunkId), true)));
}
