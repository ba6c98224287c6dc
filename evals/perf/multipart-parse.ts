/**
 * How long does reading an upload's multipart body hold the event loop? Builds a form with one
 * file (default 27 MB, the size of the responsiveness bench's 2,000-page PDF), sends it as a
 * chunked stream, and reads it both ways in turn: `Request.formData()` on this thread (what Hono's
 * `parseBody` does) and `readMultipartForm` (src/routes/multipart-form.ts: the parse on a worker).
 * A 1 ms timer records the longest gap of the event loop during each read. Medians over the rounds.
 *
 *   npx tsx evals/perf/multipart-parse.ts [--mb 27] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { readMultipartForm } from '../../src/routes/multipart-form.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '27' }, rounds: { type: 'string', default: '5' } } });
const bytes = Math.round(Number(values.mb) * 1024 * 1024);
const form = new FormData();
form.append('files', new Blob([Uint8Array.from({ length: bytes }, (_, i) => (i * 7 + (i >> 9)) & 255)]), 'giáo trình.pdf');
form.append('collection', 'bench');
const sample = new Request('http://bench/', { method: 'POST', body: form });
const body = new Uint8Array(await sample.arrayBuffer());
const contentType = sample.headers.get('content-type')!;

/** The body as a network would deliver it: 64 KB chunks, one per turn of the event loop. */
function streamed(): Request {
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (at >= body.length) return controller.close();
      controller.enqueue(body.slice(at, (at += 65_536)));
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  return new Request('http://bench/', {
    method: 'POST',
    body: stream,
    headers: { 'content-type': contentType, 'content-length': String(body.length) },
    duplex: 'half',
  } as RequestInit);
}

async function longestGap(read: () => Promise<unknown>): Promise<{ ms: number; gap: number }> {
  let gap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await read();
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 20)); // the timer's first turn after the read
  clearInterval(timer);
  return { ms, gap };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Record<string, { ms: number[]; gap: number[] }> = {
  'Request.formData()': { ms: [], gap: [] },
  readMultipartForm: { ms: [], gap: [] },
};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, read] of [
    ['Request.formData()', () => streamed().formData()],
    ['readMultipartForm', () => readMultipartForm(streamed())],
  ] as const) {
    const { ms, gap } = await longestGap(read);
    rows[name]!.ms.push(ms);
    rows[name]!.gap.push(gap);
  }
}
for (const [name, r] of Object.entries(rows)) {
  console.log(
    JSON.stringify({
      bench: 'multipart-parse',
      reader: name,
      mb: Number(values.mb),
      rounds: r.ms.length,
      median_ms: Math.round(median(r.ms)),
      median_longest_gap_ms: Math.round(median(r.gap)),
    }),
  );
}
process.exit(0);
