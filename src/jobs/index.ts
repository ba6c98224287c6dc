export { inProcessDocumentJobs, type DocumentJobs } from './document-jobs.js';
export { IngestStaging, type StagedFile } from './ingest-staging.js';
export {
  DocumentJobFailed,
  ingestQueue,
  QueuedDocumentJobs,
  reindexQueue,
  type IngestJobData,
  type QueuedDocumentJobsOptions,
  type ReindexJobData,
} from './queued-document-jobs.js';
export { openDocumentJobs } from './open-document-jobs.js';
