/**
 * Preload of every benchmark stage (`node --import tsx --import ./evals/perf/native-push.ts …`):
 * remembers V8's own `Array.prototype.push` before any of trogiang's modules load, so each row can
 * say whether it was still V8's (`native_push`). pdf-parse loads the legacy build of pdf.js, whose
 * bundled core-js replaced it process-wide with a ≈ 17× slower polyfill until trogiang started
 * keeping V8's (5c95b7a, src/ingest/native-push.ts); on an older checkout a stage given
 * `--native-push` puts it back after its imports, to measure the difference (PROFILES.md §1).
 */
(globalThis as { __nativeArrayPush?: typeof Array.prototype.push }).__nativeArrayPush = Array.prototype.push;
