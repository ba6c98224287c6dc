/**
 * V8's own `Array.prototype.push`, captured before pdf.js loads. The legacy pdf.js build that
 * pdf-parse uses ships core-js, which judges V8's push non-conforming on an edge case and replaces
 * it globally with a JavaScript version about 17 times slower; at 100k chunks that was a third of
 * the query time (evals/perf/PROFILES.md). Imported first by `load-pdf.ts`.
 */
export const nativePush = Array.prototype.push;

/** Puts V8's push back if pdf.js replaced it (after pdf.js loads, and after each use: its worker loads lazily). */
export function keepNativePush(): void {
  if (Array.prototype.push !== nativePush) {
    Object.defineProperty(Array.prototype, 'push', { value: nativePush, writable: true, configurable: true, enumerable: false });
  }
}
