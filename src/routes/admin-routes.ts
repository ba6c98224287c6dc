import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { answerQuestion, type AnswerEvent } from '../answer/index.js';
import type { IngestOutcome } from '../engine/index.js';
import { inProcessDocumentJobs } from '../jobs/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { audit } from '../server/request-actor.js';
import { uploadFailed } from '../server/error-response.js';
import { requestOrigin } from '../server/request-origin.js';
import { jsonBody, parseWith, queryParams } from '../server/validate.js';
import {
  centerOfCollection,
  learnerCollections,
  resolveCollectionId,
  siteKeyInputSchema,
  siteKeyPatchSchema,
  type QuestionsFilter,
} from '../store/index.js';
import { requestCenter } from '../server/request-center.js';
import {
  collectionNotFound,
  documentNotFound,
  ownCollectionId,
  ownDocument,
  questionCollections,
  requireOwnCollection,
} from './center-scope.js';
import { citationLink } from './links.js';
import { collectionPackageRoutes } from './collection-package-routes.js';
import { MultipartError, readMultipartForm, type MultipartForm, type UploadedFile } from './multipart-form.js';
import { sharingRoutes } from './sharing-routes.js';
import { verifiedAnswerRoutes, withValidity } from './verified-answer-routes.js';
import { verifiedAnswersFor } from '../verified/index.js';
import { ocrProgressTracker, OcrPageStore } from '../ocr/index.js';
import { questionsCsv } from './questions-csv.js';
import { collectionCreateSchema, collectionRenameSchema, questionsQuerySchema } from './schemas.js';
import type { AdminResponse as R, UploadResult } from '../contract/index.js';

function outcomeBody(o: IngestOutcome): UploadResult {
  return o.status === 'failed'
    ? { fileName: o.fileName, status: o.status, code: o.code, message: o.message, messageVi: o.messageVi }
    : {
        fileName: o.fileName,
        status: o.status,
        documentId: o.document.id,
        title: o.document.title,
        pages: o.document.pages,
        chunks: o.document.chunkCount,
        // Pages read by OCR (scans), and those read with low confidence, so the teacher can check them.
        ...(o.status !== 'unchanged' &&
          o.ocr && { ocrPages: o.ocr.pages.length, lowConfidencePages: o.ocr.pages.filter((p) => p.lowConfidence).map((p) => p.page) }),
      };
}

/** Multipart fields of an upload; anything else is refused. */
const uploadFields = new Set(['files', 'file', 'collection']);

/**
 * The multipart form of an upload. The body is already bounded by the upload body limit; a body
 * that is not valid multipart (no boundary, no parts, JSON sent as multipart) is the client's
 * mistake, so a 400 with a reason rather than the parser's TypeError as a 500.
 */
async function readUploadForm(c: Context): Promise<MultipartForm> {
  try {
    return await readMultipartForm(c.req.raw);
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    throw new AppError('bad_request', 'the upload is not valid multipart/form-data: send the files as form fields named "files"', {
      messageVi: 'Dữ liệu tải lên không đúng dạng multipart/form-data: hãy gửi tệp trong trường "files".',
    });
  }
}

const tryQuestionSchema = z
  .object({
    question: z.string().trim().min(1).max(2000),
    collection: z.string().min(1).max(128).optional(),
    k: z.number().int().min(1).max(20).default(8),
  })
  .strict();
const statsQuerySchema = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }).strict();

