/**
 * JSON of any size on disk, as JSON lines of bounded length: V8 cannot hold a string over
 * ≈512 MB (`JSON.stringify` of MiniSearch's or Orama's index at 100k chunks comes close or
 * over), so a value is written as its subtrees, each line at most ≈`partChars` characters unless
 * a single leaf is longer.
 *
 * Lines (after a header line `{"format":"split-json","version":1}`):
 *   ["v", path, value]          the value at `path` (a whole subtree)
 *   ["o", path] / ["a", path]   an empty object / array at `path`, filled by the lines after it
 *   ["e", path, [[key, value], …]]   entries of the container at `path`
 * `path` is the list of keys from the root ([] = the root). Reading applies the lines in order.
 * Same semantics as `JSON.stringify` (toJSON honoured, undefined and functions dropped from
 * objects, null in arrays).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

export const splitJsonFormat = { format: 'split-json', version: 1 } as const;
const defaultPartChars = 32 * 2 ** 20;

type Key = string | number;

/** `JSON.stringify(value)` when it fits in `limit` characters, else undefined (also when V8's string limit is hit). */
function stringifyWithin(value: unknown, limit: number): string | undefined {
  try {
    const s = JSON.stringify(value);
    return s === undefined || s.length > limit ? undefined : s;
  } catch (error) {
    if (error instanceof RangeError) return undefined; // "Invalid string length"
    throw error;
  }
}

const resolveJson = (value: unknown, key: Key): unknown => {
  const v = value as { toJSON?: (key: string) => unknown } | null;
  return v !== null && typeof v === 'object' && typeof v.toJSON === 'function' ? v.toJSON(String(key)) : value;
};

/**
 * Writes `value` to `path` in the split form; returns the bytes written. `splitDepth` levels from
 * the root are always split (no whole-subtree attempt), which saves stringifying a known-huge
 * top level twice.
 */
export function writeSplitJson(path: string, value: unknown, options: { partChars?: number; splitDepth?: number } = {}): number {
  const partChars = options.partChars ?? defaultPartChars;
  const splitDepth = options.splitDepth ?? 1;
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (s: string) => {
    bytes += writeSync(fd, s);
  };
  const put = (keys: Key[], raw: unknown, force: boolean) => {
    const v = resolveJson(raw, keys.length ? keys[keys.length - 1]! : '');
    if (v === null || typeof v !== 'object') {
      write(`${JSON.stringify(['v', keys, v === undefined ? null : v])}\n`);
      return;
    }
    if (!force) {
      const whole = stringifyWithin(v, partChars);
      if (whole !== undefined) {
        write(`["v",${JSON.stringify(keys)},${whole}]\n`);
        return;
      }
    }
    const isArray = Array.isArray(v);
    const pathJson = JSON.stringify(keys);
    write(`["${isArray ? 'a' : 'o'}",${pathJson}]\n`);
    let batch: string[] = [];
    let chars = 0;
    const flush = () => {
      if (!batch.length) return;
      write(`["e",${pathJson},[${batch.join(',')}]]\n`);
      batch = [];
      chars = 0;
    };
    const entries: [Key, unknown][] = isArray ? Array.from(v as unknown[], (x, i): [Key, unknown] => [i, x]) : Object.entries(v as object);
    for (const [k, rawChild] of entries) {
      const child = resolveJson(rawChild, k);
      if (child === undefined || typeof child === 'function' || typeof child === 'symbol') {
        if (isArray) batch.push(`[${k},null]`);
        continue;
      }
      const s = keys.length + 1 < splitDepth ? undefined : stringifyWithin(child, partChars);
      if (s === undefined) {
        flush();
        put([...keys, k], child, true);
        continue;
      }
      const entry = `[${JSON.stringify(k)},${s}]`;
      if (chars + entry.length > partChars) flush();
      batch.push(entry);
      chars += entry.length;
    }
    flush();
  };
  try {
    write(`${JSON.stringify(splitJsonFormat)}\n`);
    put([], value, splitDepth > 0);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** The lines of a file, read in 64 MB blocks (faster than `readline` on lines of tens of MB). */
function* lines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(64 * 2 ** 20);
    let filled = 0;
    for (;;) {
      if (filled === buf.length) {
        // A line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      filled += n;
      const view = buf.subarray(0, filled);
      let start = 0;
      for (let nl = view.indexOf(10, start); nl >= 0; nl = view.indexOf(10, start)) {
        if (nl > start) yield buf.toString('utf8', start, nl);
        start = nl + 1;
      }
      if (n === 0) {
        if (start < filled) yield buf.toString('utf8', start, filled);
        return;
      }
      buf.copy(buf, 0, start, filled);
      filled -= start;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a file written by `writeSplitJson`; throws on any other format. */
export function readSplitJson(path: string): unknown {
  const holder: { root?: unknown } = {};
  let first = true;
  const containerAt = (keys: Key[]): Record<Key, unknown> => {
    let node = holder.root as Record<Key, unknown>;
    for (const k of keys) node = node[k] as Record<Key, unknown>;
    if (node === null || typeof node !== 'object') throw new Error(`split JSON: no container at ${JSON.stringify(keys)}`);
    return node;
  };
  const set = (keys: Key[], value: unknown) => {
    if (!keys.length) holder.root = value;
    else containerAt(keys.slice(0, -1))[keys[keys.length - 1]!] = value;
  };
  for (const line of lines(path)) {
    if (first) {
      let header: { format?: string; version?: number } | undefined;
      try {
        header = JSON.parse(line) as typeof header;
      } catch {
        // not ours
      }
      if (header?.format !== splitJsonFormat.format || header.version !== splitJsonFormat.version)
        throw new Error(`${path}: not split JSON v${splitJsonFormat.version}`);
      first = false;
      continue;
    }
    const [op, keys, payload] = JSON.parse(line) as [string, Key[], unknown];
    if (op === 'v') set(keys, payload);
    else if (op === 'o') set(keys, {});
    else if (op === 'a') set(keys, []);
    else if (op === 'e') {
      const target = containerAt(keys);
      for (const [k, v] of payload as [Key, unknown][]) target[k] = v;
    } else throw new Error(`split JSON: unknown line kind ${op}`);
  }
  if (first) throw new Error(`${path}: empty`);
  return holder.root;
}
