/**
 * Time of an ingest and two full re-indexes of one large random Markdown document (the first
 * steps of native-crash-repro.ts, in process), for comparing the vector index's handling of
 * removals before and after the fix of issue 15. Prints one line per step.
 *
 * Run: npx tsx evals/reliability/reindex-time.ts [bytes, default 3000000: about 3,000 chunks]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/index.js';
import { randomMarkdown } from './native-crash-repro.js';
import { openSqliteStore } from '../../src/store/index.js';

const bytes = Number(process.argv[2] ?? 3_000_000);
const dir = mkdtempSync(join(tmpdir(), 'trogiang-reindex-time-'));
const engine = await Engine.open({ store: openSqliteStore(dir), dataDir: dir, log: (m) => process.stdout.write(`  ${m}\n`) });
try {
  let started = performance.now();
  await engine.ingest([{ bytes: Buffer.from(randomMarkdown(bytes, 'Tài liệu lớn')), fileName: 'lon.md', collection: 'chung' }]);
  process.stdout.write(`ingest ${Math.round(performance.now() - started)} ms, ${engine.vectors.size} chunks\n`);
  for (let r = 1; r <= 2; r++) {
    started = performance.now();
    await engine.reindexAll();
    process.stdout.write(`reindex ${r} ${Math.round(performance.now() - started)} ms\n`);
  }
} finally {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}
