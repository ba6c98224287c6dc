/**
 * The service in its own process on loopback, as in production, for load scripts: started from
 * `src/server/main.ts` with a temporary data folder over the shipped corpus, on a free port.
 * (`evals/perf/bench-server.ts` does the same inline; it can import this once that work settles.)
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ServiceProcess {
  /** e.g. `http://127.0.0.1:40123`. */
  base: string;
  child: ChildProcessWithoutNullStreams;
  dataDir: string;
  adminToken: string;
  /** Log lines at error level or above (pino levels 50 and 60), as written. */
  errorLogs: string[];
  /** Non-null once the process has exited: its exit code (or the signal's name). */
  exited: () => number | string | null;
  /** Asks for a full garbage collection (with `gcOnSignal`) and waits a moment for it. */
  fullGc: () => Promise<void>;
  /** SIGTERM, wait for exit, remove the temporary folder. */
  stop: () => Promise<void>;
}

const repo = join(import.meta.dirname, '../..');

export interface ServiceProcessOptions {
  /** Settings added to (or overriding) the defaults here. */
  env?: Record<string, string>;
  /** Preload `gc-on-signal.ts`: `fullGc()` then collects garbage before memory is read. */
  gcOnSignal?: boolean;
}

/** Starts `src/server/main.ts`. Resolves once it is listening. */
export async function startServiceProcess({ env = {}, gcOnSignal = false }: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const root = mkdtempSync(join(tmpdir(), 'trogiang-soak-'));
  const dataDir = join(root, 'data');
  const adminToken = 'soak-admin-token-000000000000';
  const hook = gcOnSignal ? ['--expose-gc', '--import', join(import.meta.dirname, 'gc-on-signal.ts')] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', ...hook, join(repo, 'src/server/main.ts')], {
    cwd: repo,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CORPUS_DIR: join(repo, 'corpus'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: adminToken,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const errorLogs: string[] = [];
  let exit: number | string | null = null;
  const exited = new Promise<void>((resolve) => child.on('exit', (code, signal) => ((exit = code ?? signal ?? 'unknown'), resolve())));
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const base = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = /running on (http:\/\/\S+)/.exec(line)?.[1];
      if (url) resolve(url);
      if (/^\{.*"level":(50|60)/.test(line)) errorLogs.push(line);
    });
    void exited.then(() => reject(new Error(`the service exited (${String(exit)}) before listening`)));
  });
  return {
    base,
    child,
    dataDir,
    adminToken,
    errorLogs,
    exited: () => exit,
    fullGc: async () => {
      if (!gcOnSignal || exit !== null) return;
      child.kill('SIGUSR2');
      await new Promise((resolve) => setTimeout(resolve, 250));
    },
    stop: async () => {
      if (exit === null) child.kill('SIGTERM');
      await exited;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The server's resident set and V8 heap in MiB, from its own `/metrics`. */
export async function serverMemory(base: string): Promise<{ rssMb: number; heapMb: number }> {
  const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const metric = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?(?:e\\+?\\d+)?)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return { rssMb: metric('process_resident_memory_bytes'), heapMb: metric('nodejs_heap_size_used_bytes') };
}
