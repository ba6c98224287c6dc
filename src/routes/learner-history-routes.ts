import { Hono, type Context } from 'hono';
import type { LearnerIdentity } from '../lti/index.js';
import { LeitnerStore } from '../practice/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import type { LearnerEnv } from '../server/learner-access.js';
import { requestOrigin } from '../server/request-origin.js';
import { citationLink } from './links.js';
import type { LearnerConversationResponse, LearnerConversationsResponse, LearnerHistoryDeleted } from '../contract/index.js';

const identityOf = (c: Context<LearnerEnv>): LearnerIdentity => {
  const identity = c.get('learner').identity;
  if (!identity) throw new AppError('learner_session_expired', 'a learner token (x-learner-token) is required');
  return identity;
};

/**
 * A known learner's own history (`x-learner-token`): their conversations on any device, one
 * conversation's messages, and deleting all of it (with their practice boxes). Nobody else's is ever listed.
 */
export function learnerHistoryRoutes(deps: AppDeps): Hono<LearnerEnv> {
  const app = new Hono<LearnerEnv>();
  const store = deps.engine.store;
  const owners = store.learnerConversations;
  const boxes = new LeitnerStore(store.sql);

  app.get('/api/learner/conversations', async (c) =>
    c.json({ conversations: await owners.list(identityOf(c).owner) } satisfies LearnerConversationsResponse),
  );

  app.get('/api/learner/conversations/:id', async (c) => {
    const messages = await owners.messages(identityOf(c).owner, c.req.param('id'));
    if (!messages) throw new AppError('not_found', 'no such conversation');
    const base = deps.config.publicUrl ?? requestOrigin(c);
    const withLinks = messages.map((m) => ({
      ...m,
      citations: m.citations.map((s) => ({ ...s, link: citationLink(base, s.documentId, s.page, s.headingPath) })),
    }));
    return c.json({ conversationId: c.req.param('id'), messages: withLinks } satisfies LearnerConversationResponse);
  });

  // Their history is their conversations and their practice boxes: both go (docs/practice.md#spaced-repetition).
  app.delete('/api/learner/conversations', async (c) => {
    const { owner } = identityOf(c);
    const deleted = await owners.deleteAll(owner);
    return c.json({ deleted, practiceBoxes: await boxes.forget(owner) } satisfies LearnerHistoryDeleted);
  });
  return app;
}
