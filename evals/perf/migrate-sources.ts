/**
 * Opening a data folder written before schema 4 moves its stored sources into 64 KB parts. Done in
 * SQL with `substr`, every part re-read the whole BLOB (217 s for one 50 MB source); the store now
 * reads each source once. Times the open of a schema-3 store holding one source of `--mb` MB.
 *
 *   npx tsx evals/perf/migrate-sources.ts [--mb 50]
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrations } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/index.js';
import { emit } from './measure.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '50' } } });
const dir = mkdtempSync(join(tmpdir(), 'trogiang-migrate-sources-'));
try {
  const path = join(dir, 'trogiang.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of migrations.slice(0, 3)) db.exec(m);
  db.pragma('user_version = 3');
  db.prepare("INSERT INTO collections (id, name, created_at) VALUES ('c', 'c', '2024-01-01T00:00:00.000Z')").run();
  const source = randomBytes(Number(values.mb) * 2 ** 20);
  db.prepare(
    `INSERT INTO documents (id, collection, title, file_name, format, content_hash, bytes, pages, chunk_count, source, created_at, updated_at)
     VALUES ('a', 'c', 't', 'a.pdf', 'pdf', 'h', ?, 1, 0, ?, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`,
  ).run(source.length, source);
  db.close();
  const started = performance.now();
  const store = new SqliteStore(path);
  const ms = Math.round(performance.now() - started);
  const same = (await store.getDocumentSource('a'))!.equals(source);
  store.close();
  emit({ stage: 'migrate-sources', mb: Number(values.mb), openMs: ms, sameBytes: same });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