/** The teachers' API under `/api/admin/*` (the caller mounts `adminAuth` in front). */
export function adminRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  // Listening from now on: a scanned upload's first pages are reported before anyone asks.
  ocrProgressTracker();
  const engine = deps.engine;
  const store = engine.store;
  // Uploads and re-indexing: this process's engine, or jobs any replica takes (issue 20 item 3).
  const jobs = deps.documentJobs ?? inProcessDocumentJobs(engine);

  // With their validity dates and status today (issue 18): expired ones stay listed, marked.
  app.get('/documents', async (c) => {
    const center = requestCenter(c);
    const validity = verifiedAnswersFor(engine, { now: deps.now });
    // Pages read by OCR, and those a teacher should check (docs/ocr.md).
    const ocr = await new OcrPageStore(store.sql).all();
    const dated = await validity.validity.dated();
    const today = validity.today();
    return c.json({
      documents: (await store.listDocuments())
        .filter((d) => centerOfCollection(d.collection) === center)
        .map((d) => ({ ...withValidity(d, dated.get(d.id), today), ocr: ocr.get(d.id) ?? null })),
    } satisfies R<'GET /documents'>);
  });
  // OCR progress of the center's scanned uploads being read: pages done of total (docs/ocr.md).
  app.get('/ocr-progress', (c) => {
    const center = requestCenter(c);
    const files = ocrProgressTracker()
      .list()
      .filter((e) => centerOfCollection(e.collection) === center);
    return c.json({
      files: files.map(({ documentId, collection, fileName, done, total }) => ({ documentId, collection, fileName, done, total })),
    } satisfies R<'GET /ocr-progress'>);
  });
  // Verified answers, documents' validity dates, what expires soon (docs/curation.md).
  app.route('/', verifiedAnswerRoutes(deps));

  app.post('/documents', async (c) => {
    if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
      throw new AppError('unsupported_media_type', 'upload files as multipart/form-data (field "files")', {
        messageVi: 'Hãy gửi tệp dưới dạng multipart/form-data (trường "files").',
      });
    }
    const form = await readUploadForm(c);
    // A misspelt field ("colection") would otherwise upload silently into the default collection.
    const unknown = Object.keys(form).filter((name) => !uploadFields.has(name));
    if (unknown.length > 0) {
      throw new AppError('invalid_field', `unknown field(s): ${unknown.join(', ')}; send "files" and optionally "collection"`, {
        field: unknown[0],
        messageVi: `Trường không hợp lệ: ${unknown.join(', ')}. Chỉ gửi "files" và (tuỳ chọn) "collection".`,
      });
    }
    const collectionField = form.collection;
    const asked = typeof collectionField === 'string' && collectionField.trim() ? collectionField.trim() : deps.config.defaultCollection;
    parseWith(collectionCreateSchema.shape.id, asked, 'collection');
    // A slug is the center's own collection (created on first upload); another center's id is a 404.
    const collection = ownCollectionId(c, asked);
    requireOwnCollection(c.get('actor'), collection);
    const raw = [form.files, form.file].flat().filter((f): f is UploadedFile => f !== undefined && typeof f !== 'string');
    if (raw.length === 0)
      throw new AppError('invalid_field', 'files: attach at least one file', {
        field: 'files',
        messageVi: 'files: hãy đính kèm ít nhất một tệp.',
      });
    if (raw.length > 50)
      throw new AppError('invalid_field', 'files: at most 50 files per upload', {
        field: 'files',
        messageVi: 'files: mỗi lần tải lên tối đa 50 tệp.',
      });
    // The engine makes each name safe (no path, no control characters); see `safeFileName`.
    const items = raw.map((f) => ({ bytes: f.bytes, fileName: f.name, collection }));
    const outcomes = await jobs.ingest(items);
    const results = outcomes.map(outcomeBody);
    for (const o of outcomes) {
      if (o.status === 'added' || o.status === 'replaced')
        audit(c, `document.${o.status === 'added' ? 'add' : 'replace'}`, o.document.id, {
          fileName: o.fileName,
          title: o.document.title,
          collection,
        });
    }
    deps.logger.info({ files: results.length, failed: outcomes.filter((o) => o.status === 'failed').length, collection }, 'upload');
    if (outcomes.every((o) => o.status === 'failed')) {
      throw uploadFailed(outcomes[0] as Extract<IngestOutcome, { status: 'failed' }>, results);
    }
    return c.json({ results } satisfies R<'POST /documents'>);
  });

  app.get('/documents/:id', async (c) => {
    const doc = await ownDocument(c, store, c.req.param('id'));
    if (!doc) throw documentNotFound();
    const chunks = (await store.chunksOfDocument(doc.id)).map((ch) => ({
      id: ch.id,
      ordinal: ch.ordinal,
      headingPath: ch.headingPath,
      pageStart: ch.pageStart,
      pageEnd: ch.pageEnd,
      lang: ch.lang,
      text: ch.text,
    }));
    return c.json({ document: doc, chunks } satisfies R<'GET /documents/:id'>);
  });

  app.delete('/documents/:id', async (c) => {
    const doc = await ownDocument(c, store, c.req.param('id'));
    if (doc) requireOwnCollection(c.get('actor'), doc.collection);
    if (!doc || !(await engine.removeDocument(doc.id))) throw documentNotFound();
    // A deletion asked for during another upload's commit waits for it: answer once it is done,
    // so no answer sent after this response cites the document (faults-concurrency.test.ts).
    await engine.deletionsApplied();
    audit(c, 'document.delete', doc.id, { fileName: doc.fileName, title: doc.title, collection: doc.collection });
    return c.json({ ok: true } satisfies R<'DELETE /documents/:id'>);
  });

  app.post('/documents/:id/reindex', async (c) => {
    const doc = await ownDocument(c, store, c.req.param('id'));
    if (doc) requireOwnCollection(c.get('actor'), doc.collection);
    const outcome = doc && (await jobs.reindexDocument(doc.id));
    if (!outcome) throw documentNotFound();
    audit(c, 'document.reindex', doc!.id, { fileName: doc!.fileName, status: outcome.status });
    return c.json({ result: outcomeBody(outcome) } satisfies R<'POST /documents/:id/reindex'>);
  });

  app.post('/reindex', async (c) => {
    const center = requestCenter(c);
    const results = (await jobs.reindexCenter(center)).map(outcomeBody);
    audit(c, 'document.reindex_all', null, { documents: results.length, failed: results.filter((r) => r.status === 'failed').length });
    return c.json({ results } satisfies R<'POST /reindex'>);
  });

  app.get('/collections', async (c) =>
    c.json({ collections: await store.collections.listCollections(requestCenter(c)) } satisfies R<'GET /collections'>),
  );
  // Metadata, export and import of collections (src/packages); before `/collections/:id`.
  app.route('/', collectionPackageRoutes(deps));
  // Publishing, the catalogue of open collections and subscriptions (docs/centers.md).
  app.route('/', sharingRoutes(deps));
  app.post('/collections', async (c) => {
    const body = await jsonBody(c, collectionCreateSchema);
    const collection = await store.collections.createCollection(ownCollectionId(c, body.id), body.name);
    audit(c, 'collection.create', collection.id, { name: collection.name });
    return c.json({ collection }, 201);
  });
  app.patch('/collections/:id', async (c) => {
    const body = await jsonBody(c, collectionRenameSchema);
    const collection = await store.collections.renameCollection(ownCollectionId(c, c.req.param('id')), body.name);
    audit(c, 'collection.rename', collection.id, { name: collection.name });
    return c.json({ collection });
  });
  app.delete('/collections/:id', async (c) => {
    const id = ownCollectionId(c, c.req.param('id'));
    await store.collections.deleteCollection(id);
    audit(c, 'collection.delete', id);
    return c.json({ ok: true });
  });

  app.get('/site-keys', async (c) => c.json({ siteKeys: await store.siteKeys.list(requestCenter(c)) } satisfies R<'GET /site-keys'>));
  /** A site key of the request's center; 404 for another center's, as for an unknown key. */
  const ownSiteKey = async (c: Context) => {
    const key = await store.siteKeys.get(c.req.param('key') ?? '');
    if (!key || key.centerId !== requestCenter(c))
      throw new AppError('not_found', 'no such site key', { messageVi: 'Không có khoá trang này.' });
    return key;
  };
  /** A key's collections as full ids, each visible to the center (its own or subscribed). */
  const keyCollections = async (c: Context, asked: string[] | undefined) => {
    if (asked === undefined) return undefined;
    const center = requestCenter(c);
    const visible = await learnerCollections(store.sharing, center);
    return asked.map((given) => {
      const id = resolveCollectionId(center, given);
      if (!visible.includes(id)) throw collectionNotFound(given);
      return id;
    });
  };
  app.post('/site-keys', async (c) => {
    // Strict at the route: an unknown field ("admin": true, a misspelt "allowedOrigin") was dropped silently and the key created anyway.
    const body = await jsonBody(c, siteKeyInputSchema.strict());
    const siteKey = await store.siteKeys.create({ ...body, collections: await keyCollections(c, body.collections) }, requestCenter(c));
    audit(c, 'site_key.create', siteKey.key, {
      title: siteKey.title,
      allowedOrigins: siteKey.allowedOrigins,
      collections: siteKey.collections,
    });
    return c.json({ siteKey } satisfies R<'POST /site-keys'>, 201);
  });
  app.get('/site-keys/:key', async (c) => c.json({ siteKey: await ownSiteKey(c) }));
  app.patch('/site-keys/:key', async (c) => {
    const body = await jsonBody(c, siteKeyPatchSchema.strict());
    const current = await ownSiteKey(c);
    const collections = await keyCollections(c, body.collections);
    const siteKey = await store.siteKeys.update(current.key, { ...body, ...(collections && { collections }) });
    audit(c, 'site_key.update', siteKey.key, { changed: Object.keys(body) });
    return c.json({ siteKey } satisfies R<'PATCH /site-keys/:key'>);
  });
  app.delete('/site-keys/:key', async (c) => {
    if (!(await store.siteKeys.delete((await ownSiteKey(c)).key))) throw new AppError('not_found', 'no such site key');
    audit(c, 'site_key.delete', c.req.param('key'));
    return c.json({ ok: true } satisfies R<'DELETE /site-keys/:key'>);
  });

  const questionsFilter = (c: Context, q: z.infer<typeof questionsQuerySchema>): QuestionsFilter => ({
    centerId: requestCenter(c),
    ...(q.unanswered ? { unanswered: q.unanswered === 'true' } : {}),
    ...(q.thumbsDown ? { thumbsDown: q.thumbsDown === 'true' } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.collection ? { collection: resolveCollectionId(requestCenter(c), q.collection) } : {}),
    limit: q.limit,
    offset: q.offset,
  });
  app.get('/questions', async (c) =>
    c.json(
      (await store.conversations.questionsLog(questionsFilter(c, queryParams(c, questionsQuerySchema)))) satisfies R<'GET /questions'>,
    ),
  );
  app.get('/questions.csv', async (c) => {
    const filter = questionsFilter(
      c,
      queryParams(c, questionsQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(100_000).default(100_000) })),
    );
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="cau-hoi-${new Date().toISOString().slice(0, 10)}.csv"`);
    return c.body(questionsCsv(await store.conversations.questionsForExport(filter)));
  });
  app.get('/stats', async (c) =>
    c.json(
      (await store.conversations.stats({
        days: queryParams(c, statsQuerySchema).days,
        centerId: requestCenter(c),
      })) satisfies R<'GET /stats'>,
    ),
  );

  // Try a question: what it retrieves, with scores and matched terms, and the answer learners would get.
  app.post('/try', async (c) => {
    const body = await jsonBody(c, tryQuestionSchema);
    // What this center's learners would get: its own and subscribed collections.
    const collections = await questionCollections(store, requestCenter(c), body.collection);
    const retrieval = await engine.retrieve(body.question, { k: body.k, collections });
    const base = deps.config.publicUrl ?? requestOrigin(c);
    const events = answerQuestion(
      { question: body.question, history: [], collections },
      { retrieve: (q, o) => engine.retrieve(q, o), idf: engine.idf, chat: deps.chat, timeoutMs: deps.config.llm?.timeoutMs ?? 20_000 },
    );
    let done: Extract<AnswerEvent, { type: 'done' }> | undefined;
    for await (const event of events) if (event.type === 'done') done = event;
    return c.json({
      answerability: retrieval.answerability,
      answerable: retrieval.answerable,
      results: retrieval.results.map((r, i) => ({
        rank: i + 1,
        chunkId: r.chunk.id,
        documentId: r.chunk.documentId,
        title: r.chunk.title,
        headingPath: r.chunk.headingPath,
        page: r.chunk.pageStart,
        text: r.chunk.text,
        score: r.score,
        bm25Score: r.bm25Score,
        vectorScore: r.vectorScore,
        matchedTerms: r.matchedTerms,
        link: citationLink(base, r.chunk.documentId, r.chunk.pageStart, r.chunk.headingPath),
      })),
      answer: done ? { text: done.answer, citations: done.citations, mode: done.mode, answerable: done.answerable } : null,
    } satisfies R<'POST /try'>);
  });
  return app;
}
