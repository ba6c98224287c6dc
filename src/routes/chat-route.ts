import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { answerQuestion, type AnswerEvent, type AnswerRecord, type Source } from '../answer/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { requestOrigin } from '../server/request-origin.js';
import { verifiedAnswersFor } from '../verified/index.js';
import type { LearnerEnv } from '../server/learner-access.js';
import { maskKey } from '../server/logger.js';
import { jsonBody } from '../server/validate.js';
import { detectLanguage } from '../text/index.js';
import { learnerCenterOf } from '../server/request-center.js';
import { linkSite, questionCollections } from './center-scope.js';
import { citationLink } from './links.js';
import { sharedOrigin } from './shared-origin.js';
import { chatRequestSchema } from './schemas.js';
import type { ChatResponse, ChatStreamEvent, LinkedSource } from '../contract/index.js';

/**
 * Aborts `controller` when the client's request `signal` does. Kept outside the route handler on
 * purpose: a listener created inside it closes over the handler's scope, `c` included, and Node's
 * fetch `Request` keeps its signal (listeners and all) in a FinalizationRegistry whose target is
 * the request itself, so that cycle kept every chat's Context, Request and answer alive for good
 * (about 30 KB a question; found by the soak run).
 */
function followAbort(signal: AbortSignal | undefined, controller: AbortController): void {
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
}

/** Seconds between keep-alive comments while an answer is being written. */
const keepAliveMs = 10_000;

/**
 * `POST /api/chat`: answers a learner's question from the materials. Server-sent events by
 * default (`meta`, `sources`, `delta`…, `done` or `error`, and `reset` when a model answer is
 * replaced by the extractive fallback); `Accept: application/json` gets one JSON object.
 */
