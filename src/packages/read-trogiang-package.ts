import { createHash } from 'node:crypto';
import { detectFormat, IngestError, safeFileName } from '../ingest/index.js';
import type { ImportPlan } from './import-plan.js';
import { PackageError } from './package-error.js';
import {
  manifestPath,
  metadataJsonLdSchema,
  metadataOfJsonLd,
  metadataPath,
  packageManifestSchema,
  type ManifestDocument,
} from './package-format.js';
import type { ZipFileEntry } from './read-zip.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const shown = (s: string) => JSON.stringify(s.slice(0, 120));

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

function invalidManifest(detail: string): PackageError {
  return new PackageError(
    'invalid_manifest',
    `manifest.json is not a valid trogiang package manifest (${detail}); nothing was imported`,
    `manifest.json không phải bản kê hợp lệ của gói trogiang (${detail}); không có gì được nhập.`,
    { detail },
  );
}

function invalidMetadata(detail: string): PackageError {
  return new PackageError(
    'invalid_metadata',
    `metadata.jsonld is not valid collection metadata (${detail}); nothing was imported`,
    `metadata.jsonld không phải siêu dữ liệu hợp lệ của bộ tài liệu (${detail}); không có gì được nhập.`,
    { detail },
  );
}

/**
 * Verifies a trogiang collection package (see package-format.ts) completely, before anything is
 * stored: the manifest's format and fields, that every listed file is there with its size and
 * SHA-256 and nothing unlisted is, the JSON-LD metadata and its agreement with the manifest, safe
 * and distinct file names, and that every document is of a format trogiang reads.
 */
export function readTrogiangPackage(files: readonly ZipFileEntry[]): ImportPlan {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const manifestBytes = byName.get(manifestPath);
  if (!manifestBytes)
    throw new PackageError(
      'missing_manifest',
      'the package has no manifest.json; nothing was imported',
      'Gói không có manifest.json; không có gì được nhập.',
    );
  const json = parseJson(manifestBytes);
  if (json === undefined) throw invalidManifest('not JSON in UTF-8');
  const parsed = packageManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalidManifest(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const manifest = parsed.data;
  const metadataFiles = manifest.files.filter((f) => f.role === 'metadata');
  if (metadataFiles.length !== 1) throw invalidManifest('it must list metadata.jsonld once');
  const metadataBytes = byName.get(metadataPath);
  if (!metadataBytes)
    throw new PackageError(
      'missing_metadata',
      'the package has no metadata.jsonld; nothing was imported',
      'Gói không có metadata.jsonld; không có gì được nhập.',
    );

  const listed = new Set([manifestPath]);
  for (const file of manifest.files) {
    if (listed.has(file.path)) {
      throw new PackageError(
        'duplicate_name',
        `manifest.json lists ${shown(file.path)} twice; nothing was imported`,
        `manifest.json liệt kê ${shown(file.path)} hai lần; không có gì được nhập.`,
        { entry: file.path },
      );
    }
    listed.add(file.path);
    const bytes = byName.get(file.path);
    if (!bytes) {
      throw new PackageError(
        'missing_file',
        `manifest.json lists ${shown(file.path)}, which the package does not hold; nothing was imported`,
        `manifest.json liệt kê ${shown(file.path)} nhưng gói không có tệp này; không có gì được nhập.`,
        { entry: file.path },
      );
    }
    if (bytes.length !== file.bytes || sha256(bytes) !== file.sha256) {
      throw new PackageError(
        'checksum_mismatch',
        `${shown(file.path)} does not match its SHA-256 in manifest.json (changed or damaged); nothing was imported`,
        `${shown(file.path)} không khớp mã SHA-256 trong manifest.json (đã bị sửa hoặc hỏng); không có gì được nhập.`,
        { entry: file.path },
      );
    }
  }
  const unlisted = files.find((f) => !listed.has(f.name));
  if (unlisted) {
    throw new PackageError(
      'unlisted_file',
      `the package holds ${shown(unlisted.name)}, which manifest.json does not list; nothing was imported`,
      `Gói có tệp ${shown(unlisted.name)} không được liệt kê trong manifest.json; không có gì được nhập.`,
      { entry: unlisted.name },
    );
  }

  const jsonLd = metadataJsonLdSchema.safeParse(parseJson(metadataBytes));
  if (!jsonLd.success) {
    const issue = jsonLd.error.issues[0]!;
    throw invalidMetadata(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const metadata = metadataOfJsonLd(jsonLd.data);
  if (!metadata.ok) throw invalidMetadata(metadata.reason);
  const documents = manifest.files.filter((f): f is ManifestDocument => f.role === 'document');
  const parts = new Map(jsonLd.data.hasPart.map((p) => [p.contentUrl, p.sha256]));
  if (parts.size !== documents.length || documents.some((d) => parts.get(d.path) !== d.sha256)) {
    throw invalidMetadata('its documents (hasPart) do not match manifest.json');
  }

  for (const doc of documents) {
    // The path is the file name (listed once, above), so two documents cannot share a name.
    if (safeFileName(doc.fileName) !== doc.fileName || doc.path !== `documents/${doc.fileName}`)
      throw invalidManifest(`unsafe file name ${shown(doc.fileName)}`);
    try {
      detectFormat(byName.get(doc.path)!, doc.fileName);
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      throw new PackageError(
        'unsupported_file',
        `${shown(doc.fileName)} cannot be read by trogiang: ${error.message.replace(/\.$/, '')}; nothing was imported`,
        `${shown(doc.fileName)} không đọc được: ${error.messageVi} Không có gì được nhập.`,
        { entry: doc.path, fileReason: error.code },
      );
    }
  }
  return {
    kind: 'trogiang',
    collection: manifest.collection,
    metadata: metadata.metadata,
    documents: documents.map((d) => ({ path: d.path, fileName: d.fileName, bytes: byName.get(d.path)! })),
    skipped: [],
  };
}
