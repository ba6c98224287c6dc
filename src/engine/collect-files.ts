import { readdirSync, statSync, type Stats } from 'node:fs';
import { extname, join } from 'node:path';

/** Extensions picked up when a folder is ingested. Other files are ignored, not failed. */
export const ingestibleExtensions = new Set(['.pdf', '.docx', '.md', '.markdown', '.html', '.htm', '.txt', '.png', '.jpg', '.jpeg']);

/**
 * Expands files and folders into a sorted list of files to ingest. Folders are walked
 * recursively; hidden entries, `README.md` and build folders are skipped. Inside folders, only
 * regular files are taken (a FIFO or device named `x.txt` would block or never end a read), each
 * folder is walked once (a symlink back to a parent would otherwise recurse without end), and an
 * entry that cannot even be examined (broken link, name in a legacy encoding) is still listed so
 * the caller reports it instead of skipping it silently. An explicit path is listed as given.
 */
export function collectFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walkedFolders = new Set<string>();
  const ingestible = (path: string): boolean =>
    ingestibleExtensions.has(extname(path).toLowerCase()) && !/^readme\.md$/i.test(path.split(/[\\/]/).pop()!);
  const walk = (path: string, explicit: boolean): void => {
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch (error) {
      if (explicit) throw error;
      if (ingestible(path)) out.push(path);
      return;
    }
    if (stat.isDirectory()) {
      const key = `${stat.dev}:${stat.ino}`;
      if (walkedFolders.has(key)) return;
      walkedFolders.add(key);
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith('.') || entry === 'node_modules' || entry === 'build') continue;
        walk(join(path, entry), false);
      }
      return;
    }
    if (explicit) out.push(path);
    else if (stat.isFile() && ingestible(path)) out.push(path);
  };
  for (const p of paths) walk(p, true);
  return out;
}