export function chatRoute(deps: AppDeps): Hono<LearnerEnv> {
  const app = new Hono<LearnerEnv>();
  const schema = chatRequestSchema(deps.config.limits.maxQuestionChars);
  const store = deps.engine.store;
  const curation = verifiedAnswersFor(deps.engine, { now: deps.now });
  const owners = store.learnerConversations;

  app.post('/api/chat', async (c) => {
    if (deps.state.draining) throw new AppError('not_ready', 'the assistant is restarting; please ask again in a moment');
    const body = await jsonBody(c, schema);
    const { siteKey, identity } = c.get('learner');
    const centerId = identity?.centerId ?? learnerCenterOf(siteKey);
    // The center's own collections and its subscriptions, narrowed by the course's or the key's list.
    const collections = await questionCollections(
      store,
      centerId,
      body.collection,
      identity?.collections.length ? identity.collections : siteKey?.collections,
    );
    const existing = body.conversationId ? await store.conversations.getConversation(body.conversationId) : undefined;
    // A learner's own conversation is theirs only; an anonymous one is nobody's to continue as a learner.
    if (
      existing &&
      ((existing.siteKey ?? null) !== (siteKey?.key ?? null) ||
        existing.centerId !== centerId ||
        (await owners.ownerOf(existing.id)) !== (identity?.owner ?? null))
    ) {
      throw new AppError('not_found', 'conversationId: no such conversation');
    }
    const conversation = existing ?? (await store.conversations.createConversation(siteKey?.key ?? null, centerId));
    if (!existing && identity) await owners.claim(conversation.id, identity.owner, identity.course);
    const history = await store.conversations.history(conversation.id, 3);
    const base = deps.config.publicUrl ?? requestOrigin(c);
    const site = linkSite(siteKey);
    const link = (s: Pick<Source, 'documentId' | 'page' | 'headingPath'>) => citationLink(base, s.documentId, s.page, s.headingPath, site);
    const sharedFrom = sharedOrigin(store, centerId);
    const controller = new AbortController();
    followAbort(c.req.raw.signal, controller);
    // Expired, not yet valid and replaced documents are left out of learners' answers (issue 18).
    const exclude = await curation.excludedChunks();
    const events = answerQuestion(
      { question: body.message, history, collections, signal: controller.signal },
      {
        retrieve: (query, options) => deps.engine.retrieve(query, { ...options, exclude }),
        verified: async (question, scope) => {
          try {
            return await curation.match(centerId, question, scope);
          } catch (error) {
            // A failing match (a remote embedder down) must not cost the learner the answer.
            deps.logger.warn({ err: error }, 'verified-answer matching failed; answering from the materials');
            return null;
          }
        },
        validityOf: (documentId) => curation.validity.get(documentId),
        idf: deps.engine.idf,
        chat: deps.chat,
        timeoutMs: deps.config.llm?.timeoutMs ?? 20_000,
        onLlmError: (error, stage) => {
          deps.metrics.llmErrors.inc({ stage });
          deps.logger.warn(
            { stage, err: { name: (error as Error)?.name, status: (error as { status?: number })?.status } },
            'language model failed; answered extractively',
          );
        },
      },
    );
    const messageId = crypto.randomUUID();
    const lang = body.lang ?? detectLanguage(body.message);

    const recordAnswer = async (record: AnswerRecord): Promise<void> => {
      await store.conversations.recordMessage({
        conversationId: conversation.id,
        question: body.message,
        rewrittenQuestion: record.rewrittenQuestion,
        answer: record.answer,
        citations: record.citations,
        mode: record.mode,
        answerable: record.answerable,
        answerability: record.retrieval.answerability,
        retrievalScores: record.retrieval.scores,
        collection: body.collection ? collections![0]! : null,
        centerId,
        lang,
        latencyMs: Math.round(record.latencyMs),
        siteKey: siteKey?.key ?? null,
        id: messageId,
      });
      deps.metrics.answers.inc({ mode: record.mode, answerable: String(record.answerable) });
      deps.metrics.answerLatency.observe({ mode: record.mode }, record.latencyMs / 1000);
      deps.logger.info(
        {
          requestId: c.get('requestId'),
          messageId,
          conversationId: conversation.id,
          site: maskKey(siteKey?.key),
          mode: record.mode,
          answerable: record.answerable,
          questionChars: body.message.length,
          latencyMs: Math.round(record.latencyMs),
        },
        'answered',
      );
    };

    const save = async (record: AnswerRecord): Promise<void> => {
      if (record.aborted) return;
      try {
        await recordAnswer(record);
        if (record.verifiedAnswerId) await curation.answers.recordUse(record.verifiedAnswerId, messageId);
      } catch (error) {
        // The answer is made and (over SSE) already sent; failing to log it, on a full disk, must
        // not take it from the learner (it used to turn into a 500, or an `error` after `done`).
        deps.logger.error({ requestId: c.get('requestId'), messageId, err: error }, 'could not record the answer');
      }
    };

    // Adds links; the protocol's sources and citations carry where to open them.
    const withLinks = async (event: AnswerEvent): Promise<ChatStreamEvent> => {
      if (event.type === 'sources')
        return {
          ...event,
          sources: await Promise.all(event.sources.map(async (s) => ({ ...s, link: link(s), ...(await sharedFrom(s.documentId)) }))),
        };
      if (event.type === 'done')
        return {
          ...event,
          citations: await Promise.all(event.citations.map(async (s) => ({ ...s, link: link(s), ...(await sharedFrom(s.documentId)) }))),
        };
      return event;
    };

    if (/application\/json/i.test(c.req.header('accept') ?? '') && !/text\/event-stream/i.test(c.req.header('accept') ?? '')) {
      let sources: LinkedSource[] = [];
      let done: Extract<ChatStreamEvent, { type: 'done' }> | undefined;
      let result = await events.next();
      while (!result.done) {
        const event = await withLinks(result.value);
        if (event.type === 'sources') sources = event.sources;
        if (event.type === 'done') done = event;
        result = await events.next();
      }
      await save(result.value);
      if (!done) throw new AppError('internal', 'no answer was produced');
      return c.json({
        conversationId: conversation.id,
        messageId,
        answer: done.answer,
        citations: done.citations,
        sources,
        mode: done.mode,
        answerable: done.answerable,
        ...(done.verified && { verified: done.verified }),
      } satisfies ChatResponse);
    }

    c.header('x-accel-buffering', 'no');
    c.header('cache-control', 'no-cache, no-transform');
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => controller.abort());
      const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n').catch(() => {}), keepAliveMs);
      try {
        const send = (event: ChatStreamEvent) => stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
        await send({ type: 'meta', conversationId: conversation.id, messageId });
        let result = await events.next();
        while (!result.done) {
          await send(await withLinks(result.value));
          result = await events.next();
        }
        await save(result.value);
      } catch (error) {
        deps.logger.error({ err: error, messageId }, 'chat stream failed');
        const failed: ChatStreamEvent = { type: 'error', code: 'internal', message: 'the answer could not be completed' };
        await stream.writeSSE({ event: failed.type, data: JSON.stringify(failed) }).catch(() => {});
      } finally {
        clearInterval(keepAlive);
      }
    });
  });
  return app;
}
