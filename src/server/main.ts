import cluster from 'node:cluster';
import { ConfigError, loadConfig } from '../config.js';
import { roleFromPrimary, runPrimary } from './process-primary.js';

// The service modules are imported only where they run: the primary of several processes
// (PROCESSES above 1) opens no data and stays small.
async function main(): Promise<void> {
  const config = loadConfig();
  if (cluster.isWorker) return (await import('./serve-process.js')).start(config, await roleFromPrimary());
  if (config.processes > 1) return runPrimary(config);
  return (await import('./serve-process.js')).start(config, undefined);
}

main().catch((error: unknown) => {
  const inUse = error as { name?: string; messageVi?: string };
  if (error instanceof ConfigError) process.stderr.write(`trogiang: ${error.message}\n`);
  else if (inUse.name === 'DataFolderInUse')
    process.stderr.write(`trogiang: could not start: ${(error as Error).message}\ntrogiang: ${inUse.messageVi}\n`);
  else process.stderr.write(`trogiang: could not start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
