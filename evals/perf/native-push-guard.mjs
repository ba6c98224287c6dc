/**
 * Benchmark-only preload for whole processes that cannot call `restoreNativePush` themselves
 * (the server under load): `NODE_OPTIONS=--import=<this file>`. Remembers V8's own
 * `Array.prototype.push` and, every 20 ms, puts it back if pdf.js's bundled core-js has replaced
 * it (at import, and again when the pdf.js worker module loads). Measures what trogiang would gain
 * by keeping V8's push; never used by trogiang itself.
 */
const native = Array.prototype.push;
const guard = () => {
  if (Array.prototype.push !== native) {
    Object.defineProperty(Array.prototype, 'push', { value: native, writable: true, configurable: true, enumerable: false });
  }
};
setInterval(guard, 20).unref();
