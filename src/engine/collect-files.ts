import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

/** Extensions picked up when a folder is ingested. Other files are ignored, not failed. */
export const ingestibleExtensions = new Set(['.pdf', '.docx', '.md', '.markdown', '.html', '.htm', '.txt']);

/**
 * Expands files and folders into a sorted list of files to ingest. Folders are walked
 * recursively; hidden entries, `README.md` and build folders are skipped.
 */
export function collectFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (path: string, explicit: boolean): void => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        if (entry.startsWith('.') || entry === 'node_modules' || entry === 'build') continue;
        walk(join(path, entry), false);
      }
      return;
    }
    if (explicit) out.push(path);
    else if (ingestibleExtensions.has(extname(path).toLowerCase()) && !/^readme\.md$/i.test(path.split(/[\\/]/).pop()!)) out.push(path);
  };
  for (const p of paths) walk(p, true);
  return out;
}
