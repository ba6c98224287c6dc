import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDirectory, writeFileAtomic } from '../indexes/index.js';

const databaseName = 'trogiang.db';
const filesTable = 'trogiang_backup_files';

/** The index set `CURRENT` points at, as name → bytes (read before the store is copied). */
function readCurrentIndexes(dataDir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const root = join(dataDir, 'indexes');
  const pointer = join(root, 'CURRENT');
  if (!existsSync(pointer)) return files;
  const name = readFileSync(pointer, 'utf8').trim();
  const folder = join(root, name);
  if (!existsSync(folder)) return files;
  files.set('indexes/CURRENT', Buffer.from(name));
  for (const entry of readdirSync(folder)) {
    if (statSync(join(folder, entry)).isFile()) files.set(`indexes/${name}/${entry}`, readFileSync(join(folder, entry)));
  }
  return files;
}

/**
 * Writes a consistent backup of a data folder into one file, while the service runs: the index
 * files are read first, then SQLite's online backup copies the store (never older than the
 * indexes, so opening the restored folder replays the change log or rebuilds). The backup is a
 * SQLite file; the index files travel in an extra table.
 */
export async function backupDataFolder(dataDir: string, file: string): Promise<{ bytes: number; indexFiles: number }> {
  const source = join(dataDir, databaseName);
  if (!existsSync(source)) throw new Error(`${dataDir} has no ${databaseName}: nothing to back up`);
  const indexFiles = readCurrentIndexes(dataDir);
  const temporary = `${file}.tmp-${process.pid}`;
  rmSync(temporary, { force: true });
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(temporary);
  } finally {
    db.close();
  }
  const out = new Database(temporary);
  try {
    out.exec(`CREATE TABLE ${filesTable} (name TEXT PRIMARY KEY, bytes BLOB NOT NULL)`);
    const insert = out.prepare(`INSERT INTO ${filesTable} (name, bytes) VALUES (?, ?)`);
    out.transaction(() => {
      for (const [name, bytes] of indexFiles) insert.run(name, bytes);
    })();
    out.pragma('journal_mode = DELETE'); // one self-contained file
  } finally {
    out.close();
  }
  // Switching the journal mode above checkpointed and synced the file; the rename itself must
  // reach the disk too, or a power cut soon after "backed up" leaves no file under the final name.
  renameSync(temporary, file);
  fsyncDirectory(dirname(file));
  return { bytes: statSync(file).size, indexFiles: indexFiles.size };
}

/**
 * Restores a backup into a data folder (which must not be in use): the store and the index set
 * are written beside the old ones and swapped in; the old folder is kept as `<dataDir>.before-restore`.
 */
export function restoreDataFolder(file: string, dataDir: string): { indexFiles: number } {
  if (!existsSync(file)) throw new Error(`no backup file ${file}`);
  const staging = `${dataDir}.restoring-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const backup = new Database(file, { readonly: true, fileMustExist: true });
  let indexFiles = 0;
  try {
    const hasFiles = backup.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(filesTable);
    if (!hasFiles) throw new Error(`${file} is not a trogiang backup`);
    for (const row of backup.prepare(`SELECT name, bytes FROM ${filesTable}`).iterate() as IterableIterator<{ name: string; bytes: Buffer }>) {
      if (!/^indexes\/[\w.-]+(\/[\w.-]+)?$/.test(row.name)) throw new Error(`unexpected file ${row.name} in the backup`);
      mkdirSync(dirname(join(staging, row.name)), { recursive: true });
      writeFileAtomic(join(staging, row.name), row.bytes);
      indexFiles++;
    }
  } finally {
    backup.close();
  }
  const copy = new Database(file, { readonly: true });
  try {
    // The backup's own copy of itself, minus the files table, becomes the store.
    copy.exec(`VACUUM INTO '${join(staging, databaseName).replace(/'/g, "''")}'`);
  } finally {
    copy.close();
  }
  const store = new Database(join(staging, databaseName));
  store.exec(`DROP TABLE ${filesTable}`);
  store.close();
  // The DROP's commit synced the store file; its entry in the staging folder must be on disk too
  // before the swap below, which is itself synced: a power cut must not revert a finished restore.
  fsyncDirectory(staging);
  // The admin token is a setting of this installation, not of the backup.
  if (existsSync(join(dataDir, 'admin-token'))) writeFileAtomic(join(staging, 'admin-token'), readFileSync(join(dataDir, 'admin-token')));
  const previous = `${dataDir}.before-restore`;
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(dataDir)) renameSync(dataDir, previous);
  renameSync(staging, dataDir);
  fsyncDirectory(dirname(dataDir));
  return { indexFiles };
}
