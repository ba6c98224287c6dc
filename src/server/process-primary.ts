import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import { isProcessMessage, type ProcessInfo, type ProcessMessage } from './process-info.js';

/** A worker that exits this soon after it was started counts as failing to start: it is restarted more slowly. */
const quickExitMs = 10_000;
const maxRestartDelayMs = 30_000;

/** A worker's role, sent by the primary as its first message. */
export function roleFromPrimary(): Promise<ProcessInfo> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if (!isProcessMessage(message) || message.type !== 'trogiang:role') return;
      process.off('message', onMessage);
      resolve({ role: message.role, index: message.index, writerUrl: message.writerUrl });
    };
    process.on('message', onMessage);
    // Asked for once listening: a message sent before a worker listens for it is lost.
    process.send?.({ type: 'trogiang:hello' } satisfies ProcessMessage);
  });
}

/**
 * The primary of several service processes on one data folder (`PROCESSES` above 1): forks the
 * writer (process 0) and, once it is ready (migrations run, the corpus of a new folder ingested),
 * the followers; relays the writer's address and its "changed" messages to the followers;
 * restarts a process that exits; prints the banner once all are ready; on SIGTERM stops them all.
 * It opens no data itself. node:cluster shares the public port: connections go round-robin.
 */
export function runPrimary(config: Config): void {
  // The workers run this module's entry with the TypeScript loader (`trogiang serve` registers
  // tsx through its API, which a forked process does not inherit).
  const execArgv = process.execArgv.some((a) => a.includes('tsx')) ? process.execArgv : [...process.execArgv, '--import', 'tsx'];
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./main.ts', import.meta.url)), execArgv });

  const workers = new Map<number, Worker>();
  const ready = new Set<number>();
  const failures = new Map<number, number>();
  let writerUrl: string | undefined;
  let banner = '';
  let announced = false;
  let followersStarted = false;
  let stopping = false;
  let exitCode = 0;

  const toFollowers = (message: ProcessMessage) => {
    for (const [index, worker] of workers)
      if (index !== 0 && worker.isConnected()) worker.send(message, (error: Error | null) => error && undefined);
  };

  const fork = (index: number) => {
    const role: ProcessInfo['role'] = index === 0 ? 'writer' : 'follower';
    const worker = cluster.fork();
    const startedAt = Date.now();
    workers.set(index, worker);
    // A message to a worker that has just died fails with EPIPE: its exit is handled below, and
    // the error must not take the primary (and every other process) down with it.
    worker.on('error', (error) => process.stderr.write(`trogiang: ${role} process ${index}: ${error.message}\n`));
    worker.on('message', (message: unknown) => {
      if (!isProcessMessage(message)) return;
      if (message.type === 'trogiang:hello') {
        worker.send({
          type: 'trogiang:role',
          role,
          index,
          ...(role === 'follower' && writerUrl && { writerUrl }),
        } satisfies ProcessMessage);
      } else if (message.type === 'trogiang:writer') {
        writerUrl = message.url;
        toFollowers(message);
      } else if (message.type === 'trogiang:changed') {
        toFollowers(message);
      } else if (message.type === 'trogiang:ready') {
        ready.add(index);
        failures.delete(index);
        if (message.banner) banner = message.banner;
        if (index === 0 && !followersStarted) {
          followersStarted = true;
          for (let i = 1; i < config.processes; i++) fork(i);
        }
        if (!announced && ready.size === config.processes) {
          announced = true;
          process.stdout.write(banner);
        }
      }
    });
    worker.on('exit', (code, signal) => {
      if (workers.get(index) === worker) workers.delete(index);
      ready.delete(index);
      if (stopping) {
        if (workers.size === 0) process.exit(exitCode);
        return;
      }
      if (index === 0 && !followersStarted) {
        // The writer could not start (a bad setting, the folder held by a command): nothing to serve.
        process.stderr.write(`trogiang: the writer process exited (${signal ?? code}) before it was ready\n`);
        stopAll(1);
        return;
      }
      const quick = Date.now() - startedAt < quickExitMs;
      const failed = quick ? (failures.get(index) ?? 0) + 1 : 0;
      failures.set(index, failed);
      const delay = Math.min(maxRestartDelayMs, 500 * 2 ** failed);
      process.stderr.write(
        `trogiang: ${role} process ${index} (pid ${worker.process.pid}) exited (${signal ?? code}); restarting it in ${(delay / 1000).toFixed(1)} s\n`,
      );
      setTimeout(() => {
        if (!stopping) fork(index);
      }, delay).unref();
    });
  };

  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (workers.size === 0) process.exit(exitCode);
    for (const worker of workers.values()) worker.process.kill('SIGTERM');
    // The workers drain for up to 10 s; then the primary leaves whatever is left.
    setTimeout(() => process.exit(exitCode), 15_000).unref();
  };
  process.on('SIGTERM', () => stopAll(0));
  process.on('SIGINT', () => stopAll(0));
  fork(0);
}
