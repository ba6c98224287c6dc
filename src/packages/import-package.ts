import { documentId, type Engine, type IngestOutcome } from '../engine/index.js';
import {
  collectionIdIn,
  collectionIdSchema,
  defaultCenterId,
  isStoreError,
  slugOfCollection,
  type CollectionMetadata,
} from '../store/index.js';
import type { ImportPlan } from './import-plan.js';
import { PackageError } from './package-error.js';
import { defaultPackageLimits, type PackageLimits } from './package-limits.js';
import { manifestPath } from './package-format.js';
import { cartridgeManifestPath, readCommonCartridge } from './read-common-cartridge.js';
import { readTrogiangPackage } from './read-trogiang-package.js';
import { readZip } from './read-zip.js';

export interface ImportOptions {
  /** The collection to import into (default: the package's own id; a cartridge's title as an id). */
  collection?: string;
  /** The center importing: without `collection`, the package's collection slug becomes this center's collection (default: the default center). */
  centerId?: string;
  limits?: PackageLimits;
  /** Told what was rolled back and why. */
  log?: (message: string) => void;
}

/** What an import did. */
export interface ImportResult {
  kind: ImportPlan['kind'];
  collection: { id: string; name: string; created: boolean };
  /** The package's metadata, applied when the import created the collection. */
  metadata: CollectionMetadata;
  metadataApplied: boolean;
  documents: Array<{ id: string; fileName: string; title: string; pages: number; chunks: number }>;
  skipped: ImportPlan['skipped'];
}

/**
 * Verifies a package whole (zip structure and limits, then a trogiang manifest and checksums or a
 * Common Cartridge manifest), without changing anything; throws a PackageError at the first problem.
 */
export async function verifyPackage(
  bytes: Uint8Array,
  options: { limits?: PackageLimits; loadLimits: Engine['limits'] },
): Promise<ImportPlan> {
  const files = await readZip(bytes, options.limits ?? defaultPackageLimits);
  const names = new Set(files.map((f) => f.name));
  if (names.has(manifestPath)) return readTrogiangPackage(files);
  if (names.has(cartridgeManifestPath)) return readCommonCartridge(files, options.loadLimits);
  throw new PackageError(
    'missing_manifest',
    'the zip has neither manifest.json (a trogiang package) nor imsmanifest.xml (an IMS Common Cartridge); nothing was imported',
    'Tệp zip không có manifest.json (gói trogiang) hay imsmanifest.xml (IMS Common Cartridge); không có gì được nhập.',
  );
}

/**
 * Imports a package into a collection: verifies everything first (`verifyPackage`), refuses
 * documents that already exist in the target (409 at the route: the teacher deletes or renames
 * first), then ingests every document through `engine.ingest`, the path of an upload (same
 * loaders, chunker, embedder, indexes). Either all documents land or none: when one fails, or
 * the ingest throws, the documents it added are removed again and a collection created for the
 * import is deleted, and the failure is thrown as a PackageError `document_failed`.
 */
