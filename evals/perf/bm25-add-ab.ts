/**
 * BM25 `add` of this checkout against another's, in one process over the same stored chunks: the
 * time per chunk of each (tokenising timed apart, as the engine hands `add` its tokens) and whether
 * both indexes serialise to the same bytes.
 *
 *   git worktree add /tmp/trogiang-before <rev>
 *   node --import tsx evals/perf/bm25-add-ab.ts --baseline /tmp/trogiang-before \
 *     --data evals/perf/.cache/data-100k [--chunks 100000] [--order new,old]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Bm25Index, defaultBm25Params, tokenizeFields } from '../../src/indexes/index.js';
import { bm25Fields } from '../../src/indexes/search-indexes.js';
import { allChunks, SqliteStore } from '../../src/store/index.js';

const { values: opts } = parseArgs({
  options: {
    baseline: { type: 'string' },
    data: { type: 'string', default: 'evals/perf/.cache/data-100k' },
    chunks: { type: 'string', default: '100000' },
    order: { type: 'string', default: 'new,old' },
  },
});
if (!opts.baseline) throw new Error('--baseline: a checkout of the version to compare with (git worktree add DIR REV)');
const before = (await import(join(resolve(opts.baseline), 'src/indexes/index.ts'))) as { Bm25Index: typeof Bm25Index };

const limit = Number(opts.chunks);
const store = new SqliteStore(join(opts.data!, 'trogiang.db'));
const chunks: Array<{ seq: number; fields: ReturnType<typeof bm25Fields>; collection: string }> = [];
for await (const chunk of allChunks(store)) {
  chunks.push({ seq: chunk.seq, fields: bm25Fields(chunk), collection: chunk.collection });
  if (chunks.length >= limit) break;
}
store.close();

const bytes: Record<string, Buffer> = {};
for (const version of opts.order!.split(',')) {
  const index = version === 'old' ? new before.Bm25Index(defaultBm25Params) : new Bm25Index(defaultBm25Params);
  let addMs = 0;
  for (const chunk of chunks) {
    const tokens = tokenizeFields(chunk.fields);
    const started = performance.now();
    index.add(chunk.seq, { ...chunk.fields, tokens }, chunk.collection);
    addMs += performance.now() - started;
  }
  bytes[version] = index.serialize();
  console.log(
    JSON.stringify({
      version,
      chunks: chunks.length,
      add_us_per_chunk: Math.round((addMs / chunks.length) * 1000),
      serialized_bytes: bytes[version].length,
    }),
  );
}
if (bytes.old && bytes.new) console.log(JSON.stringify({ identical: bytes.old.equals(bytes.new) }));
