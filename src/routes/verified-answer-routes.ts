import { Hono, type Context } from 'hono';
import { actorName } from '../auth/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { requestCenter } from '../server/request-center.js';
import { audit } from '../server/request-actor.js';
import { jsonBody, queryParams } from '../server/validate.js';
import { centerOfCollection } from '../store/index.js';
import { documentNotFound, ownCollectionId, ownDocument, requireOwnCollection } from './center-scope.js';
import type { DocumentRecord, DocumentValidity, VerifiedAnswer } from '../store/index.js';
import { addDays, validityStatus, verifiedAnswersFor, type VerifiedAnswers } from '../verified/index.js';
import {
  documentValidityPatchSchema,
  expiringQuerySchema,
  verifiedAnswerCreateSchema,
  verifiedAnswerPatchSchema,
} from './verified-schemas.js';
import type { AdminDocument, AdminResponse as R, ShownVerifiedAnswer } from '../contract/index.js';

const notFound = () => new AppError('not_found', 'no such verified answer', { messageVi: 'Không có câu trả lời đã xác nhận này.' });

/** A verified answer as the API shows it: with its status today. */
const shown = (a: VerifiedAnswer, today: string): ShownVerifiedAnswer => ({ ...a, status: validityStatus(a, today) });

/** A document with its validity dates and status today, as the admin page lists it. */
async function documentWithValidity(service: VerifiedAnswers, doc: DocumentRecord, today = service.today()): Promise<AdminDocument> {
  return withValidity(doc, await service.validity.get(doc.id), today);
}

/** `documentWithValidity` from dates already read (a list reads them all in one query, `validity.dated()`). */
export function withValidity(doc: DocumentRecord, v: DocumentValidity | undefined, today: string): AdminDocument {
  const validity = {
    validFrom: v?.validFrom ?? null,
    validUntil: v?.validUntil ?? null,
    lastChecked: v?.lastChecked ?? null,
    replaces: v?.replaces ?? null,
  };
  return { ...doc, ...validity, status: validityStatus(validity, today) };
}

/**
 * Verified answers (`/verified-answers`), documents' validity (`PATCH /documents/:id`) and what
 * expires soon (`/expiring`), under `/api/admin` (docs/curation.md). Every read and write is in
 * the center the request acts for ({@link requestCenter}).
 */
export function verifiedAnswerRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const service = verifiedAnswersFor(deps.engine, { now: deps.now });
  const store = deps.engine.store;
  const by = (c: Context) => actorName(c.get('actor') ?? { kind: 'token' });
  const center = (c: Context) => requestCenter(c);
  /** Checks the collections and document named, and gives the collections as the center's full ids (another center's is a 404). */
  const checkTargets = async <T extends { collections?: string[] | undefined; documentId?: string | null | undefined }>(
    c: Context,
    body: T,
  ): Promise<T> => {
    const collections = body.collections?.map((given) => ownCollectionId(c, given));
    for (const collection of collections ?? []) requireOwnCollection(c.get('actor'), collection);
    if (body.documentId && !(await ownDocument(c, store, body.documentId))) {
      throw new AppError('invalid_field', 'documentId: no such document', { field: 'documentId' });
    }
    return collections ? { ...body, collections } : body;
  };

  app.get('/verified-answers', async (c) => {
    const today = service.today();
    return c.json({
      verifiedAnswers: (await service.answers.list(center(c))).map((a) => shown(a, today)),
    } satisfies R<'GET /verified-answers'>);
  });

  app.post('/verified-answers', async (c) => {
    const body = await checkTargets(c, await jsonBody(c, verifiedAnswerCreateSchema));
    const created = await service.answers.create(center(c), body, by(c));
    audit(c, 'verified_answer.add', created.id, { question: created.question });
    return c.json(shown(created, service.today()), 201);
  });

  app.get('/verified-answers/:id', async (c) => {
    const found = await service.answers.get(center(c), c.req.param('id'));
    if (!found) throw notFound();
    return c.json(shown(found, service.today()));
  });

  app.patch('/verified-answers/:id', async (c) => {
    const id = c.req.param('id');
    const existing = await service.answers.get(center(c), id);
    if (!existing) throw notFound();
    const body = await checkTargets(c, await jsonBody(c, verifiedAnswerPatchSchema));
    const from = body.validFrom === undefined ? existing.validFrom : body.validFrom;
    const until = body.validUntil === undefined ? existing.validUntil : body.validUntil;
    if (from && until && from > until)
      throw new AppError('invalid_field', 'validUntil: must not be before validFrom', { field: 'validUntil' });
    const updated = (await service.answers.update(center(c), id, body, by(c)))!;
    audit(c, 'verified_answer.update', id, { fields: Object.keys(body) });
    return c.json(shown(updated, service.today()));
  });

  app.delete('/verified-answers/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await service.answers.remove(center(c), id))) throw notFound();
    audit(c, 'verified_answer.delete', id);
    return c.json({ ok: true } satisfies R<'DELETE /verified-answers/:id'>);
  });

  app.patch('/documents/:id', async (c) => {
    const doc = await ownDocument(c, store, c.req.param('id'));
    if (!doc) throw documentNotFound();
    requireOwnCollection(c.get('actor'), doc.collection);
    const body = await jsonBody(c, documentValidityPatchSchema);
    if (body.replaces !== undefined && body.replaces !== null) {
      if (body.replaces === doc.id)
        throw new AppError('invalid_field', 'replaces: a document cannot replace itself', { field: 'replaces' });
      if (!(await ownDocument(c, store, body.replaces)))
        throw new AppError('invalid_field', 'replaces: no such document', { field: 'replaces' });
    }
    const current = (await service.validity.get(doc.id))!;
    const from = body.validFrom === undefined ? current.validFrom : body.validFrom;
    const until = body.validUntil === undefined ? current.validUntil : body.validUntil;
    if (from && until && from > until)
      throw new AppError('invalid_field', 'validUntil: must not be before validFrom', { field: 'validUntil' });
    await service.validity.update(doc.id, body);
    audit(c, 'document.validity', doc.id, body);
    return c.json({ document: await documentWithValidity(service, doc) });
  });

  app.get('/expiring', async (c) => {
    const { days } = queryParams(c, expiringQuerySchema);
    const today = service.today();
    const until = addDays(today, days);
    const soon = (v: { validUntil: string | null }) => v.validUntil !== null && v.validUntil >= today && v.validUntil <= until;
    const byDate = (a: { validUntil: string | null }, b: { validUntil: string | null }) => a.validUntil!.localeCompare(b.validUntil!);
    const dated = await service.validity.dated();
    const documents = (await store.listDocuments())
      .filter((d) => centerOfCollection(d.collection) === center(c))
      .map((d) => withValidity(d, dated.get(d.id), today))
      .filter(soon)
      .sort(byDate);
    const verifiedAnswers = (await service.answers.list(center(c)))
      .filter(soon)
      .sort(byDate)
      .map((a) => shown(a, today));
    return c.json({ today, until, documents, verifiedAnswers } satisfies R<'GET /expiring'>);
  });

  return app;
}
