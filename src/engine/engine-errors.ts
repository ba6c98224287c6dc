import type { IngestErrorCode } from '../ingest/index.js';

/**
 * Stable failure codes the engine adds to the ingest layer's: `storage_full`, a file the disk had
 * no room for (its transaction was rolled back). `src/server/error-map.ts` gives each its status.
 */
export const engineErrorCodes = ['storage_full'] as const;

/** One of `engineErrorCodes`. */
export type EngineErrorCode = (typeof engineErrorCodes)[number];

/** Why one file of an ingest failed: the loaders' reason or the engine's. */
export type IngestFailureCode = IngestErrorCode | EngineErrorCode;

/** The outcome of a file the disk had no room for. */
export const diskFullFailure = {
  code: 'storage_full',
  message: "the server's disk is full: the file was not stored and nothing changed; free some space and upload it again",
  messageVi: 'Ổ đĩa của máy chủ đã đầy: tệp chưa được lưu và không có gì thay đổi; hãy giải phóng dung lượng rồi tải lên lại.',
} as const satisfies { code: EngineErrorCode; message: string; messageVi: string };
