import { Hono } from 'hono';
import { z } from 'zod';
import { AppError } from '../server/app-error.js';
import type { AppDeps } from '../server/app-deps.js';
import { audit } from '../server/request-actor.js';
import { requestCenter } from '../server/request-center.js';
import { jsonBody, queryParams } from '../server/validate.js';
import { collectionMetadataSchema, licenceCodes, resolveCollectionId } from '../store/index.js';
import { collectionNotFound, ownCollectionId } from './center-scope.js';
import type { AdminResponse as R } from '../contract/index.js';

const openLicences = licenceCodes.filter((l) => l !== 'center-only') as [string, ...string[]];
const publishSchema = z
  .object({
    licence: z.enum(openLicences as ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC-BY-NC-4.0']).optional(),
    attribution: collectionMetadataSchema.shape.attribution.optional(),
  })
  .strict();
const subscribeSchema = z.object({ collection: z.string().min(1).max(128) }).strict();
const catalogueQuerySchema = z.object({ q: z.string().max(200).optional() }).strict();

/**
 * Open materials shared between centers (issue 16 item 4; docs/centers.md), under `/api/admin`:
 * `POST /collections/:id/publish` `{licence?, attribution?}`, `POST /collections/:id/unpublish`,
 * `GET /catalogue?q=`, `GET|POST /subscriptions`, `DELETE /subscriptions/:collection`.
 */
export function sharingRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const store = deps.engine.store;

  app.post('/collections/:id/publish', async (c) => {
    const id = ownCollectionId(c, c.req.param('id'));
    const body = await jsonBody(c, publishSchema);
    const current = await store.collectionMetadata.get(id);
    if (!current) throw collectionNotFound(c.req.param('id'));
    const licence = body.licence ?? current.licence;
    if (licence === 'center-only') {
      throw new AppError(
        'invalid_field',
        'licence: choose an open licence (CC-BY-4.0, CC-BY-SA-4.0 or CC-BY-NC-4.0) to publish a collection',
        {
          field: 'licence',
          messageVi: 'licence: hãy chọn một giấy phép mở (CC-BY-4.0, CC-BY-SA-4.0 hoặc CC-BY-NC-4.0) để chia sẻ bộ tài liệu.',
        },
      );
    }
    const attribution = body.attribution ?? current.attribution;
    const metadata = await store.collectionMetadata.update(id, { licence: licence as 'CC-BY-4.0', attribution });
    await store.sharing.publish(id);
    audit(c, 'collection.publish', id, { licence, attribution });
    return c.json({
      collection: await store.collections.getCollection(id),
      metadata,
    } satisfies R<'POST /collections/:id/publish'>);
  });

  app.post('/collections/:id/unpublish', async (c) => {
    const id = ownCollectionId(c, c.req.param('id'));
    if (!(await store.collections.getCollection(id))) throw collectionNotFound(c.req.param('id'));
    const ended = await store.sharing.unpublish(id);
    audit(c, 'collection.unpublish', id, { subscriptionsEnded: ended });
    return c.json({
      collection: await store.collections.getCollection(id),
      subscriptionsEnded: ended,
    } satisfies R<'POST /collections/:id/unpublish'>);
  });

  app.get('/catalogue', async (c) => {
    const center = requestCenter(c);
    const query = queryParams(c, catalogueQuerySchema).q;
    const subscribed = new Set((await store.sharing.subscriptions(center)).map((s) => s.collection));
    const entries = await store.sharing.catalogue(query);
    return c.json({
      collections: entries.map((e) => ({ ...e, own: e.centerId === center, subscribed: subscribed.has(e.id) })),
    } satisfies R<'GET /catalogue'>);
  });

  app.get('/subscriptions', async (c) => {
    const center = requestCenter(c);
    const open = new Map((await store.sharing.catalogue()).map((e) => [e.id, e]));
    return c.json({
      subscriptions: (await store.sharing.subscriptions(center)).map((s) => ({
        ...s,
        open: open.has(s.collection),
        entry: open.get(s.collection) ?? null,
      })),
    });
  });

  app.post('/subscriptions', async (c) => {
    const center = requestCenter(c);
    const body = await jsonBody(c, subscribeSchema);
    const id = resolveCollectionId(center, body.collection);
    const entry = await store.sharing.openCollection(id);
    // Unknown, unpublished and another center's closed collections answer alike.
    if (!entry)
      throw new AppError('not_found', `no open collection "${body.collection}"`, {
        messageVi: `Không có bộ tài liệu mở "${body.collection}".`,
      });
    if (entry.centerId === center)
      throw new AppError('invalid_field', 'collection: this is your own collection', {
        field: 'collection',
        messageVi: 'collection: đây là bộ tài liệu của chính trung tâm bạn.',
      });
    const created = await store.sharing.subscribe(center, id);
    if (created) audit(c, 'subscription.create', id, { owner: entry.centerId, licence: entry.licence });
    return c.json({ subscription: { collection: id, entry } } satisfies R<'POST /subscriptions'>, created ? 201 : 200);
  });

  app.delete('/subscriptions/:collection', async (c) => {
    const center = requestCenter(c);
    const id = resolveCollectionId(center, c.req.param('collection'));
    if (!(await store.sharing.unsubscribe(center, id)))
      throw new AppError('not_found', 'no such subscription', { messageVi: 'Không có đăng ký này.' });
    audit(c, 'subscription.delete', id);
    return c.json({ ok: true } satisfies R<'DELETE /subscriptions/:collection'>);
  });
  return app;
}
