/** Small measuring helpers shared by the benchmark's stages (each stage is its own process). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from '../../src/eval/index.js';

/** One measurement: printed as one JSON line on stdout, collected by `run-bench.ts`. */
export type Row = Record<string, string | number | boolean | null>;

export function emit(row: Row): void {
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

export function note(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}

/** Peak resident set of this process so far, in MiB (VmHWM; falls back to maxRSS). */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 2 ** 20);
}

/** Total size of a file or folder, in bytes. */
export function diskBytes(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += diskBytes(join(path, entry));
  return total;
}

export const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** p50/p95/p99 and mean of latencies in milliseconds. */
export function latencyStats(ms: readonly number[]): { p50_ms: number; p95_ms: number; p99_ms: number; mean_ms: number } {
  const mean = ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : 0;
  return {
    p50_ms: round(percentile(ms, 50), 3),
    p95_ms: round(percentile(ms, 95), 3),
    p99_ms: round(percentile(ms, 99), 3),
    mean_ms: round(mean, 3),
  };
}

/** Parses `--key value` pairs of a stage's command line. */
export function stageArgs(): Map<string, string> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args.set(a.slice(2), 'true');
    else {
      args.set(a.slice(2), next);
      i++;
    }
  }
  return args;
}

export function requireArg(args: Map<string, string>, key: string): string {
  const v = args.get(key);
  if (v === undefined) throw new Error(`missing --${key}`);
  return v;
}

/** Runs queries until `count` are done or `budgetMs` has passed; returns how many ran. */
export async function timeBoxed<T>(
  items: readonly T[],
  budgetMs: number,
  run: (item: T, index: number) => Promise<void> | void,
): Promise<{ ran: number; timedOut: boolean }> {
  const started = performance.now();
  let ran = 0;
  for (const item of items) {
    if (performance.now() - started > budgetMs) return { ran, timedOut: true };
    await run(item, ran);
    ran++;
  }
  return { ran, timedOut: false };
}

/** `1` for each question whose gold chunk is in the top 10, else `0`, as a compact string. */
export function hitString(hits: readonly boolean[]): string {
  return hits.map((h) => (h ? '1' : '0')).join('');
}

/**
 * Whether `Array.prototype.push` is still V8's own (pdf.js's legacy build replaces it when
 * trogiang's ingest modules load). Needs the `native-push.ts` preload to know; null without it.
 */
export function pushIsNative(): boolean | null {
  const native = (globalThis as { __nativeArrayPush?: typeof Array.prototype.push }).__nativeArrayPush;
  return native ? Array.prototype.push === native : null;
}

/** Puts V8's `Array.prototype.push` back (needs the `native-push.ts` preload); true when it did. */
export function restoreNativePush(): boolean {
  const native = (globalThis as { __nativeArrayPush?: typeof Array.prototype.push }).__nativeArrayPush;
  if (!native || Array.prototype.push === native) return false;
  Object.defineProperty(Array.prototype, 'push', { value: native, writable: true, configurable: true, enumerable: false });
  return true;
}
