import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultChunkerSettings } from '../../src/chunk/index.js';
import { LocalEmbeddings } from '../../src/embed/local-embeddings.js';
import { Bm25Index, defaultBm25Params } from '../../src/indexes/bm25-index.js';
import { indexFormatVersion, manifestMismatch, type IndexManifest, type IndexSettings } from '../../src/indexes/manifest.js';
import { bm25Fields, embeddingText, loadIndexes, saveIndexes, type LoadedIndexes } from '../../src/indexes/search-indexes.js';
import { defaultHnswSettings, VectorIndex } from '../../src/indexes/vector-index.js';

const dims = 64;
const chunks = [
  { title: 'Thông báo học phí', headingPath: ['Học phí'], text: 'Học phí một tháng là 350.000 đồng.', collection: 'chung' },
  { title: 'Lịch học', headingPath: ['Buổi tối'], text: 'Lớp học buổi tối bắt đầu lúc 18 giờ.', collection: 'chung' },
  { title: 'Toán 10', headingPath: ['Chương 1', 'Mệnh đề'], text: 'Mệnh đề là câu khẳng định đúng hoặc sai.', collection: 'toan' },
  { title: 'English', headingPath: [], text: 'The tuition fee is paid monthly.', collection: 'anh' },
  { title: 'Tin học', headingPath: ['Gõ tiếng Việt'], text: 'Cài bộ gõ Unikey để gõ tiếng Việt có dấu.', collection: 'tin' },
];

const settings: IndexSettings = {
  embedderId: new LocalEmbeddings({ dimensions: dims }).id,
  dimensions: dims,
  chunker: defaultChunkerSettings,
  bm25: defaultBm25Params,
  hnsw: defaultHnswSettings,
};

function buildIndexes(generation: number): { indexes: LoadedIndexes; embedder: LocalEmbeddings } {
  const embedder = new LocalEmbeddings({ dimensions: dims });
  for (const c of chunks) embedder.observe(embeddingText(c));
  const bm25 = new Bm25Index(settings.bm25);
  const vectors = VectorIndex.create(dims, settings.hnsw);
  chunks.forEach((c, i) => {
    bm25.add(i + 1, bm25Fields(c), c.collection);
    vectors.add(i + 1, embedder.embed(embeddingText(c)), c.collection);
  });
  // One removed chunk, so the saved files hold a tombstone.
  bm25.remove(2, bm25Fields(chunks[1]!));
  vectors.remove(2);
  return { indexes: { bm25, vectors, stats: embedder.stats, generation }, embedder };
}

const queries = ['hoc phi mot thang', 'mệnh đề', 'tuition fee', 'bộ gõ tiếng Việt', 'buổi tối'];

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'trogiang-indexes-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const currentFolder = () => join(root, readFileSync(join(root, 'CURRENT'), 'utf8').trim());

