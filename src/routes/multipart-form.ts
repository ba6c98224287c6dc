import { Worker } from 'node:worker_threads';
import { IdleWorker } from '../threads/idle-worker.js';

/** A file part: its name as sent and its bytes (not a `File`: each copy of 27 MB costs here). */
export interface UploadedFile {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
}
export type FormValue = string | UploadedFile;
/** A name's repeated values become an array (as Hono's `parseBody({ all: true })`). */
export type MultipartForm = Record<string, FormValue | FormValue[]>;

/** The body is not valid multipart/form-data (no boundary, broken parts): the caller answers 400. */
export class MultipartError extends Error {}

type Entry = { name: string; value: string } | { name: string; file: { fileName: string; type: string; bytes: ArrayBuffer } };
type Reply = { ok: true; entries: Entry[] } | { ok: false; message: string };

/** Bodies from this size are parsed on the worker (a 1 MB form parses in about 10 ms here). */
const offThreadFromBytes = 1 << 20;

// Plain CommonJS run with `eval`: the same parser as on the main thread (undici's), so a form
// means the same on either side; the files' bytes are transferred back, not copied.
const workerSource = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ id, message }) => {
  try {
    const form = await new Response(message.body, { headers: { 'content-type': message.contentType } }).formData();
    const entries = [];
    const transfer = [];
    for (const [name, value] of form) {
      if (typeof value === 'string') { entries.push({ name, value }); continue; }
      const bytes = await value.arrayBuffer();
      transfer.push(bytes);
      entries.push({ name, file: { fileName: value.name, type: value.type, bytes } });
    }
    parentPort.postMessage({ id, reply: { ok: true, entries } }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, reply: { ok: false, message: String((error && error.message) || error) } });
  }
});
`;

const parser = new IdleWorker<{ body: ArrayBuffer; contentType: string }, Reply>(
  () => new Worker(workerSource, { eval: true, execArgv: [] }),
);

function collect(entries: Iterable<[string, FormValue]>): MultipartForm {
  const form: MultipartForm = {};
  for (const [name, value] of entries) {
    const before = form[name];
    form[name] = before === undefined ? value : [before, value].flat();
  }
  return form;
}

/**
 * Reads a multipart/form-data request. `Request.formData()` (undici) parses the whole body in one
 * synchronous step, 290 ms for a 27 MB PDF on an idle core, during which every request of the
 * service waits; a large body is therefore parsed on a worker thread, a small one here.
 */
export async function readMultipartForm(request: Request): Promise<MultipartForm> {
  const contentType = request.headers.get('content-type') ?? '';
  const body = await readBody(request);
  if (body.byteLength < offThreadFromBytes) {
    try {
      const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
      const entries: Array<[string, FormValue]> = [];
      for (const [name, value] of form as unknown as Iterable<[string, string | File]>) {
        entries.push([name, typeof value === 'string' ? value : { name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) }]);
      }
      return collect(entries);
    } catch (error) {
      throw new MultipartError((error as Error).message);
    }
  }
  const reply = await parser.call({ body, contentType }, [body]);
  if (!reply.ok) throw new MultipartError(reply.message);
  return collect(
    reply.entries.map((e): [string, FormValue] => [
      e.name,
      'value' in e ? e.value : { name: e.file.fileName, bytes: new Uint8Array(e.file.bytes) },
    ]),
  );
}

/**
 * The body's bytes, copied chunk by chunk into one buffer of the announced length as they
 * arrive (`Request.arrayBuffer()` joins them in one step at the end: another 27 MB copy into
 * fresh memory on this thread). Node's parser ends the body at its Content-Length.
 */
async function readBody(request: Request): Promise<ArrayBuffer> {
  const length = Number(request.headers.get('content-length'));
  if (!request.body || !Number.isSafeInteger(length) || length <= 0) return request.arrayBuffer();
  const buffer = new Uint8Array(length);
  let at = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    if (at + chunk.length > length) throw new MultipartError('the body is longer than its Content-Length');
    buffer.set(chunk, at);
    at += chunk.length;
  }
  return at === length ? buffer.buffer : buffer.slice(0, at).buffer;
}
