import { Hono } from 'hono';
import { z } from 'zod';
import { blank, toGift, toMoodleXml, answerForm, type PracticeService } from '../practice/index.js';
import type { Context } from 'hono';
import { AppError } from '../server/app-error.js';
import { requestCenter } from '../server/request-center.js';
import { centerOfCollection } from '../store/index.js';
import { ownCollectionId, ownDocument, requireOwnCollection } from './center-scope.js';
import { audit } from '../server/request-actor.js';
import { jsonBody, queryParams } from '../server/validate.js';
import type { AdminResponse as R } from '../contract/index.js';

const collectionQuery = z.object({ collection: z.string().min(1).max(64) }).strict();
const generateSchema = z.object({ collection: z.string().min(1).max(64), documentId: z.string().min(1).max(200).optional() }).strict();
const exclusionSchema = z.object({ documentId: z.string().min(1).max(200), heading: z.string().min(1).max(500) }).strict();
const itemPatchSchema = z
  .object({
    status: z.enum(['approved', 'rejected', 'generated']).optional(),
    prompt: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .refine((p) => p.split(blank).length === 2, { message: `must hold the blank ${blank} exactly once` })
      .optional(),
    answer: z.string().trim().min(1).max(200).optional(),
    distractors: z.array(z.string().trim().min(1).max(200)).max(5).optional(),
    type: z.enum(['fill', 'choice']).optional(),
  })
  .strict();

const notFound = () => new AppError('not_found', 'no such practice item', { messageVi: 'Không tìm thấy câu luyện tập này.' });

/**
 * The teachers' review of practice items under `/api/admin/practice` (behind `adminAuth`), on the
 * request's center only: another center's collection, item or document is a 404.
 */
export function practiceAdminRoutes(practice: PracticeService): Hono {
  const app = new Hono();
  /** The full id of one of the request's center's collections (a slug or a full id is given). */
  const ownCollection = async (c: Context, given: string): Promise<string> => {
    const id = ownCollectionId(c, given);
    if (!(await practice.collectionIds()).includes(id))
      throw new AppError('not_found', `no collection "${given}"`, { messageVi: `Không có bộ sưu tập "${given}".` });
    return id;
  };
  const ownItem = async (c: Context, id: string) => {
    const item = await practice.items.get(id);
    if (!item || centerOfCollection(item.collection) !== requestCenter(c)) throw notFound();
    return item;
  };
  const ownDoc = async (c: Context, id: string) => {
    const doc = await ownDocument(c, practice.engine.store, id);
    if (!doc) throw new AppError('not_found', 'documentId: no such document', { field: 'documentId' });
    return doc;
  };

  app.get('/practice/items', async (c) => {
    const collection = await ownCollection(c, queryParams(c, collectionQuery).collection);
    await practice.sync(collection);
    const items = await practice.items.list(collection);
    const documents = [];
    for (const id of await practice.items.documentsWithItems(collection)) documents.push(await practice.items.source(id));
    return c.json({
      collection,
      reviewed: await practice.items.reviewed(collection),
      documents,
      exclusions: await practice.items.exclusions(requestCenter(c)),
      items: items.map(({ centerId: _c, contentHash: _h, ...item }) => item),
    } satisfies R<'GET /practice/items'>);
  });

  app.post('/practice/generate', async (c) => {
    const body = await jsonBody(c, generateSchema);
    const collection = await ownCollection(c, body.collection);
    requireOwnCollection(c.get('actor'), collection);
    if (body.documentId && (await ownDocument(c, practice.engine.store, body.documentId))?.collection !== collection) {
      throw new AppError('not_found', 'documentId: no such document', { field: 'documentId' });
    }
    const report = await practice.sync(collection, { force: !body.documentId, documentId: body.documentId });
    audit(c, 'practice.generate', body.documentId ?? collection, { collection, items: report.documents.reduce((n, d) => n + d.items, 0) });
    return c.json(report satisfies R<'POST /practice/generate'>);
  });

  app.patch('/practice/items/:id', async (c) => {
    const edit = await jsonBody(c, itemPatchSchema);
    const item = await ownItem(c, c.req.param('id'));
    requireOwnCollection(c.get('actor'), item.collection);
    const answer = edit.answer ?? item.answer;
    const distractors = edit.distractors ?? item.distractors;
    const type = edit.type ?? item.type;
    const forms = new Set([answer, ...distractors].map(answerForm));
    if (forms.size !== distractors.length + 1)
      throw new AppError('invalid_field', 'distractors: must differ from the answer and from each other', { field: 'distractors' });
    if (type === 'choice' && distractors.length < 2)
      throw new AppError('invalid_field', 'distractors: a choice item needs at least two', { field: 'distractors' });
    const updated = (await practice.items.update(item.id, edit))!;
    audit(
      c,
      `practice.${updated.status === 'edited' ? 'edit' : updated.status === 'approved' ? 'approve' : updated.status === 'rejected' ? 'reject' : 'reset'}`,
      item.id,
      { collection: item.collection },
    );
    const { centerId: _c, contentHash: _h, ...body } = updated;
    return c.json(body satisfies R<'PATCH /practice/items/:id'>);
  });

  app.post('/practice/exclusions', async (c) => {
    const body = await jsonBody(c, exclusionSchema);
    const doc = await ownDoc(c, body.documentId);
    requireOwnCollection(c.get('actor'), doc.collection);
    await practice.items.exclude(practice.centerOf(doc.collection), doc.id, body.heading);
    await practice.sync(doc.collection, { documentId: doc.id });
    audit(c, 'practice.exclude', doc.id, { heading: body.heading });
    return c.json({ exclusions: await practice.items.exclusions(requestCenter(c)) } satisfies R<'POST /practice/exclusions'>);
  });

  app.delete('/practice/exclusions', async (c) => {
    const body = await jsonBody(c, exclusionSchema);
    const doc = await ownDoc(c, body.documentId);
    requireOwnCollection(c.get('actor'), doc.collection);
    if (!(await practice.items.include(doc.id, body.heading))) throw new AppError('not_found', 'no such excluded section');
    await practice.sync(doc.collection, { documentId: doc.id });
    audit(c, 'practice.include', doc.id, { heading: body.heading });
    return c.json({ exclusions: await practice.items.exclusions(requestCenter(c)) } satisfies R<'DELETE /practice/exclusions'>);
  });

  // Approved (and edited) items only: what a teacher has vouched for goes to the Moodle question bank.
  const approved = async (collection: string) =>
    (await practice.items.list(collection)).filter((i) => i.status === 'approved' || i.status === 'edited');
  app.get('/practice/export.gift', async (c) => {
    const collection = await ownCollection(c, queryParams(c, collectionQuery).collection);
    return c.body(toGift(await approved(collection), `Trợ giảng/${collection}`), 200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="practice-${collection}.gift.txt"`,
    });
  });
  app.get('/practice/export.xml', async (c) => {
    const collection = await ownCollection(c, queryParams(c, collectionQuery).collection);
    return c.body(toMoodleXml(await approved(collection), `Trợ giảng/${collection}`), 200, {
      'content-type': 'application/xml; charset=utf-8',
      'content-disposition': `attachment; filename="practice-${collection}.xml"`,
    });
  });
  return app;
}
