import type { AIMessageChunk } from '@langchain/core/messages';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { defaultAnswerability, type Retrieval } from '../retrieve/index.js';
import { detectLanguage, foldDiacritics, type Language } from '../text/index.js';
import { narrowestValidity, validityNote } from './validity-note.js';
import type { AnswerEvent, AnswerMode, Citation, Source } from './answer-events.js';
import { citedNumbers, createCitationFilter } from './citation-filter.js';
import { extractiveAnswer, toCitation, toSources } from './extractive-answerer.js';
import { buildGroundedMessages } from './grounded-prompt.js';
import { answerMessages } from './messages.js';
import { answerSpanStrength, detectAnswerType, withoutCue, type AnswerType } from './answer-type.js';
import { resolveFollowUp, rewriteWithModel, type Turn } from './rewrite-question.js';
import { ownThingWords } from './follow-up.js';
import { answerabilityFeatures } from './answerability-features.js';
import { answerProbability, defaultAnswerabilityModel, type AnswerabilityModel } from './answerability-model.js';

export interface AnswerRequest {
  question: string;
  /** Earlier turns of the conversation, oldest first (the last three are used). */
  history: Turn[];
  collections?: string[] | null;
  /** Aborted when the client goes away: the answer stops quietly, the model call is cancelled. */
  signal?: AbortSignal;
}

export interface AnswerDeps {
  retrieve: (query: string, options: { k: number; collections?: readonly string[] | null }) => Promise<Retrieval>;
  idf: (term: string) => number;
  /** null = offline: extractive answers only. */
  chat: BaseChatModel | null;
  /** Budget of all model calls of one answer (rewrite included), from the start of the request. */
  timeoutMs: number;
  /** Budget of the follow-up rewrite; default min(5 s, timeoutMs / 3). */
  rewriteTimeoutMs?: number;
  /** Told of every model failure the answer recovered from (for logs and metrics). */
  onLlmError?: (error: unknown, stage: 'rewrite' | 'answer') => void;
  /** The center's verified answer to the question as asked, if one matches (checked first). */
  verified?: (question: string, collections: readonly string[] | null) => Promise<VerifiedHit | null>;
  /** The answer-or-decline model (default: the committed fit, src/answer/answerability-weights.json). */
  answerabilityModel?: AnswerabilityModel;
  /** A cited document's validity dates (undefined or nulls: undated), for the answer's date note. */
  validityOf?: (documentId: string) => Promise<{ validFrom: string | null; validUntil: string | null } | undefined>;
}

/** A verified answer matching a learner's question, as the answerer gives it. */
export interface VerifiedHit {
  id: string;
  answer: string;
  /** The document page it rests on, cited with it. */
  document: { id: string; title: string; page: number | null } | null;
  validFrom: string | null;
  validUntil: string | null;
  score: number;
}

export interface AnswerRecord {
  question: string;
  rewrittenQuestion: string;
  answer: string;
  citations: Citation[];
  mode: AnswerMode;
  answerable: boolean;
  retrieval: { answerability: number; scores: Array<{ chunkId: string; score: number }> };
  latencyMs: number;
  /** The client went away before the answer was done: no `done` event was sent. */
  aborted: boolean;
  /** The verified answer given (mode `verified`). */
  verifiedAnswerId?: string;
  /** The answer-or-decline decision: the model's features and probability (absent for verified answers). */
  decision?: { features: number[]; probability: number };
}

/** Why a model answer was not used, beyond the errors of the client itself. */
export class LlmAnswerError extends Error {
  override readonly name = 'LlmAnswerError';
  constructor(
    readonly code: 'timeout' | 'empty' | 'uncited',
    message: string,
  ) {
    super(message);
  }
}

type DoneEvent = Extract<AnswerEvent, { type: 'done' }>;

/**
 * Answerability kept when the question asks for a kind of fact (a time, a phone number…) that
 * none of the top three passages holds: tuned on evals/tune/conversations.jsonl (docs/answers.md).
 */
