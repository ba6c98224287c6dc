/**
 * The benchmark's peer index cache (evals/perf/peer-cache.ts) and the split JSON it writes the
 * JSON indexes with (evals/perf/split-json.ts): round trips, and that nothing but an entry of
 * exactly the same key, complete and of the current format, is ever used. The keys are hnswlib's:
 * its package is a root dependency, while MiniSearch and Orama are installed only for the benchmark
 * (`npm ci --prefix evals/perf`), and the cache treats every peer alike.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openPeerCache,
  peerCacheDir,
  peerCacheFormat,
  peerCacheKey,
  writePeerCache,
  type PeerBuildFigures,
} from '../../evals/perf/peer-cache.js';
import { readSplitJson, writeSplitJson } from '../../evals/perf/split-json.js';

const root = mkdtempSync(join(tmpdir(), 'trogiang-peer-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fake corpus of `chunks` chunks (docs file + meta.json as corpus-gen.ts writes them). */
function corpus(name: string, chunks: number, text = 'x'.repeat(100)): string {
  const dir = join(root, 'corpora');
  mkdirSync(dir, { recursive: true });
  const docs = join(dir, `corpus-v1-${name}.docs.jsonl`);
  writeFileSync(docs, `${JSON.stringify({ text })}\n`);
  writeFileSync(join(dir, `corpus-v1-${name}.meta.json`), JSON.stringify({ chunks, documents: 1, version: 1 }));
  return docs;
}

const figures: PeerBuildFigures = { chunks: 1000, seconds: 12.5, chunks_per_s: 80, rss_mb: 300, build_peak_rss_mb: 350 };

describe('split JSON', () => {
  it('round-trips values whose parts are split, with JSON.stringify semantics', () => {
    class Tree {
      constructor(readonly children: Map<string, number>) {}
      toJSON() {
        return { c: [...this.children] };
      }
    }
    const value = {
      big: Array.from({ length: 5000 }, (_, i) => ({ id: i, word: `từ-${i}`, nested: { a: [i, i * 2, 'đ'] } })),
      tree: new Tree(
        new Map([
          ['a', 1],
          ['b', 2],
        ]),
      ),
      sparse: [1, undefined, 3],
      dropped: undefined,
      fn: () => 1,
      nothing: null,
      text: 'x'.repeat(3000),
      deep: { level: { more: { numbers: Array.from({ length: 2000 }, (_, i) => i / 7) } } },
    };
    const expected = JSON.parse(JSON.stringify(value)) as unknown;
    for (const [partChars, splitDepth] of [
      [200, 1],
      [10_000, 2],
      [1e9, 0],
    ] as const) {
      const file = join(root, `split-${partChars}.sjson`);
      writeSplitJson(file, value, { partChars, splitDepth });
      expect(readSplitJson(file)).toEqual(expected);
      if (partChars === 200) {
        // Parts stay small, except a single leaf longer than the limit.
        const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
        expect(lines.length).toBeGreaterThan(100);
        expect(lines.filter((l) => l.length > 400).every((l) => l.includes('x'.repeat(3000)))).toBe(true);
      }
    }
    writeSplitJson(join(root, 'scalar.sjson'), 42);
    expect(readSplitJson(join(root, 'scalar.sjson'))).toBe(42);
  });

  it('refuses files of another format', () => {
    const file = join(root, 'plain.json');
    writeFileSync(file, JSON.stringify({ documentCount: 3 }));
    expect(() => readSplitJson(file)).toThrow(/not split JSON/);
    writeFileSync(file, '{"format":"split-json","version":0}\n["v",[],1]\n');
    expect(() => readSplitJson(file)).toThrow(/not split JSON/);
  });
});

