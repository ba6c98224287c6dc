/**
 * Stable codes of a refused package; the messages are for people. Every refusal happens before
 * anything is stored, or after what was stored has been taken back out.
 */
export type PackageErrorCode =
  | 'not_a_zip'
  | 'truncated_zip'
  | 'too_many_entries'
  | 'too_large'
  | 'zip_bomb'
  | 'unsafe_path'
  | 'symlink_entry'
  | 'encrypted_entry'
  | 'unsupported_compression'
  | 'duplicate_name'
  | 'missing_manifest'
  | 'missing_metadata'
  | 'invalid_manifest'
  | 'invalid_metadata'
  | 'missing_file'
  | 'unlisted_file'
  | 'checksum_mismatch'
  | 'unsupported_file'
  | 'no_documents'
  | 'documents_exist'
  | 'document_failed';

/** A package refused, with a plain reason in English and Vietnamese and what it concerns. */
export class PackageError extends Error {
  override readonly name = 'PackageError';
  constructor(
    readonly code: PackageErrorCode,
    message: string,
    readonly messageVi: string,
    /** Machine-readable context: the entry, the limit, the documents involved. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isPackageError(error: unknown): error is PackageError {
  return error instanceof PackageError;
}
