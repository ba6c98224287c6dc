import { Hono, type Context } from 'hono';
import { learnerCenterOf } from '../server/request-center.js';
import { questionCollections } from './center-scope.js';
import { z } from 'zod';
import { isCorrectAnswer, type PracticeItem, type PracticeService } from '../practice/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import type { LearnerEnv } from '../server/learner-access.js';
import { requestOrigin } from '../server/request-origin.js';
import { jsonBody, queryParams } from '../server/validate.js';
import { citationLink } from './links.js';
import type { PracticeAnswerResponse, PracticeItemSource, PracticeItemsResponse } from '../contract/index.js';

export const practiceQuerySchema = z
  .object({
    n: z.coerce.number().int().min(1).max(50).default(5),
    collection: z.string().min(1).max(64).optional(),
    site: z.string().optional(),
  })
  .strict();

export const practiceAnswerSchema = z.object({ answer: z.string().max(500) }).strict();

/** Where an item is cited from, as learners see it (a link that opens the page or the heading). */
export function itemSource(item: PracticeItem, base: string): PracticeItemSource {
  const heading = item.headingPath.at(-1);
  return {
    documentId: item.documentId,
    title: item.title,
    ...(item.page !== null && { page: item.page }),
    ...(heading && { heading }),
    link: citationLink(base, item.documentId, item.page, item.headingPath),
  };
}

/** The choices of a choice item in an order fixed by its id (the key is not always first). */
export function choicesOf(item: PracticeItem): string[] {
  const all = [item.answer, ...item.distractors];
  let seed = parseInt(item.id.slice(0, 8), 16) || 1;
  for (let i = all.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

/**
 * `GET /api/practice` (items without their keys) and `POST /api/practice/:id/answer`, behind the
 * same learner access as `/api/chat` (site key, origin, rate limits). A known learner's answers
 * move their Leitner boxes on the server, and their items come due first.
 */
export function practiceRoutes(deps: AppDeps, practice: PracticeService): Hono<LearnerEnv> {
  const app = new Hono<LearnerEnv>();

  /** What this learner may practise from: their center's own and subscribed collections, narrowed by the course's or the key's list. */
  const collectionsFor = async (c: Context<LearnerEnv>, asked?: string): Promise<string[]> => {
    const { siteKey, identity } = c.get('learner');
    // null: the center sees every collection of the service (one-center deployments).
    return (
      (await questionCollections(
        deps.engine.store,
        identity?.centerId ?? learnerCenterOf(siteKey),
        asked,
        identity?.collections.length ? identity.collections : siteKey?.collections,
      )) ?? (await practice.collectionIds())
    );
  };

  app.get('/api/practice', async (c) => {
    const query = queryParams(c, practiceQuerySchema);
    const collections = await collectionsFor(c, query.collection);
    const base = deps.config.publicUrl ?? requestOrigin(c);
    // A known learner's boxes are on the server (any device); anonymous ones keep theirs in the browser.
    const items = await practice.pick(collections, query.n, c.get('learner').identity?.owner);
    return c.json({
      items: items.map((item) => ({
        id: item.id,
        type: item.type,
        prompt: item.prompt,
        ...(item.type === 'choice' && { choices: choicesOf(item) }),
        source: itemSource(item, base),
      })),
    } satisfies PracticeItemsResponse);
  });

  app.post('/api/practice/:id/answer', async (c) => {
    const body = await jsonBody(c, practiceAnswerSchema);
    const item = await practice.items.get(c.req.param('id'));
    // An item this site's learners could not have been given is "not found", not a key to read.
    if (!item || item.status === 'rejected' || !(await collectionsFor(c)).includes(item.collection)) {
      throw new AppError('not_found', 'no such practice item', { messageVi: 'Không tìm thấy câu luyện tập này.' });
    }
    const correct = isCorrectAnswer(body.answer, item.answer);
    const owner = c.get('learner').identity?.owner;
    if (owner !== undefined) await practice.boxes.record(owner, item.id, correct);
    const base = deps.config.publicUrl ?? requestOrigin(c);
    return c.json({
      correct,
      expected: item.answer,
      source: { ...itemSource(item, base), sentence: item.sentence },
    } satisfies PracticeAnswerResponse);
  });
  return app;
}
