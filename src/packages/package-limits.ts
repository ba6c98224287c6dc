/**
 * Limits applied while a package is read, before anything is inflated past them. A zip bomb
 * declares (or, lying, inflates to) far more bytes than it carries; these stop both.
 */
export interface PackageLimits {
  /** Most entries (files and folders) in one package (default 2,000). */
  maxEntries: number;
  /** Largest inflated entry, in bytes (default: the upload limit of one file, 50 MB). */
  maxEntryBytes: number;
  /** Largest sum of inflated entries, in bytes (default 512 MiB). */
  maxTotalBytes: number;
  /**
   * Highest inflated-to-compressed ratio of an entry over `ratioFloorBytes` (default 200: text
   * compresses 3-10 times, a page of repeated letters about 100, a bomb of zeros 1,000).
   */
  maxRatio: number;
  /** Entries smaller than this are not held to `maxRatio` (default 1 MiB). */
  ratioFloorBytes: number;
}

export const defaultPackageLimits: PackageLimits = Object.freeze({
  maxEntries: 2000,
  maxEntryBytes: 50 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxRatio: 200,
  ratioFloorBytes: 1024 * 1024,
});

/** The largest package upload accepted over HTTP, in bytes (256 MiB). */
export const maxPackageUploadBytes = 256 * 1024 * 1024;
