import { Readable } from 'node:stream';
import { Hono, type Context } from 'hono';
import { exportCollection, importPackage, isPackageError } from '../packages/index.js';
import type { AppDeps } from '../server/app-deps.js';
import { AppError } from '../server/app-error.js';
import { jsonBody, parseWith } from '../server/validate.js';
import { MultipartError, readMultipartForm, type MultipartForm, type UploadedFile } from './multipart-form.js';
import { requestCenter } from '../server/request-center.js';
import { ownCollectionId } from './center-scope.js';
import {
  collectionIdSchema,
  collectionMetadataPatchSchema,
  collectionMetadataSchema,
  defaultCollectionMetadata,
  isStoreError,
} from '../store/index.js';

/** The path of the import route, which takes a package upload rather than JSON (create-app sets its body limit). */
export const importPackagePath = '/api/admin/collections/import';

const notFound = (id: string) => new AppError('not_found', `no collection "${id}"`, { messageVi: `Không có bộ tài liệu "${id}".` });

/** Multipart fields of an import; anything else is refused. */
const importFields = new Set(['package', 'collection']);

async function readImportForm(c: Context): Promise<{ bytes: Uint8Array; collection?: string }> {
  if (!/^multipart\/form-data/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError('unsupported_media_type', 'send the package as multipart/form-data (field "package")', {
      messageVi: 'Hãy gửi gói dưới dạng multipart/form-data (trường "package").',
    });
  }
  let form: MultipartForm;
  try {
    form = await readMultipartForm(c.req.raw);
  } catch (error) {
    if (!(error instanceof MultipartError)) throw error;
    throw new AppError('bad_request', 'the upload is not valid multipart/form-data: send the zip in a field named "package"', {
      messageVi: 'Dữ liệu tải lên không đúng dạng multipart/form-data: hãy gửi tệp zip trong trường "package".',
    });
  }
  const unknown = Object.keys(form).filter((name) => !importFields.has(name));
  if (unknown.length > 0) {
    throw new AppError('invalid_field', `unknown field(s): ${unknown.join(', ')}; send "package" and optionally "collection"`, {
      field: unknown[0],
      messageVi: `Trường không hợp lệ: ${unknown.join(', ')}. Chỉ gửi "package" và (tuỳ chọn) "collection".`,
    });
  }
  const files = [form.package].flat().filter((f): f is UploadedFile => f !== undefined && typeof f !== 'string');
  if (files.length !== 1)
    throw new AppError('invalid_field', 'package: attach exactly one .zip or .imscc file', {
      field: 'package',
      messageVi: 'package: hãy đính kèm đúng một tệp .zip hoặc .imscc.',
    });
  const field = form.collection;
  const collection = typeof field === 'string' && field.trim() ? parseWith(collectionIdSchema, field.trim(), 'collection') : undefined;
  return { bytes: files[0]!.bytes, ...(collection && { collection }) };
}

/**
 * Collection metadata and packages, under `/api/admin` (mounted by adminRoutes):
 * `GET|PUT|PATCH /collections/:id/metadata`, `GET /collections/:id/package` (a zip) and
 * `POST /collections/import` (multipart `package`, optional `collection`).
 */
export function collectionPackageRoutes(deps: AppDeps): Hono {
  const app = new Hono();
  const engine = deps.engine;
  const store = engine.store;

  /** A collection of the request's center, by slug or full id; 404 otherwise (another center's included). */
  const own = (c: Context) => ownCollectionId(c, c.req.param('id') ?? '');
  const metadataOf = async (id: string) => {
    const collection = await store.collections.getCollection(id);
    const metadata = await store.collectionMetadata.get(id);
    if (!collection || !metadata) throw notFound(id);
    return { collection: { id: collection.id, name: collection.name }, metadata };
  };
  const update = async (id: string, patch: Parameters<typeof store.collectionMetadata.update>[1]) => {
    try {
      await store.collectionMetadata.update(id, patch);
    } catch (error) {
      if (isStoreError(error, 'collection_not_found')) throw notFound(id);
      throw error;
    }
    return metadataOf(id);
  };

  app.get('/collections/:id/metadata', async (c) => c.json(await metadataOf(own(c))));
  // PUT replaces every field (those left out go back to their defaults); PATCH changes those given.
  app.put('/collections/:id/metadata', async (c) => {
    const body = await jsonBody(c, collectionMetadataSchema.partial().strict());
    return c.json(await update(own(c), { ...defaultCollectionMetadata, ...body }));
  });
  app.patch('/collections/:id/metadata', async (c) => {
    const id = own(c);
    return c.json(await update(id, await jsonBody(c, collectionMetadataPatchSchema)));
  });

  app.get('/collections/:id/package', async (c) => {
    const id = own(c);
    const exported = await exportCollection(store, id, { generator: 'trogiang' });
    if (!exported) throw notFound(id);
    deps.logger.info({ collection: c.req.param('id'), documents: exported.manifest.files.length - 1 }, 'collection exported');
    return new Response(Readable.toWeb(exported.stream) as ReadableStream, {
      headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${exported.fileName}"` },
    });
  });

  app.post('/collections/import', async (c) => {
    const form = await readImportForm(c);
    try {
      const centerId = requestCenter(c);
      const collection = form.collection && ownCollectionId(c, form.collection);
      const result = await importPackage(engine, form.bytes, {
        centerId,
        ...(collection && { collection }),
        log: (m) => deps.logger.warn(m),
      });
      deps.logger.info({ collection: result.collection.id, kind: result.kind, documents: result.documents.length }, 'package imported');
      return c.json(result, 201);
    } catch (error) {
      // The error map (src/server/error-map.ts) turns the refusal into its response.
      if (isPackageError(error)) deps.logger.info({ reason: error.code }, 'package refused');
      throw error;
    }
  });
  return app;
}
