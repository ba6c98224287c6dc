import Database from 'better-sqlite3';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDirectory, writeFileAtomic } from '../indexes/index.js';
import { sqliteFileName } from '../store/index.js';

const databaseName = sqliteFileName;
/** Index files, in parts: SQLite refuses a BLOB over 1 GB, and the BM25 file passes that at ~300k chunks. */
const partsTable = 'trogiang_backup_file_parts';
/** The format before parts (one BLOB per file): still restored. */
const legacyFilesTable = 'trogiang_backup_files';
const defaultPartBytes = 64 << 20;

/** An index file to back up: an open descriptor, or (the small `CURRENT` pointer) bytes already read. */
type IndexFile = { name: string } & ({ fd: number; size: number } | { bytes: Buffer });

/**
 * Opens every file of the index set `CURRENT` points at, before the store is copied. An open
 * descriptor keeps reading the set it opened even if a save replaces it meanwhile (files are
 * renamed into place, never rewritten), so nothing has to be held in memory. A save that removes
 * the set between reading `CURRENT` and opening its files is met by reading `CURRENT` again.
 */
function openCurrentIndexes(dataDir: string): IndexFile[] {
  const root = join(dataDir, 'indexes');
  const pointer = join(root, 'CURRENT');
  if (!existsSync(pointer)) return [];
  for (let attempt = 1; ; attempt++) {
    const files: IndexFile[] = [];
    try {
      const name = readFileSync(pointer, 'utf8').trim();
      files.push({ name: 'indexes/CURRENT', bytes: Buffer.from(name) });
      const folder = join(root, name);
      for (const entry of readdirSync(folder)) {
        const fd = openSync(join(folder, entry), 'r');
        const stat = fstatSync(fd);
        if (stat.isFile()) files.push({ name: `indexes/${name}/${entry}`, fd, size: stat.size });
        else closeSync(fd);
      }
      return files;
    } catch (error) {
      closeIndexFiles(files);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 5) throw error;
    }
  }
}

function closeIndexFiles(files: readonly IndexFile[]): void {
  for (const file of files) if ('fd' in file) closeSync(file.fd);
}

/** A file's bytes in parts of at most `partBytes`, read one at a time into the same buffer. */
function* partsOf(file: IndexFile, partBytes: number): Generator<Buffer> {
  if ('bytes' in file) {
    yield file.bytes;
    return;
  }
  const buffer = Buffer.allocUnsafe(Math.min(partBytes, Math.max(file.size, 1)));
  let offset = 0;
  do {
    const length = Math.min(buffer.length, file.size - offset);
    let filled = 0;
    while (filled < length) {
      const read = readSync(file.fd, buffer, filled, length - filled, offset + filled);
      if (read === 0) throw new Error(`${file.name} ended after ${offset + filled} of ${file.size} bytes`);
      filled += read;
    }
    yield buffer.subarray(0, length);
    offset += length;
  } while (offset < file.size);
}

/**
 * Writes a consistent backup of a data folder into one file, while the service runs: the index
 * files are opened first, then SQLite's online backup copies the store (never older than the
 * indexes, so opening the restored folder replays the change log or rebuilds). The backup is a
 * SQLite file; the index files travel in an extra table, in parts.
 */
