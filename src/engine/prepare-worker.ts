/**
 * Worker thread that reads uploaded files (prepare-off-thread.ts): parse, normalise, chunk and
 * extract features, one request at a time, and send the result back.
 */
import { parentPort } from 'node:worker_threads';
import { featureListBuffers } from '../embed/feature-list.js';
import { IngestError } from '../ingest/index.js';
import { prepareContent, type PrepareRequest } from './prepare-content.js';
import type { PrepareReply } from './prepare-off-thread.js';

const port = parentPort!;

port.on('message', async ({ id, message: request }: { id: number; message: PrepareRequest }) => {
  let reply: PrepareReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const content = await prepareContent(request);
    reply = { ok: true, content };
    if (content.features) transfer = featureListBuffers(content.features);
  } catch (error) {
    const e = error as Error;
    reply =
      error instanceof IngestError
        ? { ok: false, ingestError: { code: error.code, message: error.message, messageVi: error.messageVi } }
        : { ok: false, message: e?.message ?? String(error) };
  }
  port.postMessage({ id, reply }, transfer);
});
