/**
 * A comparable picture of a data folder, read from disk: every SQLite table (hashed, with row
 * counts, and documents and chunks in full so a difference is readable), the index files that
 * `CURRENT` points at (manifest and a hash of each file), and the folder's file names. Two
 * snapshots are equal only if nothing a user or the service can see has changed.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface DataFolderSnapshot {
  documents: Array<Record<string, unknown>>;
  chunks: Array<{ id: string; documentId: string; text: string }>;
  tables: Record<string, { rows: number; sha256: string }>;
  indexes: { current: string | null; manifest: unknown; files: Record<string, string> };
  files: string[];
}

const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Every file under `dir`, relative, sorted (SQLite's -wal/-shm come and go with connections). */
function listFiles(dir: string, root = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path, root) : [relative(root, path)];
    })
    .filter((p) => !/-(wal|shm)$/.test(p))
    .sort();
}

/** Reads the store through a second, read-only connection (the service may hold the first). */
export function snapshotDataFolder(dataDir: string): DataFolderSnapshot {
  const db = new Database(join(dataDir, 'trogiang.db'), { readonly: true, fileMustExist: true });
  try {
    const tables: DataFolderSnapshot['tables'] = {};
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    for (const name of names) {
      const rows = db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all() as unknown[][];
      const text = JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? sha256(v) : v));
      tables[name] = { rows: rows.length, sha256: sha256(text) };
    }
    const documents = db
      .prepare(
        'SELECT id, collection, title, file_name AS fileName, format, content_hash AS contentHash, bytes, pages, chunk_count AS chunkCount, created_at AS createdAt, updated_at AS updatedAt FROM documents ORDER BY id',
      )
      .all() as Array<Record<string, unknown>>;
    const chunks = db.prepare('SELECT id, document_id AS documentId, text FROM chunks ORDER BY seq').all() as DataFolderSnapshot['chunks'];
    const indexRoot = join(dataDir, 'indexes');
    const currentPath = join(indexRoot, 'CURRENT');
    const current = existsSync(currentPath) ? readFileSync(currentPath, 'utf8').trim() : null;
    const files: Record<string, string> = {};
    let manifest: unknown = null;
    if (current) {
      for (const file of listFiles(join(indexRoot, current))) files[file] = sha256(readFileSync(join(indexRoot, current, file)));
      manifest = JSON.parse(readFileSync(join(indexRoot, current, 'manifest.json'), 'utf8'));
    }
    return { documents, chunks, tables, indexes: { current, manifest, files }, files: listFiles(dataDir) };
  } finally {
    db.close();
  }
}