describe('peer index cache', () => {
  const peers = join(root, 'peers');
  const write = (dir: string, text = 'index') => writeFileSync(join(dir, 'index.sjson'), text);

  it('writes an entry atomically and reads it back with its build figures', () => {
    const key = peerCacheKey('hnswlib', corpus('10k', 10_000));
    expect(key.package.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(openPeerCache(peers, key)).toBeUndefined();
    const at = new Date('2026-11-29T12:10:00Z');
    const entry = writePeerCache(peers, key, figures, (dir) => write(dir), at);
    expect(readdirSync(peers).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const again = openPeerCache(peers, key)!;
    expect(again.dir).toBe(entry.dir);
    expect(again.record.build).toEqual(figures);
    expect(again.record.builtAt).toBe(at.toISOString());
    expect(readFileSync(again.file('index.sjson'), 'utf8')).toBe('index');
  });

  it('keys on the corpus size and bytes, the settings, the vectors and the format', () => {
    const key10k = peerCacheKey('hnswlib', corpus('10k', 10_000), { sha256: 'c'.repeat(64), chunks: 10_000 });
    writePeerCache(peers, key10k, figures, (dir) => write(dir));
    // The quick mode's 1k corpus: another entry, never the 10k one.
    const key1k = peerCacheKey('hnswlib', corpus('1k', 1_000), { sha256: 'c'.repeat(64), chunks: 10_000 });
    expect(peerCacheDir(peers, key1k)).not.toBe(peerCacheDir(peers, key10k));
    expect(openPeerCache(peers, key1k)).toBeUndefined();
    // Same size, regenerated with other bytes.
    expect(
      openPeerCache(peers, peerCacheKey('hnswlib', corpus('10k', 10_000, 'y'.repeat(99)), { sha256: 'c'.repeat(64), chunks: 10_000 })),
    ).toBeUndefined();
    corpus('10k', 10_000);
    // Another setting, another package version, other vectors.
    expect(openPeerCache(peers, { ...key10k, settings: { ...key10k.settings, M: 32 } })).toBeUndefined();
    expect(openPeerCache(peers, { ...key10k, package: { ...key10k.package, version: '9.9.9' } })).toBeUndefined();
    const hnsw = peerCacheKey('hnswlib', corpus('10k', 10_000), { sha256: 'a'.repeat(64), chunks: 10_000 });
    writePeerCache(peers, hnsw, figures, (dir) => write(dir));
    expect(openPeerCache(peers, { ...hnsw, vectors: { sha256: 'b'.repeat(64), chunks: 10_000 } })).toBeUndefined();
    expect(openPeerCache(peers, hnsw)).toBeDefined();
  });

  it('ignores an entry of an older format, a build.json of another key, or a file of another size', () => {
    const key = peerCacheKey('hnswlib', corpus('2k', 2_000));
    const entry = writePeerCache(peers, key, figures, (dir) => write(dir));
    const recordPath = join(entry.dir, 'build.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(recordPath, JSON.stringify({ ...record, format: peerCacheFormat - 1 }));
    expect(openPeerCache(peers, key)).toBeUndefined();
    writeFileSync(recordPath, JSON.stringify({ ...record, key: { ...key, format: peerCacheFormat - 1 } }));
    expect(openPeerCache(peers, key)).toBeUndefined();
    writeFileSync(recordPath, JSON.stringify(record));
    expect(openPeerCache(peers, key)).toBeDefined();
    write(entry.dir, 'truncated'); // another size than recorded
    expect(openPeerCache(peers, key)).toBeUndefined();
    rmSync(join(entry.dir, 'build.json'));
    expect(openPeerCache(peers, key)).toBeUndefined();
    // A rebuild replaces it.
    writePeerCache(peers, key, { ...figures, seconds: 1 }, (dir) => write(dir));
    expect(openPeerCache(peers, key)?.record.build.seconds).toBe(1);
  });

  it('removes stale entries of the same peer and size, and leaves nothing behind when the write fails', () => {
    const docs = corpus('5k', 5_000);
    const key = peerCacheKey('hnswlib', docs);
    const old = { ...key, package: { ...key.package, version: '0.0.1' } };
    writePeerCache(peers, old, figures, (dir) => write(dir));
    mkdirSync(`${peerCacheDir(peers, key)}.tmp-999999999`); // a killed run's temporary folder
    writePeerCache(peers, key, figures, (dir) => write(dir));
    expect(readdirSync(peers).filter((n) => n.startsWith('hnswlib-5k-'))).toEqual([peerCacheDir(peers, key).split('/').pop()]);
    const other = peerCacheKey('hnswlib', corpus('6k', 6_000));
    expect(() =>
      writePeerCache(peers, other, figures, () => {
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readdirSync(peers).filter((n) => n.startsWith('hnswlib-6k-'))).toEqual([]);
  });
});
