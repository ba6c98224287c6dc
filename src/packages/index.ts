/**
 * Collection packages between deployments: export a collection as one zip (documents as
 * uploaded, schema.org JSON-LD metadata, a manifest with SHA-256 checksums) and import such a
 * package, or an IMS Common Cartridge (.imscc), through the normal ingest path, all or nothing.
 */
export { exportCollection, type CollectionExport } from './export-collection.js';
export { importPackage, verifyPackage, type ImportOptions, type ImportResult } from './import-package.js';
export type { ImportPlan, PlannedDocument } from './import-plan.js';
export { isPackageError, PackageError, type PackageErrorCode } from './package-error.js';
export { defaultPackageLimits, maxPackageUploadBytes, type PackageLimits } from './package-limits.js';
export {
  collectionJsonLd,
  encodingFormatOf,
  manifestPath,
  metadataPath,
  packageFormat,
  packageFormatVersion,
  type PackageManifest,
} from './package-format.js';
export { licenceOfUrl, licences } from './licences.js';
export { readZip, type ZipFileEntry } from './read-zip.js';
