/**
 * Do two checkouts build the same indexes? Ingests a generated 2 MB and a 300 KB Markdown lesson
 * (two collections, saved after each) with the engine of checkout ROOT, re-indexes, and prints
 * the SHA-256 of each saved index file after the ingest and after the re-index, then of four
 * hybrid retrievals (ids and scores). The graph file's capacity field (bytes 8-16) is zeroed: it
 * is room, not content. Run it for both trees and diff the outputs:
 *
 *   npx tsx evals/perf/index-digests.ts /path/to/old/checkout > old.txt
 *   npx tsx evals/perf/index-digests.ts "$PWD" > new.txt && diff old.txt new.txt
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const root = process.argv[2]!;
const { Engine } = await import(`${root}/src/engine/index.js`);
const { openSqliteStore } = await import(`${root}/src/store/index.js`);
const { largeMarkdown } = await import(`${root}/evals/perf/large-markdown.js`);
const dir = mkdtempSync(join(tmpdir(), 'ib-'));
const engine = await Engine.open({
  store: openSqliteStore(join(dir, 'data')),
  dataDir: join(dir, 'data'),
  saveEvery: 1,
  log: () => undefined,
});
const md = Buffer.from(largeMarkdown(2 * 2 ** 20));
await engine.ingest([{ bytes: md, fileName: 'a.md', collection: 'c' }]);
await engine.ingest([{ bytes: Buffer.from(largeMarkdown(300 * 1024)), fileName: 'b.md', collection: 'd' }]);
const digest = (label: string) => {
  const idx = join(dir, 'data', 'indexes');
  const cur = readFileSync(join(idx, 'CURRENT'), 'utf8');
  for (const f of readdirSync(join(idx, cur)).sort()) {
    if (f === 'manifest.json') continue;
    let b = readFileSync(join(idx, cur, f));
    if (f === 'vectors.hnsw') {
      b = Buffer.from(b);
      b.fill(0, 8, 16);
    } // max_elements (capacity) zeroed
    process.stdout.write(`${label} ${f} ${createHash('sha256').update(b).digest('hex').slice(0, 16)} ${b.length}\n`);
  }
};
digest('ingest');
await engine.reindexAll();
digest('reindex');
const hits = [];
for (const q of ['học phí một tháng', 'lich nghi le', 'ngữ pháp tiếng Anh', 'phương trình bậc hai'])
  hits.push(
    JSON.stringify(
      (await engine.retrieve(q, { k: 10, mode: 'hybrid' })).results.map((h: any) => [h.chunk.seq, h.score, h.bm25Score, h.vectorScore]),
    ),
  );
process.stdout.write(`retrieve ${createHash('sha256').update(hits.join('\n')).digest('hex').slice(0, 16)}\n`);
engine.close();
