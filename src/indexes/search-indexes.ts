import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Chunk } from '../chunk/index.js';
import { FeatureStats } from '../embed/feature-stats.js';
import { Bm25Index } from './bm25-index.js';
import { fsyncDirectory, fsyncFile, readWholeFile, writeFileAtomic } from './atomic-write.js';
import { checkDigest, digestFile, type FileDigest } from './validate-index-files.js';
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

export const currentPointer = 'CURRENT';
/** The name of a saved set's folder: `g<generation>-<time in base 36>`. */
const setName = /^g\d+-[0-9a-z]+$/;

/**
 * Saves both indexes (and the local embedder's IDF statistics) into a fresh folder, with a
 * manifest recording each file's size and SHA-256, then switches the `CURRENT` pointer to it by
 * an atomic rename; older folders are removed after. A crash at any point leaves the previous
 * complete set in place; a failed save (a full disk) removes its own folder and throws.
 */
export function saveIndexes(root: string, settings: IndexSettings, indexes: LoadedIndexes): IndexManifest {
  mkdirSync(root, { recursive: true });
  const name = newSetName(indexes.generation);
  const folder = join(root, name);
  let manifest: IndexManifest;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileAtomic(join(folder, 'bm25.bin'), indexes.bm25.serializeParts());
    indexes.vectors.save(join(folder, 'vectors.hnsw'));
    fsyncFile(join(folder, 'vectors.hnsw'));
    writeFileAtomic(join(folder, 'vectors.ids.json'), JSON.stringify([...indexes.vectors.entries()]));
    if (indexes.stats) writeFileAtomic(join(folder, 'features.bin'), indexes.stats.serialize());
    const files: Record<string, FileDigest> = {};
    for (const file of setFiles(indexes.stats !== null)) files[file] = digestFile(join(folder, file));
    manifest = manifestOf(settings, indexes, files);
    writeFileAtomic(join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
    fsyncDirectory(folder);
    writeFileAtomic(join(root, currentPointer), name);
  } catch (error) {
    // Before, a failed save left its half-written folder (on a full disk, holding the space that ran out).
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // Report the save's own error.
    }
    throw error;
  }
  removeOtherSets(root, name);
  return manifest;
}

/** A new set's folder name: `g<generation>-<time in base 36>`. */
export const newSetName = (generation: number): string => `g${generation}-${Date.now().toString(36)}`;

/** The manifest of a set whose files were just written, with their digests (written last). */
export function manifestOf(settings: IndexSettings, indexes: LoadedIndexes, files: Record<string, FileDigest>): IndexManifest {
  return {
    ...settings,
    formatVersion: indexFormatVersion,
    generation: indexes.generation,
    chunks: indexes.bm25.size,
    savedAt: new Date().toISOString(),
    files,
  };
}

/** The files of a set, in the order they are checked. */
export function setFiles(withStats: boolean): string[] {
  return ['bm25.bin', 'vectors.ids.json', 'vectors.hnsw', ...(withStats ? ['features.bin'] : [])];
}

/** Removes every entry but the current set and its pointer: older sets, folders of crashed or failed saves. */
export function removeOtherSets(root: string, keep: string): void {
  for (const entry of readdirSync(root)) {
    if (entry === keep || entry === currentPointer) continue;
    try {
      rmSync(join(root, entry), { recursive: true, force: true });
    } catch {
      // A leftover is removed by the next save.
    }
  }
}

/** Why the saved indexes cannot be loaded, or the loaded indexes. */
export type LoadResult = { ok: true; indexes: LoadedIndexes; manifest: IndexManifest } | { ok: false; reason: string };

/**
 * The set `CURRENT` points at, checked without loading it: pointer, manifest, settings, and each
 * file's size and SHA-256 against the manifest. Nothing here hands a byte to native code.
 */
export function verifyIndexSet(
  root: string,
  settings: IndexSettings,
  withStats: boolean,
): { ok: true; folder: string; manifest: IndexManifest } | { ok: false; reason: string } {
  const pointer = join(root, currentPointer);
  if (!existsSync(pointer)) return { ok: false, reason: 'no saved indexes' };
  let folder: string;
  let manifest: IndexManifest;
  try {
    const name = readFileSync(pointer, 'utf8').trim();
    if (!setName.test(name)) return { ok: false, reason: 'the CURRENT pointer is damaged' };
    folder = join(root, name);
    if (!existsSync(join(folder, 'manifest.json'))) return { ok: false, reason: `the saved set ${name} has no manifest` };
    manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as IndexManifest;
  } catch (error) {
    return { ok: false, reason: `the index manifest is unreadable (${(error as Error).message})` };
  }
  const mismatch = manifestMismatch(manifest, settings);
  if (mismatch) return { ok: false, reason: mismatch };
  if (
    !Number.isInteger(manifest.generation) ||
    !Number.isInteger(manifest.chunks) ||
    typeof manifest.files !== 'object' ||
    manifest.files === null
  ) {
    return { ok: false, reason: 'the index manifest is incomplete' };
  }
  try {
    for (const file of setFiles(withStats)) checkDigest(join(folder, file), manifest.files[file]);
  } catch (error) {
    return { ok: false, reason: `invalid index file: ${(error as Error).message}` };
  }
  return { ok: true, folder, manifest };
}

/**
 * Loads the set `CURRENT` points at, if it exists, was built with the same settings and passes
 * every check: checksums first (verifyIndexSet), then the graph file's structure
 * (validateHnswFile, inside HnswGraph.load) before hnswlib reads it, then the counts.
 */
export function loadIndexes(root: string, settings: IndexSettings, withStats: boolean): LoadResult {
  const verified = verifyIndexSet(root, settings, withStats);
  if (!verified.ok) return verified;
  const { folder, manifest } = verified;
  try {
    const bm25 = Bm25Index.deserialize(readWholeFile(join(folder, 'bm25.bin')), settings.bm25);
    const ids = JSON.parse(readFileSync(join(folder, 'vectors.ids.json'), 'utf8')) as Array<[number, string]>;
    if (!Array.isArray(ids) || ids.length !== manifest.chunks) return { ok: false, reason: 'index files disagree with their manifest' };
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
