import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from '../chunk/index.js';
import { FeatureStats } from '../embed/feature-stats.js';
import { Bm25Index } from './bm25-index.js';
import { fsyncDirectory, fsyncFile, readWholeFile, writeFileAtomic } from './atomic-write.js';
import { indexFormatVersion, manifestMismatch, type IndexManifest, type IndexSettings } from './manifest.js';
import { VectorIndex } from './vector-index.js';

/** The searchable fields of a chunk, as both indexes see them. */
export type IndexableChunk = Pick<Chunk, 'title' | 'headingPath' | 'text' | 'collection'>;

/** The text the embedder sees for a chunk: title, heading path and body. */
export function embeddingText(chunk: Pick<Chunk, 'title' | 'headingPath' | 'text'>): string {
  return [chunk.title, chunk.headingPath.join(' › '), chunk.text].filter(Boolean).join('\n');
}

export function bm25Fields(chunk: IndexableChunk) {
  return { title: chunk.title, headings: chunk.headingPath.join(' '), text: chunk.text };
}

/** Loaded indexes and the store generation they reflect. */
export interface LoadedIndexes {
  bm25: Bm25Index;
  vectors: VectorIndex;
  stats: FeatureStats | null;
  generation: number;
}

const currentPointer = 'CURRENT';

/**
 * Saves both indexes (and the local embedder's IDF statistics) into a fresh folder, then
 * switches the `CURRENT` pointer to it by an atomic rename; older folders are removed after.
 * A crash at any point leaves the previous complete set in place.
 */
export function saveIndexes(
  root: string,
  settings: IndexSettings,
  indexes: LoadedIndexes,
): IndexManifest {
  mkdirSync(root, { recursive: true });
  const name = `g${indexes.generation}-${Date.now().toString(36)}`;
  const folder = join(root, name);
  mkdirSync(folder, { recursive: true });
  writeFileAtomic(join(folder, 'bm25.bin'), indexes.bm25.serializeParts());
  indexes.vectors.save(join(folder, 'vectors.hnsw'));
  fsyncFile(join(folder, 'vectors.hnsw'));
  writeFileAtomic(join(folder, 'vectors.ids.json'), JSON.stringify([...indexes.vectors.entries()]));
  if (indexes.stats) writeFileAtomic(join(folder, 'features.bin'), indexes.stats.serialize());
  const manifest: IndexManifest = {
    ...settings,
    formatVersion: indexFormatVersion,
    generation: indexes.generation,
    chunks: indexes.bm25.size,
    savedAt: new Date().toISOString(),
  };
  writeFileAtomic(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
  fsyncDirectory(folder);
  writeFileAtomic(join(root, currentPointer), name);
  for (const entry of readdirSync(root)) {
    if (entry !== name && entry !== currentPointer && !entry.startsWith(`${currentPointer}.tmp`)) {
      rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
  return manifest;
}

/** Why the saved indexes cannot be loaded, or the loaded indexes. */
export type LoadResult = { ok: true; indexes: LoadedIndexes; manifest: IndexManifest } | { ok: false; reason: string };

/** Loads the set `CURRENT` points at, if it exists and was built with the same settings. */
export function loadIndexes(root: string, settings: IndexSettings, withStats: boolean): LoadResult {
  const pointer = join(root, currentPointer);
  if (!existsSync(pointer)) return { ok: false, reason: 'no saved indexes' };
  try {
    const folder = join(root, readFileSync(pointer, 'utf8').trim());
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as IndexManifest;
    const mismatch = manifestMismatch(manifest, settings);
    if (mismatch) return { ok: false, reason: mismatch };
    const bm25 = Bm25Index.deserialize(readWholeFile(join(folder, 'bm25.bin')), settings.bm25);
    const ids = JSON.parse(readFileSync(join(folder, 'vectors.ids.json'), 'utf8')) as Array<[number, string]>;
    const vectors = VectorIndex.load(join(folder, 'vectors.hnsw'), settings.dimensions, settings.hnsw, ids);
    const stats = withStats ? FeatureStats.deserialize(readFileSync(join(folder, 'features.bin'))) : null;
    if (bm25.size !== manifest.chunks || vectors.size !== manifest.chunks) {
      return { ok: false, reason: 'index files disagree with their manifest' };
    }
    return { ok: true, indexes: { bm25, vectors, stats, generation: manifest.generation }, manifest };
  } catch (error) {
    return { ok: false, reason: `unreadable index files (${(error as Error).message})` };
  }
}
