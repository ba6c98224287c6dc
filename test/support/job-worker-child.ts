/**
 * A job worker process for the queue tests (issue 20 item 3): opens a PostgresStore and an Engine
 * on one schema, takes ingest and re-index jobs until SIGTERM, and prints `ready`, then
 * `job <queue> <id> <file or kind>` as it takes each job.
 * Usage: tsx job-worker-child.ts <databaseUrl> <schema> <bossSchema> <dataDir>
 */
import { Engine } from '../../src/engine/index.js';
import { loadDocument } from '../../src/ingest/index.js';
import { QueuedDocumentJobs } from '../../src/jobs/index.js';
import { PostgresStore } from '../../src/store/index.js';
import { makeTextbookPdf } from './make-fixtures.js';

const [databaseUrl, schema, bossSchema, dataDir] = process.argv.slice(2) as [string, string, string, string];
const store = await PostgresStore.open(databaseUrl, { schema, max: 4 });
// Files are read on this thread, and the PDF reader is loaded before the first job: loading it
// took 17-29 s on this loaded 2-core machine, longer than a test's job expiry.
const engine = await Engine.open({ store, dataDir, prepareOnWorkerFrom: Infinity });
await loadDocument(await makeTextbookPdf(1), 'warm-up.pdf');
const jobs = await QueuedDocumentJobs.open({
  databaseUrl,
  sql: store.sql,
  bossSchema,
  // Longer than any one file takes here under load (pg-boss 10 has no heartbeat), short enough for a quick retry.
  ingestExpireSeconds: 20,
  reindexExpireSeconds: 30,
  maintenanceSeconds: 1,
  pollSeconds: 0.5,
  warn: (message, error) => process.stderr.write(`${message}: ${(error as Error)?.message}\n`),
  onJob: (queue, id, data) => process.stdout.write(`job ${queue} ${id} ${'fileName' in data ? data.fileName : data.kind}\n`),
});
await jobs.work(engine);
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void jobs
    .close()
    .then(() => engine.close())
    .finally(() => process.exit(0));
});