export async function importPackage(engine: Engine, bytes: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  const plan = await verifyPackage(bytes, { limits: options.limits, loadLimits: engine.limits });
  // A package exported by another center names its collection `<center>.<slug>`: it lands as the importing center's `<slug>`.
  const target = options.collection ?? collectionIdIn(options.centerId ?? defaultCenterId, slugOfCollection(plan.collection.id));
  const idCheck = collectionIdSchema.safeParse(target);
  if (!idCheck.success) {
    throw new PackageError(
      'invalid_manifest',
      `collection: ${JSON.stringify(target)} is not a valid collection id (a-z, 0-9, "-", "_")`,
      `collection: ${JSON.stringify(target)} không phải mã bộ tài liệu hợp lệ (a-z, 0-9, "-", "_").`,
      { field: 'collection' },
    );
  }
  const store = engine.store;
  const existing: string[] = [];
  for (const d of plan.documents)
    if (await store.getDocument(documentId(target, d.fileName))) existing.push(documentId(target, d.fileName));
  if (existing.length > 0) {
    throw new PackageError(
      'documents_exist',
      `collection "${target}" already has ${existing.length} of the package's documents (${existing.slice(0, 3).join(', ')}); delete them or import into another collection; nothing was imported`,
      `Bộ tài liệu "${target}" đã có ${existing.length} tài liệu trùng với gói (${existing.slice(0, 3).join(', ')}); hãy xoá chúng hoặc nhập vào bộ khác; không có gì được nhập.`,
      { collection: target, documents: existing },
    );
  }

  const created = await createIfMissing(engine, target, plan);
  const items = plan.documents.map((d) => ({
    bytes: d.bytes,
    fileName: d.fileName,
    collection: target,
    ...(d.loaded && { loaded: d.loaded }),
  }));
  // Collected as they happen, so an ingest that throws half-way is still undone.
  const outcomes: IngestOutcome[] = [];
  try {
    await engine.ingest(items, (_done, _total, outcome) => outcomes.push(outcome));
  } catch (error) {
    await rollBack(engine, outcomes, target, created, options.log, (error as Error).message);
    throw error;
  }
  const failed = outcomes.find((o): o is Extract<IngestOutcome, { status: 'failed' }> => o.status === 'failed');
  if (failed) {
    await rollBack(engine, outcomes, target, created, options.log, `${failed.fileName}: ${failed.code}`);
    throw new PackageError(
      'document_failed',
      `${failed.fileName} cannot be read: ${failed.message.replace(/\.$/, '')}; the import was undone, nothing was imported`,
      `Không đọc được ${failed.fileName}: ${failed.messageVi} Việc nhập đã được hoàn tác, không có gì được nhập.`,
      { entry: failed.fileName, fileReason: failed.code },
    );
  }
  const collection = (await store.collections.getCollection(target))!;
  return {
    kind: plan.kind,
    collection: { id: target, name: collection.name, created },
    metadata: created ? plan.metadata : (await store.collectionMetadata.get(target))!,
    metadataApplied: created,
    documents: outcomes.map((o) => {
      const doc = (o as Extract<IngestOutcome, { document: unknown }>).document;
      return { id: doc.id, fileName: doc.fileName, title: doc.title, pages: doc.pages, chunks: doc.chunkCount };
    }),
    skipped: plan.skipped,
  };
}

/** Creates the target with the package's name and metadata; false when it exists (made meanwhile by another import too). */
async function createIfMissing(engine: Engine, id: string, plan: ImportPlan): Promise<boolean> {
  const store = engine.store;
  if (await store.collections.getCollection(id)) return false;
  try {
    await store.collections.createCollection(id, plan.collection.name);
  } catch (error) {
    if (isStoreError(error, 'collection_exists')) return false;
    throw error;
  }
  await store.collectionMetadata.update(id, plan.metadata);
  return true;
}

/** Takes back out what a failed import added (documents through the engine, so the indexes follow). */
async function rollBack(
  engine: Engine,
  outcomes: readonly IngestOutcome[],
  collection: string,
  created: boolean,
  log: ((m: string) => void) | undefined,
  why: string,
): Promise<void> {
  const added = outcomes.filter((o) => o.status === 'added').map((o) => (o as Extract<IngestOutcome, { document: unknown }>).document.id);
  for (const id of added) await engine.removeDocument(id);
  if (created) {
    try {
      await engine.store.collections.deleteCollection(collection);
    } catch (error) {
      // A deletion deferred behind another upload's commit, or a site key made meanwhile: the
      // empty collection stays, which changes no answer.
      log?.(`import rollback kept the empty collection "${collection}": ${(error as Error).message}`);
    }
  }
  log?.(`import into "${collection}" undone (${why}): ${added.length} added document(s) removed`);
}
