import { mkdirSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { IndexManifest, IndexSettings } from './manifest.js';
import { currentPointer, manifestOf, newSetName, setFiles, type LoadedIndexes } from './search-indexes.js';
import { digestFileAsync, type FileDigest } from './validate-index-files.js';

/** Like `fsyncDirectory`, on the thread pool. */
async function fsyncDirectoryAsync(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}

/** `writeFileAtomic` with the writes, fsync and rename on the thread pool (1 GiB per write, as there). */
async function writeFileAtomicAsync(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    const handle = await open(temporary, 'w');
    try {
      for (const bytes of parts) {
        let offset = 0;
        while (offset < bytes.length) offset += (await handle.write(bytes, offset, Math.min(bytes.length - offset, 1 << 30))).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectoryAsync(dirname(path));
}

/** `removeOtherSets` on the thread pool: the old set (tens of MB) is not unlinked on the event loop. */
async function removeOtherSetsAsync(root: string, keep: string): Promise<void> {
  for (const entry of await readdir(root)) {
    if (entry === keep || entry === currentPointer) continue;
    // A leftover is removed by the next save.
    await rm(join(root, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

/** `fsyncFile` on the thread pool. */
async function fsyncFileAsync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * `saveIndexes` (search-indexes.ts) for a running service: the same files, bytes and atomic
 * switch of `CURRENT`, but BM25 is serialised in slices (`pause` between them) and the writes,
 * fsyncs and renames go to libuv's thread pool, so the event loop serves requests meanwhile (the
 * synchronous save at the end of a 10 MB upload held it for 1.2-1.8 s on this shared machine).
 * The caller keeps every index writer and other saves out until it resolves, so the snapshot is
 * consistent; searches only read.
 */
export async function saveIndexesAsync(
  root: string,
  settings: IndexSettings,
  indexes: LoadedIndexes,
  pause: () => Promise<void>,
): Promise<IndexManifest> {
  mkdirSync(root, { recursive: true });
  const name = newSetName(indexes.generation);
  const folder = join(root, name);
  let manifest: IndexManifest;
  try {
    mkdirSync(folder, { recursive: true });
    // The caller lets nothing change the indexes until this resolves (searches may run), so the
    // files are one consistent snapshot although they are written one after another.
    await writeFileAtomicAsync(join(folder, 'bm25.bin'), await indexes.bm25.serializePartsSliced(pause));
    indexes.vectors.save(join(folder, 'vectors.hnsw'));
    await fsyncFileAsync(join(folder, 'vectors.hnsw'));
    await writeFileAtomicAsync(join(folder, 'vectors.ids.json'), [Buffer.from(JSON.stringify([...indexes.vectors.entries()]), 'utf8')]);
    if (indexes.stats) await writeFileAtomicAsync(join(folder, 'features.bin'), [indexes.stats.serialize()]);
    // Sizes and checksums, as saveIndexes records them: opening validates each file against them.
    const files: Record<string, FileDigest> = {};
    for (const file of setFiles(indexes.stats !== null)) files[file] = await digestFileAsync(join(folder, file));
    manifest = manifestOf(settings, indexes, files);
    await writeFileAtomicAsync(join(folder, 'manifest.json'), [Buffer.from(JSON.stringify(manifest, null, 2), 'utf8')]);
    await fsyncDirectoryAsync(folder);
    await writeFileAtomicAsync(join(root, currentPointer), [Buffer.from(name, 'utf8')]);
  } catch (error) {
    // As saveIndexes: a failed save (a full disk) removes its own folder.
    await rm(folder, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  await removeOtherSetsAsync(root, name);
  return manifest;
}