describe('saveIndexes / loadIndexes', () => {
  it('round-trips both indexes, the feature statistics and the manifest', () => {
    const { indexes, embedder } = buildIndexes(7);
    const manifest = saveIndexes(root, settings, indexes);
    expect(manifest).toMatchObject({ ...settings, formatVersion: indexFormatVersion, generation: 7, chunks: 4 });
    const loaded = loadIndexes(root, settings, true);
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(loaded.manifest).toEqual(manifest);
    expect(loaded.indexes.generation).toBe(7);
    expect(loaded.indexes.bm25.size).toBe(4);
    expect(loaded.indexes.vectors.size).toBe(4);
    for (const q of queries) {
      expect(loaded.indexes.bm25.search(q, 5)).toEqual(indexes.bm25.search(q, 5));
      const v = embedder.embed(q);
      expect(loaded.indexes.vectors.search(v, 4)).toEqual(indexes.vectors.search(v, 4));
      expect(loaded.indexes.vectors.search(v, 4, new Set(['toan']))).toEqual(indexes.vectors.search(v, 4, new Set(['toan'])));
    }
    expect(loaded.indexes.stats!.serialize().equals(indexes.stats!.serialize())).toBe(true);
    expect(loaded.indexes.vectors.has(2)).toBe(false);
  });

  it('loads without statistics when they are not asked for or not saved', () => {
    const { indexes } = buildIndexes(1);
    saveIndexes(root, settings, { ...indexes, stats: null });
    expect(existsSync(join(currentFolder(), 'features.bin'))).toBe(false);
    const loaded = loadIndexes(root, settings, false);
    expect(loaded.ok && loaded.indexes.stats).toBe(null);
    const withStats = loadIndexes(root, settings, true);
    expect(withStats.ok).toBe(false);
  });

  it('reports that nothing was saved yet', () => {
    expect(loadIndexes(root, settings, false)).toEqual({ ok: false, reason: 'no saved indexes' });
    expect(loadIndexes(join(root, 'missing'), settings, false).ok).toBe(false);
  });

  it.each([
    ['bm25 k1', { bm25: { ...defaultBm25Params, k1: defaultBm25Params.k1 + 0.3 } }, /bm25/],
    ['embedder', { embedderId: 'openai:text-embedding-3-small' }, /embedder/],
    ['dimensions', { dimensions: 128 }, /dimensions/],
    ['chunk size', { chunker: { ...defaultChunkerSettings, maxChars: 800 } }, /chunker/],
  ])('refuses files built with another %s', (_name, change, reason) => {
    saveIndexes(root, settings, buildIndexes(3).indexes);
    const result = loadIndexes(root, { ...settings, ...change } as IndexSettings, true);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('keeps a graph built with other HNSW settings: it carries its own M, and ef applies on load', () => {
    const { indexes } = buildIndexes(3);
    saveIndexes(root, settings, indexes);
    const result = loadIndexes(root, { ...settings, hnsw: { m: 32, efConstruction: 50, efSearch: 20 } }, true);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.indexes.vectors.size).toBe(indexes.vectors.size);
  });

  it.each([
    ['a truncated BM25 file', () => truncateSync(join(currentFolder(), 'bm25.bin'), 30)],
    ['an empty BM25 file', () => writeFileSync(join(currentFolder(), 'bm25.bin'), '')],
    ['a missing vector graph', () => rmSync(join(currentFolder(), 'vectors.hnsw'))],
    ['a truncated vector graph', () => truncateSync(join(currentFolder(), 'vectors.hnsw'), 100)],
    ['a missing id list', () => rmSync(join(currentFolder(), 'vectors.ids.json'))],
    ['an id list that disagrees with the manifest', () => writeFileSync(join(currentFolder(), 'vectors.ids.json'), '[[1,"chung"]]')],
    ['a garbled manifest', () => writeFileSync(join(currentFolder(), 'manifest.json'), '{"formatVersion": 1, "embe')],
    ['a missing manifest', () => rmSync(join(currentFolder(), 'manifest.json'))],
    ['a truncated feature file', () => truncateSync(join(currentFolder(), 'features.bin'), 1000)],
    ['a CURRENT pointing nowhere', () => writeFileSync(join(root, 'CURRENT'), 'g9-gone')],
  ])('returns ok:false, not an exception, for %s', (_name, damage) => {
    saveIndexes(root, settings, buildIndexes(3).indexes);
    damage();
    let result: ReturnType<typeof loadIndexes> | undefined;
    expect(() => {
      result = loadIndexes(root, settings, true);
    }).not.toThrow();
    expect(result?.ok).toBe(false);
    if (result && !result.ok) expect(result.reason.length).toBeGreaterThan(0);
  });

  it('still loads the previous complete set after a save interrupted before the pointer switch', () => {
    const { indexes } = buildIndexes(4);
    saveIndexes(root, settings, indexes);
    const before = readdirSync(root).sort();
    // What a crash mid-save leaves: a new folder with some files and no manifest,
    // and a half-written temporary pointer that was never renamed over CURRENT.
    const partial = join(root, 'g5-interrupted');
    mkdirSync(partial);
    writeFileSync(join(partial, 'bm25.bin'), indexes.bm25.serialize().subarray(0, 40));
    writeFileSync(join(partial, 'vectors.hnsw.tmp-1'), 'half');
    writeFileSync(join(root, 'CURRENT.tmp-4242'), 'g5-inter');
    const loaded = loadIndexes(root, settings, true);
    if (!loaded.ok) throw new Error(loaded.reason);
    expect(loaded.manifest.generation).toBe(4);
    expect(loaded.indexes.bm25.search('học phí', 3)).toEqual(indexes.bm25.search('học phí', 3));
    // The next complete save switches over and removes the leftover folder.
    saveIndexes(root, settings, { ...buildIndexes(6).indexes });
    const after = readdirSync(root);
    expect(after).not.toContain('g5-interrupted');
    expect(after.filter((e) => !e.startsWith('CURRENT'))).toHaveLength(1);
    expect(before.filter((e) => !e.startsWith('CURRENT'))).toHaveLength(1);
    const reloaded = loadIndexes(root, settings, true);
    expect(reloaded.ok && reloaded.manifest.generation).toBe(6);
  });

  it('keeps only the newest set after several saves', () => {
    for (const generation of [1, 2, 3]) saveIndexes(root, settings, buildIndexes(generation).indexes);
    const folders = readdirSync(root).filter((e) => e !== 'CURRENT');
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^g3-/);
    const loaded = loadIndexes(root, settings, true);
    expect(loaded.ok && loaded.indexes.generation).toBe(3);
  });
});

describe('manifestMismatch', () => {
  const manifest: IndexManifest = {
    ...settings,
    formatVersion: indexFormatVersion,
    generation: 1,
    chunks: 0,
    savedAt: '2024-01-01T00:00:00Z',
    files: {},
  };

  it('accepts a manifest written with the same settings', () => {
    expect(manifestMismatch(manifest, settings)).toBeNull();
    expect(manifestMismatch(manifest, JSON.parse(JSON.stringify(settings)) as IndexSettings)).toBeNull();
  });

  it('names what changed', () => {
    expect(manifestMismatch({ ...manifest, formatVersion: indexFormatVersion + 1 }, settings)).toMatch(/format/);
    expect(manifestMismatch(manifest, { ...settings, bm25: { ...settings.bm25, exactWeight: 0 } })).toMatch(/bm25/);
    expect(manifestMismatch(manifest, { ...settings, chunker: { ...settings.chunker, overlapChars: 0 } })).toMatch(/chunker/);
  });
});
