import { Hono } from 'hono';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { requestOrigin } from '../server/request-origin.js';
import type { LearnerEnv } from '../server/learner-access.js';
import { jsonBody, queryParams } from '../server/validate.js';
import { learnerCenterOf } from '../server/request-center.js';
import { linkSite, questionCollections } from './center-scope.js';
import { searchResponseJson } from './search-response.js';
import { verifiedAnswersFor } from '../verified/index.js';
import { feedbackRequestSchema, searchQuerySchema } from './schemas.js';

/** `GET /api/search` (ranked passages with scores and matched terms) and `POST /api/feedback`. */
export function learnerRoutes(deps: AppDeps): Hono<LearnerEnv> {
  const app = new Hono<LearnerEnv>();
  const store = deps.engine.store;
  const owners = store.learnerConversations;

  app.get('/api/search', async (c) => {
    const query = queryParams(c, searchQuerySchema);
    const { siteKey, identity } = c.get('learner');
    const collections = await questionCollections(
      store,
      identity?.centerId ?? learnerCenterOf(siteKey),
      query.collection,
      identity?.collections.length ? identity.collections : siteKey?.collections,
    );
    // Expired, not yet valid and replaced documents are left out, as in answers (issue 18).
    const exclude = await verifiedAnswersFor(deps.engine, { now: deps.now }).excludedChunks();
    const retrieval = await deps.engine.retrieve(query.q, { k: query.k, mode: query.mode, collections, exclude });
    const base = deps.config.publicUrl ?? requestOrigin(c);
    return c.body(searchResponseJson(query.q, retrieval, base, linkSite(siteKey)), 200, { 'content-type': 'application/json' });
  });

  app.post('/api/feedback', async (c) => {
    const body = await jsonBody(c, feedbackRequestSchema);
    const message = await store.conversations.getMessage(body.messageId);
    const siteKey = c.get('learner').siteKey?.key ?? null;
    // Feedback only on messages of the same site (or of the server's own pages).
    if (!message || (message.siteKey ?? null) !== siteKey) throw new AppError('not_found', 'messageId: no such message');
    // And a learner's messages only by that learner.
    if ((await owners.ownerOf(message.conversationId)) !== (c.get('learner').identity?.owner ?? null))
      throw new AppError('not_found', 'messageId: no such message');
    const feedback = (await store.conversations.setFeedback(body.messageId, body.rating, body.comment ?? null))!;
    return c.json({ ok: true, messageId: feedback.messageId, rating: feedback.rating });
  });
  return app;
}
