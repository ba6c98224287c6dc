import { z } from 'zod';
import type { DocumentFormat } from '../ingest/index.js';
import { collectionIdSchema, collectionMetadataSchema, type CollectionMetadata, type DocumentRecord } from '../store/index.js';
import { licenceOfUrl, licences } from './licences.js';

/**
 * A collection package is one zip:
 *
 * - `manifest.json`: format and version, the collection, and every other file of the package
 *   with its role, size and SHA-256 (documents in the order they were first indexed, so an
 *   import weighs terms as the source did);
 * - `metadata.jsonld`: the collection and each document as schema.org `LearningResource`
 *   JSON-LD (licence URL, credit line, language, level, resource type, encoding, SHA-256);
 * - `documents/<file name>`: each document exactly as it was uploaded.
 */
export const packageFormat = 'trogiang-collection-package';
export const packageFormatVersion = 1;
export const manifestPath = 'manifest.json';
export const metadataPath = 'metadata.jsonld';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex');

export const manifestFileSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('metadata'), path: z.literal(metadataPath), bytes: z.number().int().nonnegative(), sha256 }).strict(),
  z
    .object({
      role: z.literal('document'),
      path: z.string().regex(/^documents\/[^/]+$/, 'documents/<file name>'),
      bytes: z.number().int().positive(),
      sha256,
      fileName: z.string().min(1).max(200),
      documentId: z.string().min(1).max(200),
      title: z.string().max(500),
      format: z.string().max(20),
    })
    .strict(),
]);

export const packageManifestSchema = z
  .object({
    format: z.literal(packageFormat),
    formatVersion: z.literal(packageFormatVersion),
    createdAt: z.string(),
    generator: z.string().max(100),
    collection: z.object({ id: collectionIdSchema, name: z.string().trim().min(1).max(120) }).strict(),
    files: z.array(manifestFileSchema).max(5000),
  })
  .strict();

export type PackageManifest = z.infer<typeof packageManifestSchema>;
export type ManifestDocument = Extract<PackageManifest['files'][number], { role: 'document' }>;

/** MIME types (schema.org `encodingFormat`) of the formats trogiang reads. */
export function encodingFormatOf(format: DocumentFormat | string, fileName: string): string {
  switch (format) {
    case 'pdf':
      return 'application/pdf';
    case 'docx':
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    case 'markdown':
      return 'text/markdown';
    case 'html':
      return 'text/html';
    case 'text':
      return 'text/plain';
    case 'image':
      return /\.jpe?g$/i.test(fileName) ? 'image/jpeg' : 'image/png';
    default:
      return 'application/octet-stream';
  }
}

const collectionUrn = (id: string) => `urn:trogiang:collection:${id}`;
const documentUrn = (id: string) => `urn:trogiang:document:${id}`;

/** The licence-and-description properties shared by the collection and each document. */
function describedBy(meta: CollectionMetadata): Record<string, unknown> {
  const licence = licences[meta.licence];
  return {
    ...(licence.url ? { license: licence.url } : { conditionsOfAccess: `${licence.en} / ${licence.vi}` }),
    ...(meta.attribution ? { creditText: meta.attribution } : {}),
    ...(meta.inLanguage ? { inLanguage: meta.inLanguage } : {}),
    ...(meta.educationalLevel ? { educationalLevel: meta.educationalLevel } : {}),
    ...(meta.learningResourceType ? { learningResourceType: meta.learningResourceType } : {}),
  };
}

/** One document of a package with where it sits in the zip. */
export interface PackagedDocument {
  record: DocumentRecord;
  path: string;
}

/**
 * The collection and its documents as schema.org JSON-LD: the collection is a
 * `LearningResource` + `Collection` whose `hasPart` lists each document as a `LearningResource`
 * + `MediaObject` (which gives it `contentUrl`, `encodingFormat`, `contentSize` and `sha256`).
 */
export function collectionJsonLd(
  collection: { id: string; name: string },
  meta: CollectionMetadata,
  documents: readonly PackagedDocument[],
): Record<string, unknown> {
  const modified = documents
    .map((d) => d.record.updatedAt)
    .sort()
    .at(-1);
  return {
    '@context': 'https://schema.org/',
    '@type': ['LearningResource', 'Collection'],
    '@id': collectionUrn(collection.id),
    identifier: collection.id,
    name: collection.name,
    ...(meta.description ? { description: meta.description } : {}),
    ...(meta.about.length ? { about: meta.about.map((name) => ({ '@type': 'Thing', name })) } : {}),
    ...describedBy(meta),
    ...(modified ? { dateModified: modified } : {}),
    hasPart: documents.map(({ record, path }) => ({
      '@type': ['LearningResource', 'MediaObject'],
      '@id': documentUrn(record.id),
      identifier: record.id,
      name: record.title,
      contentUrl: path,
      encodingFormat: encodingFormatOf(record.format, record.fileName),
      contentSize: String(record.bytes),
      sha256: record.contentHash,
      dateModified: record.updatedAt,
      ...describedBy(meta),
      isPartOf: { '@id': collectionUrn(collection.id) },
    })),
  };
}

const text = z.string().max(2000).optional();
const partSchema = z.object({ identifier: z.string(), name: z.string(), contentUrl: z.string(), sha256 }).passthrough();

/** What an import reads from `metadata.jsonld` (other properties are kept by the JSON-LD but not needed). */
export const metadataJsonLdSchema = z
  .object({
    '@context': z.unknown(),
    identifier: z.string(),
    name: z.string(),
    description: text,
    about: z
      .array(z.union([z.string(), z.object({ name: z.string() }).passthrough()]))
      .max(20)
      .optional(),
    license: z.string().max(300).optional(),
    creditText: text,
    inLanguage: z.string().max(35).optional(),
    educationalLevel: text,
    learningResourceType: text,
    hasPart: z.array(partSchema).max(5000),
  })
  .passthrough();

export type MetadataJsonLd = z.infer<typeof metadataJsonLdSchema>;

/**
 * The collection metadata a package carries, validated as if a teacher had typed it. A licence
 * URL that is not one of the four licences refuses the package (undefined + reason).
 */
export function metadataOfJsonLd(doc: MetadataJsonLd): { ok: true; metadata: CollectionMetadata } | { ok: false; reason: string } {
  const licence = doc.license === undefined ? 'center-only' : licenceOfUrl(doc.license);
  if (!licence) return { ok: false, reason: `unknown licence ${JSON.stringify(doc.license)}` };
  const parsed = collectionMetadataSchema.safeParse({
    licence,
    attribution: doc.creditText ?? '',
    description: doc.description ?? '',
    about: (doc.about ?? []).map((a) => (typeof a === 'string' ? a : a.name)),
    educationalLevel: doc.educationalLevel ?? '',
    learningResourceType: doc.learningResourceType ?? '',
    inLanguage: doc.inLanguage ?? '',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${issue.path.join('.')}: ${issue.message}` };
  }
  return { ok: true, metadata: parsed.data };
}