export const missingTypeFactor = 0.7;

/**
 * Types whose asking words are nouns that pull passages about the thing rather than holding it
 * ("số điện thoại", "email", "địa chỉ"). For times ("mấy giờ") a second search without the
 * asking words only brought other schedules (tuning set, docs/answers.md).
 */
const researchedTypes: ReadonlySet<AnswerType> = new Set(['phone', 'email', 'place']);

/** First sentence of each refusal, folded, to spot a model that declines. */
const refusalMarks = (['vi', 'en'] as const).map((lang) => comparable(answerMessages.notCovered[lang].split(/(?<=\.)\s/)[0]!));

function comparable(text: string): string {
  return ` ${foldDiacritics(text.toLowerCase())
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

/** True when the model's answer says the sources do not cover the question. */
export function isRefusal(answer: string): boolean {
  const text = comparable(answer);
  return refusalMarks.some((mark) => text.includes(mark));
}

function textOf(chunk: AIMessageChunk): string {
  return typeof chunk.content === 'string' ? chunk.content : chunk.text;
}

/** An AbortController tied to the client's signal and a deadline. */
function deadlineController(ms: number, client: AbortSignal | undefined, what: string) {
  const controller = new AbortController();
  const onClientAbort = () => controller.abort(client?.reason);
  client?.addEventListener('abort', onClientAbort, { once: true });
  if (client?.aborted) onClientAbort();
  const timer = setTimeout(
    () => controller.abort(new LlmAnswerError('timeout', `${what} took longer than ${Math.round(ms)} ms`)),
    Math.max(0, ms),
  );
  return {
    signal: controller.signal,
    /** The timeout error when the deadline cut the call, else the error thrown. */
    failure(error: unknown): unknown {
      const reason: unknown = controller.signal.reason;
      return controller.signal.aborted && reason instanceof LlmAnswerError ? reason : error;
    },
    dispose() {
      clearTimeout(timer);
      client?.removeEventListener('abort', onClientAbort);
      // Closes the upstream request if it is still open (an early return of the generator).
      if (!controller.signal.aborted) controller.abort();
    },
  };
}

/**
 * Answers one question: the one orchestration used by the server and the evaluation suite.
 *
 * 0. A center's verified answer matching the question as asked (`deps.verified`) is given at
 *    once, mode `verified`, with no retrieval and no model call; an answer from the materials
 *    that cites dated documents ends with the dates it is valid for (`deps.validityOf`).
 * 1. With earlier turns, {@link resolveFollowUp} decides from evidence whether the question
 *    follows up on the last one (and joins it to that turn's topic); a follow-up is then
 *    rewritten by the model when there is one (keeping the offline join on an error or after
 *    `rewriteTimeoutMs`). A new question is searched as asked.
 * 2. Retrieval (k = 5) on the question as searched; when it asks for a kind of fact no top
 *    passage holds, its answerability is lowered ({@link missingTypeFactor}).
 * 3. Offline, or when retrieval says the materials do not cover the question, the extractive
 *    answerer answers (mode `extractive`): the model is not needed to decline, and not asking it
 *    saves time and keeps refusals consistent with the calibrated answerability threshold.
 * 4. Otherwise the model answers from the numbered sources; its stream goes through the citation
 *    filter (citations to sources it was not given are removed) as `delta` events, after a
 *    `sources` event sent once the model starts answering. An answer that cites nothing (and
 *    does not decline) is ungrounded and replaced by the extractive one.
 * 5. On any model failure (HTTP error, timeout, broken or malformed stream, empty or ungrounded
 *    answer) the extractive answer is streamed instead, mode `extractive-fallback`, preceded by
 *    `reset` when part of the model's answer was already sent.
 *
 * The client aborting `request.signal` cancels the model call and ends the stream without
 * further events. Model failures never throw; a failing `retrieve` does.
 * @returns the record of the answer, for logs and the evaluation suite.
 */
export async function* answerQuestion(request: AnswerRequest, deps: AnswerDeps): AsyncGenerator<AnswerEvent, AnswerRecord> {
  const started = performance.now();
  const lang = detectLanguage(request.question);
  // 0. A verified answer to the question as asked is given at once, as the teachers wrote it.
  const hit = deps.verified ? await deps.verified(request.question, request.collections ?? null) : null;
  if (hit) return yield* verifiedAnswer(request.question, hit, lang, started);
  // Otherwise the materials answer; an answer citing dated documents ends with their dates.
  const inner = answerFromMaterials(request, deps, started);
  let note = '';
  try {
    let result = await inner.next();
    while (!result.done) {
      let event = result.value;
      if (event.type === 'done' && deps.validityOf && event.citations.length > 0) {
        const dates = (await Promise.all(event.citations.map((c) => deps.validityOf!(c.documentId)))).filter((v) => v !== undefined);
        note = validityNote(narrowestValidity(dates), lang);
        if (note) {
          yield { type: 'delta', text: note };
          event = { ...event, answer: event.answer + note };
        }
      }
      yield event;
      result = await inner.next();
    }
    return note && !result.value.aborted ? { ...result.value, answer: result.value.answer + note } : result.value;
  } finally {
    // The consumer stopped early (the client left): close the inner answer, its model call included.
    await inner.return(undefined as never);
  }
}

/** The events and record of a verified answer: its linked page as the one source, the text, `done`. */
async function* verifiedAnswer(
  question: string,
  hit: VerifiedHit,
  lang: Language,
  started: number,
): AsyncGenerator<AnswerEvent, AnswerRecord> {
  const sources: Source[] = hit.document
    ? [
        {
          n: 1,
          chunkId: '',
          documentId: hit.document.id,
          title: hit.document.title,
          page: hit.document.page,
          headingPath: [],
          snippet: '',
          score: hit.score,
        },
      ]
    : [];
  const answer = hit.answer + validityNote(hit, lang);
  if (sources.length) yield { type: 'sources', sources };
  yield { type: 'delta', text: answer };
  const citations = sources.map(toCitation);
  yield { type: 'done', answer, citations, mode: 'verified', answerable: true, verified: { id: hit.id } };
  return {
    question,
    rewrittenQuestion: question,
    answer,
    citations,
    mode: 'verified',
    answerable: true,
    retrieval: { answerability: hit.score, scores: [] },
    latencyMs: Math.round(performance.now() - started),
    aborted: false,
    verifiedAnswerId: hit.id,
  };
}

/**
 * Answer or decline one search. A question asking for a time, a room, a phone number… that no
 * retrieved passage holds is not answered by quoting the topic: its answerability drops
 * ({@link missingTypeFactor}), and a decline says what the materials do say. Then a logistic
 * model over the evidence (coverage of the rare words in the best passage and sentence, words and
 * phrases the materials never use, the fact type's span, score margins), fitted on the tuning
 * sets (evals/fit-answerability.ts), decides instead of one threshold on the retriever's score.
 */
function answerDecision(searched: string, retrieval: Retrieval, deps: AnswerDeps) {
  const asked = detectAnswerType(searched);
  const missing =
    asked !== null && retrieval.answerable && !retrieval.results.some((r) => answerSpanStrength(r.chunk.text, asked) > 0)
      ? asked.type
      : null;
  let current = retrieval;
  if (missing) {
    const answerability = retrieval.answerability * missingTypeFactor;
    current = { ...retrieval, answerability, answerable: answerability >= (retrieval.threshold ?? defaultAnswerability.threshold) };
  }
  const model = deps.answerabilityModel ?? defaultAnswerabilityModel;
  const features = answerabilityFeatures({ searched, retrieval: current, asked, idf: deps.idf });
  const probability = answerProbability(features, model);
  // A retrieval made by hand (tests, callers of their own) lacks the retriever's evidence
  // (`salientCovered`): its own threshold decision stands.
  if (current.salientCovered === undefined) return { missing, features, probability, retrieval: current };
  return {
    missing,
    features,
    probability,
    retrieval: { ...current, answerable: current.results.length > 0 && probability >= model.threshold },
  };
}

/** Steps 1-5 of {@link answerQuestion}: the answer from the materials. */
async function* answerFromMaterials(request: AnswerRequest, deps: AnswerDeps, started: number): AsyncGenerator<AnswerEvent, AnswerRecord> {
  const deadline = started + deps.timeoutMs;
  const client = request.signal;
  const question = request.question;
  const report = (error: unknown, stage: 'rewrite' | 'answer') => {
    try {
      deps.onLlmError?.(error, stage);
    } catch {
      // A failing logger must not fail the answer.
    }
  };

  let rewritten = question;
  let retrieval: Retrieval | null = null;
  /** How the answer is being made, and what of it was sent (for a record of an aborted answer). */
  let mode: AnswerMode = deps.chat ? 'llm' : 'extractive';
  let streamed = '';
  let decision: AnswerRecord['decision'];
  const record = (done: DoneEvent | null): AnswerRecord => ({
    question,
    rewrittenQuestion: rewritten,
    answer: done?.answer ?? streamed,
    citations: done?.citations ?? [],
    mode: done?.mode ?? mode,
    answerable: done?.answerable ?? false,
    retrieval: {
      answerability: retrieval?.answerability ?? 0,
      scores: retrieval?.results.map((r) => ({ chunkId: r.chunk.id, score: r.score })) ?? [],
    },
    latencyMs: Math.round(performance.now() - started),
    aborted: done === null,
    ...(decision ? { decision } : {}),
  });

  // 1-2. Follow-up decision (from evidence: markers, and retrieval of the question alone and
  // joined to the previous topic), the model's rewrite of a follow-up, and retrieval.
  const retrieve = (query: string) => deps.retrieve(query, { k: 5, collections: request.collections ?? null });
  if (request.history.length > 0) {
    const answers = (searched: string, r: Retrieval) => answerDecision(searched, r, deps).retrieval.answerable;
    const resolved = await resolveFollowUp(request.history, question, retrieve, deps.idf, defaultAnswerability.threshold, answers);
    if (client?.aborted) return record(null);
    rewritten = resolved.searched;
    retrieval = resolved.retrieval;
    // A follow-up decided without the lone search (a marker, or no thing of its own) that the
    // model declines joined is asked alone too: the learner may have changed the subject with a
    // marker-like opening ("còn …", "and …"), and the materials may answer the question as asked.
    let followUp = resolved.followUp;
    // Only a question that names a thing of its own can stand alone ("ở phòng nào?" cannot).
    if (followUp && ownThingWords(question).length > 0 && !answers(rewritten, retrieval)) {
      const alone = await retrieve(question);
      if (client?.aborted) return record(null);
      if (answers(question, alone)) {
        rewritten = question;
        retrieval = alone;
        followUp = false;
      }
    }
    if (followUp && deps.chat) {
      const lang = detectLanguage(question, detectLanguage(request.history.at(-1)!.question));
      const budget = Math.min(deps.rewriteTimeoutMs ?? Math.min(5_000, deps.timeoutMs / 3), deadline - performance.now());
      const call = deadlineController(budget, client, 'the question rewrite');
      let byModel: string | null = null;
      try {
        byModel = await rewriteWithModel(deps.chat, request.history, question, lang, call.signal);
      } catch (error) {
        if (client?.aborted) return record(null);
        report(call.failure(error), 'rewrite');
      } finally {
        call.dispose();
      }
      if (byModel !== null && byModel.trim() !== rewritten.trim()) {
        rewritten = byModel;
        retrieval = await retrieve(rewritten);
      }
    }
  } else {
    retrieval = await retrieve(question);
  }
  if (client?.aborted) return record(null);

  // A question asking for a phone number, an e-mail address or a place may retrieve passages
  // that only talk about it ("số điện thoại" pulls passages about phones): the question is searched
  // again without its asking words, and up to two passages of that search holding the fact join
  // the results (answerability stays that of the question as searched).
  const asked = detectAnswerType(rewritten);
  if (asked && researchedTypes.has(asked.type)) {
    const plain = withoutCue(rewritten, asked.cue);
    if (plain !== '') {
      const again = await retrieve(plain);
      if (client?.aborted) return record(null);
      const known = new Set(retrieval.results.map((r) => r.chunk.id));
      const holding = again.results.filter((r) => !known.has(r.chunk.id) && answerSpanStrength(r.chunk.text, asked!) === 2).slice(0, 2);
      if (holding.length > 0) retrieval = { ...retrieval, results: [...retrieval.results.slice(0, 5 - holding.length), ...holding] };
    }
  }

  const decided = answerDecision(rewritten, retrieval, deps);
  const { missing } = decided;
  retrieval = decided.retrieval;
  decision = { features: decided.features, probability: decided.probability };
  const current: Retrieval = retrieval;

  /** Streams the extractive answer; returns its `done` event, or null when the client left. */
  async function* extractive(as: AnswerMode): AsyncGenerator<AnswerEvent, DoneEvent | null> {
    mode = as;
    streamed = '';
    for await (const event of extractiveAnswer(current, deps.idf, undefined, { missing, askedAs: question })) {
      if (client?.aborted) return null;
      if (event.type === 'done') {
        const done: DoneEvent = { ...event, mode: as };
        yield done;
        return done;
      }
      if (event.type === 'delta') streamed += event.text;
      yield event;
    }
    return null;
  }

  // 3. Offline, or nothing to answer from.
  if (!deps.chat || !current.answerable) return record(yield* extractive('extractive'));

  // 4. The model's answer.
  const sources: Source[] = toSources(current, 5);
  const passages = current.results.slice(0, sources.length).map((r) => r.chunk.text);
  const lang = detectLanguage(question, current.lang);
  const messages = buildGroundedMessages(question, lang, sources, passages, { standaloneQuestion: rewritten });
  const valid = new Set(sources.map((s) => s.n));
  const filter = createCitationFilter(valid);
  const call = deadlineController(deadline - performance.now(), client, 'the answer');
  let failure: unknown = null;
  try {
    // Resolves with the first chunk, or rejects on an HTTP error, a malformed first event or the deadline.
    const stream = await deps.chat.stream(messages, { signal: call.signal });
    yield { type: 'sources', sources };
    for await (const chunk of stream) {
      let text = filter.push(textOf(chunk));
      if (streamed === '') text = text.trimStart();
      if (text === '') continue;
      streamed += text;
      yield { type: 'delta', text };
    }
    let tail = filter.end();
    if (streamed === '') tail = tail.trimStart();
    if (tail !== '') {
      streamed += tail;
      yield { type: 'delta', text: tail };
    }
  } catch (error) {
    if (client?.aborted) return record(null);
    failure = call.failure(error);
  } finally {
    call.dispose();
  }

  if (failure === null) {
    const cited = citedNumbers(streamed);
    const refused = isRefusal(streamed);
    if (streamed.trim() === '') failure = new LlmAnswerError('empty', 'the model gave an empty answer');
    else if (cited.length === 0 && !refused) failure = new LlmAnswerError('uncited', 'the model answered without citing any source');
    else {
      const byNumber = new Map(sources.map((s) => [s.n, s]));
      const citations = cited.flatMap((n) => {
        const source = byNumber.get(n);
        return source ? [toCitation(source)] : [];
      });
      const done: DoneEvent = { type: 'done', answer: streamed, citations, mode: 'llm', answerable: !refused };
      yield done;
      return record(done);
    }
  }

  // 5. Fallback.
  report(failure, 'answer');
  if (streamed !== '') yield { type: 'reset' };
  return record(yield* extractive('extractive-fallback'));
}
