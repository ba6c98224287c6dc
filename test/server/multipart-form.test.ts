import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultipartError, readMultipartForm, type MultipartForm, type UploadedFile } from '../../src/routes/multipart-form.js';

/** A real loopback server that reads each request's body with readMultipartForm, as the upload route does. */
let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer(async (req, res) => {
    const request = new Request('http://127.0.0.1/', {
      method: 'POST',
      headers: req.headers as Record<string, string>,
      body: req as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    try {
      const form = await readMultipartForm(request);
      res.end(JSON.stringify(describeForm(form)));
    } catch (error) {
      res.statusCode = error instanceof MultipartError ? 400 : 500;
      res.end((error as Error).message);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function digest(bytes: Uint8Array): string {
  let h = 0;
  for (let i = 0; i < bytes.length; i += 997) h = (h * 31 + bytes[i]!) >>> 0;
  return `${bytes.length}:${h}`;
}
function describeForm(form: MultipartForm) {
  return Object.fromEntries(
    Object.entries(form).map(([k, v]) => [
      k,
      [v].flat().map((x) => (typeof x === 'string' ? x : { name: (x as UploadedFile).name, digest: digest((x as UploadedFile).bytes) })),
    ]),
  );
}
const patterned = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * seed + (i >> 8)) & 255);

describe('readMultipartForm', () => {
  // Both sides of the size threshold: a small form is parsed on the calling thread, a large one on the worker.
  for (const size of [2_000, 3 * 1024 * 1024]) {
    it(`reads fields, repeated file fields and odd names the same way (${size} bytes)`, async () => {
      const a = patterned(size, 7);
      const b = patterned(1234, 13);
      const form = new FormData();
      form.append('files', new Blob([a]), 'giáo trình tiếng Việt.pdf');
      form.append('files', new Blob([b]), '../../etc/ghi\u0007chu.md');
      form.append('collection', 'tin-hoc');
      const res = await fetch(url, { method: 'POST', body: form });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        files: [
          { name: 'giáo trình tiếng Việt.pdf', digest: digest(a) },
          { name: '../../etc/ghi\u0007chu.md', digest: digest(b) },
        ],
        collection: ['tin-hoc'],
      });
    }, 60_000);
  }

  it('refuses a body that is not multipart, small or large, with MultipartError', async () => {
    for (const body of ['not a form', 'x'.repeat(2 * 1024 * 1024)]) {
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'multipart/form-data; boundary=abc' } });
      expect(res.status).toBe(400);
    }
    const noBoundary = await fetch(url, { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data' } });
    expect(noBoundary.status).toBe(400);
  }, 60_000);
});
