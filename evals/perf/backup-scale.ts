/**
 * Backup and restore of a large data folder, timed, with peak RSS and sizes; then checks that the
 * restored index files are byte-identical and that the restored folder opens and answers. Peak RSS
 * is the process's peak so far: each step's figure covers the steps before it.
 *
 *   node --import tsx evals/perf/backup-scale.ts --data evals/perf/.cache/data-1m --work /tmp/backup-scale
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDataFolder, Engine, restoreDataFolder } from '../../src/engine/index.js';
import { diskBytes, emit, peakRssMb } from './measure.js';
import { openSqliteStore } from '../../src/store/index.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, work: { type: 'string' }, question: { type: 'string' } } });
if (!values.data || !values.work) throw new Error('usage: backup-scale.ts --data DIR --work DIR');
const dataDir = values.data;
const work = values.work;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
/** The current set's files as name → sha256, read in 64 MB slices (files pass 2 GiB). */
function digests(dir: string): Record<string, string> {
  const root = join(dir, 'indexes');
  const set = readFileSync(join(root, 'CURRENT'), 'utf8').trim();
  const out: Record<string, string> = {};
  const buffer = Buffer.allocUnsafe(64 << 20);
  for (const name of readdirSync(join(root, set)).sort()) {
    const hash = createHash('sha256');
    const fd = openSync(join(root, set, name), 'r');
    for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
    closeSync(fd);
    out[name] = hash.digest('hex');
  }
  return out;
}
const before = digests(dataDir);
const file = join(work, 'backup.db');
let t = performance.now();
const { bytes, indexFiles } = await backupDataFolder(dataDir, file);
emit({
  bench: 'backup',
  step: 'backup',
  seconds: +((performance.now() - t) / 1000).toFixed(1),
  data_mb: mb(diskBytes(dataDir)),
  backup_mb: mb(bytes),
  index_files: indexFiles,
  peak_rss_mb: peakRssMb(),
});
const target = join(work, 'restored');
t = performance.now();
restoreDataFolder(file, target);
emit({
  bench: 'backup',
  step: 'restore',
  seconds: +((performance.now() - t) / 1000).toFixed(1),
  restored_mb: mb(diskBytes(target)),
  peak_rss_mb: peakRssMb(),
});
const after = digests(target);
const same = JSON.stringify(before) === JSON.stringify(after);
t = performance.now();
const engine = await Engine.open({ store: openSqliteStore(target), dataDir: target });
const hits = (await engine.retrieve(values.question ?? 'học phí đóng trước ngày nào')).results.length;
emit({
  bench: 'backup',
  step: 'open restored',
  seconds: +((performance.now() - t) / 1000).toFixed(1),
  chunks: await engine.store.countChunks(),
  hits,
  index_files_identical: same,
  peak_rss_mb: peakRssMb(),
});
await engine.close();
if (!same) process.exit(1);
