/**
 * Debug-only long-task logger, preloaded into a server process (`--import`): every event-loop gap
 * over `TRACE_STALLS_MS` (default 20 ms) is appended as a JSON line `{ endUs, ms }` to the file
 * `TRACE_STALLS_FILE`, with its end on the monotonic clock V8's CPU profiles use, so
 * `profile-stalls.ts` can name the frames that held the loop (run the server with `--cpu-prof`).
 * `bench-responsiveness.ts --trace-stalls DIR` sets all of it up; src/ knows nothing of it.
 * Plain JavaScript: the server's worker threads inherit the `--import` before tsx's hooks run there.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/p --import tsx --import ./evals/perf/trace-stalls.mjs src/server/main.ts
 */
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.TRACE_STALLS_FILE;
const overMs = Number(process.env.TRACE_STALLS_MS ?? 20);
if (isMainThread && file) {
  // A 2 ms timer: a gap is the time past its due moment, i.e. how long the loop was held.
  const everyMs = 2;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const ms = now - last - everyMs;
    if (ms > overMs)
      appendFileSync(file, `${JSON.stringify({ endUs: Number(process.hrtime.bigint() / 1000n), ms: Math.round(ms * 10) / 10 })}\n`);
    last = now;
  }, everyMs);
  timer.unref();
}
