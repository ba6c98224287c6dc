/**
 * Benchmark-only preload (`node --import tsx --import ./evals/perf/native-push.ts …`): remembers
 * V8's own `Array.prototype.push` before any of trogiang's modules load. pdf-parse loads the legacy
 * build of pdf.js, whose bundled core-js replaces `Array.prototype.push` for the whole process
 * with a JavaScript polyfill (≈ 17× slower); a stage given `--native-push` puts V8's back after its
 * imports, to measure what trogiang would gain by doing so itself (see RESULTS.md).
 */
(globalThis as { __nativeArrayPush?: typeof Array.prototype.push }).__nativeArrayPush = Array.prototype.push;
