import { build } from 'esbuild';
import { spawn } from 'node:child_process';
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
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

/** What a child process printed and how it ended (exit code, or the signal that stopped it). */
export interface ChildRun {
  code: number | string;
  out: string;
  err: string;
}

/** Runs a bundled CLI (`bundleChild`) with `args` on the data folder `dataDir`, from the repository root. */
export function runBundledCli(bundle: string, dataDir: string, args: string[]): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, ...args], { cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('exit', (code, signal) => resolve({ code: code ?? signal ?? 'unknown', out, err }));
  });
}
