import { build } from 'esbuild';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '../..');

/**
 * Bundles a TypeScript child-process entry into one ESM file (packages stay external and resolve
 * from the repository's node_modules), so each spawn starts in plain node: about a third of the
 * CPU of `node --import tsx`, which matters when a test spawns a child per seed.
 * @returns the path of the bundle, to run with `node <path> …`.
 */
export async function bundleChild(entry: string): Promise<string> {
  const name = entry.split('/').at(-1)!.replace(/\.ts$/, '');
  const outfile = join(repoRoot, 'node_modules', '.cache', 'trogiang-tests', `${name}-${process.pid}.mjs`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
  return outfile;
}
