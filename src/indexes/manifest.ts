import type { ChunkerSettings } from '../chunk/index.js';
import type { Bm25Params } from './bm25-index.js';
import type { FileDigest } from './validate-index-files.js';
import type { HnswSettings } from './vector-index.js';

/**
 * Bumped whenever the files' layout changes; an older folder is rebuilt from the store.
 * 2: the manifest records each file's size and SHA-256, and graphs hold no delete marks (sets
 * written before, by the version whose graph could crash, are rebuilt once).
 * 3: BM25 postings partitioned by collection (bm25-index.ts); older sets are rebuilt once.
 */
export const indexFormatVersion = 3;

/** What the saved indexes were built with. A different embedder, chunker or BM25 setting rebuilds. */
export interface IndexSettings {
  embedderId: string;
  dimensions: number;
  chunker: ChunkerSettings;
  bm25: Bm25Params;
  hnsw: HnswSettings;
}

/** Written beside the index files, last, so its presence means the files are complete. */
export interface IndexManifest extends IndexSettings {
  formatVersion: number;
  /** The store's change generation the files reflect. */
  generation: number;
  chunks: number;
  savedAt: string;
  /** Size and SHA-256 of each file in the set, checked before any of them is read. */
  files: Record<string, FileDigest>;
}

/** Why a manifest cannot be used with these settings, or null when it can. */
export function manifestMismatch(manifest: IndexManifest, settings: IndexSettings): string | null {
  if (typeof manifest !== 'object' || manifest === null) return 'the manifest is not an object';
  if (manifest.formatVersion !== indexFormatVersion) return `index format ${manifest.formatVersion} ≠ ${indexFormatVersion}`;
  if (manifest.embedderId !== settings.embedderId) return `embedder ${manifest.embedderId} ≠ ${settings.embedderId}`;
  if (manifest.dimensions !== settings.dimensions) return `dimensions ${manifest.dimensions} ≠ ${settings.dimensions}`;
  // HNSW settings are not compared: a saved graph keeps the M it was built with, efConstruction
  // only matters while building, and efSearch is applied when the graph is loaded.
  for (const key of ['chunker', 'bm25'] as const) {
    if (JSON.stringify(manifest[key]) !== JSON.stringify(settings[key])) return `${key} settings changed`;
  }
  return null;
}