export async function backupDataFolder(
  dataDir: string,
  file: string,
  options: { partBytes?: number } = {},
): Promise<{ bytes: number; indexFiles: number }> {
  const partBytes = options.partBytes ?? defaultPartBytes;
  const source = join(dataDir, databaseName);
  if (!existsSync(source)) throw new Error(`${dataDir} has no ${databaseName}: nothing to back up`);
  const indexFiles = openCurrentIndexes(dataDir);
  const temporary = `${file}.tmp-${process.pid}`;
  try {
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
      out.exec(`CREATE TABLE ${partsTable} (name TEXT NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (name, part))`);
      const insert = out.prepare(`INSERT INTO ${partsTable} (name, part, bytes) VALUES (?, ?, ?)`);
      out.transaction(() => {
        for (const indexFile of indexFiles) {
          let part = 0;
          for (const bytes of partsOf(indexFile, partBytes)) insert.run(indexFile.name, part++, bytes);
        }
      })();
      out.pragma('journal_mode = DELETE'); // one self-contained file
    } finally {
      out.close();
    }
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  } finally {
    closeIndexFiles(indexFiles);
  }
  // Switching the journal mode above checkpointed and synced the file; the rename itself must
  // reach the disk too, or a power cut soon after "backed up" leaves no file under the final name.
  renameSync(temporary, file);
  fsyncDirectory(dirname(file));
  return { bytes: statSync(file).size, indexFiles: indexFiles.length };
}

/** Writes the backup's index files under `staging`, one part in memory at a time; returns how many. */
function restoreIndexFiles(backup: Database.Database, file: string, staging: string): number {
  const hasTable = (name: string) => Boolean(backup.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));
  const target = (name: string) => {
    if (!/^indexes\/[\w.-]+(\/[\w.-]+)?$/.test(name)) throw new Error(`unexpected file ${name} in the backup`);
    mkdirSync(dirname(join(staging, name)), { recursive: true });
    return join(staging, name);
  };
  if (hasTable(partsTable)) {
    const names = backup.prepare(`SELECT name, count(*) AS parts, max(part) AS last FROM ${partsTable} GROUP BY name`).all() as {
      name: string;
      parts: number;
      last: number;
    }[];
    const partsOfFile = backup.prepare(`SELECT bytes FROM ${partsTable} WHERE name = ? ORDER BY part`).pluck();
    for (const { name, parts, last } of names) {
      if (last !== parts - 1) throw new Error(`${file} is damaged: ${name} has ${parts} parts numbered up to ${last}`);
      writeFileAtomic(target(name), partsOfFile.iterate(name) as IterableIterator<Buffer>);
    }
    return names.length;
  }
  if (!hasTable(legacyFilesTable)) throw new Error(`${file} is not a trogiang backup`);
  let count = 0;
  for (const row of backup.prepare(`SELECT name, bytes FROM ${legacyFilesTable}`).iterate() as IterableIterator<{
    name: string;
    bytes: Buffer;
  }>) {
    writeFileAtomic(target(row.name), row.bytes);
    count++;
  }
  return count;
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
  let indexFiles = 0;
  try {
    const backup = new Database(file, { readonly: true, fileMustExist: true });
    try {
      indexFiles = restoreIndexFiles(backup, file, staging);
    } finally {
      backup.close();
    }
    // The backup file, minus its files tables, becomes the store. It is one self-contained file
    // (journal mode DELETE) that nothing writes, so a plain copy is a consistent one, and costs no
    // row-by-row rebuild (VACUUM INTO rebuilt every row, index parts included; the VACUUM below
    // rebuilds the store once, without them).
    copyFileSync(file, join(staging, databaseName));
    const store = new Database(join(staging, databaseName));
    try {
      for (const table of [partsTable, legacyFilesTable]) store.exec(`DROP TABLE IF EXISTS ${table}`);
      // Without this the store would keep the index files' pages as free space, as large as they were.
      store.exec('VACUUM');
    } finally {
      store.close();
    }
    // VACUUM synced the store file; its entry in the staging folder must be on disk too before
    // the swap below, which is itself synced: a power cut must not revert a finished restore.
    fsyncDirectory(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // The admin token is a setting of this installation, not of the backup.
  if (existsSync(join(dataDir, 'admin-token'))) writeFileAtomic(join(staging, 'admin-token'), readFileSync(join(dataDir, 'admin-token')));
  const previous = `${dataDir}.before-restore`;
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(dataDir)) renameSync(dataDir, previous);
  renameSync(staging, dataDir);
  fsyncDirectory(dirname(dataDir));
  return { indexFiles };
}
