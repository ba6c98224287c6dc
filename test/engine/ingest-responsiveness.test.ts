import { collectChunks } from '../support/collect-chunks.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultChunkerSettings } from '../../src/chunk/index.js';
import { defaultFeatureWeights } from '../../src/embed/index.js';
import { Engine, type IngestItem } from '../../src/engine/index.js';
import { prepareContent, type PrepareRequest } from '../../src/engine/prepare-content.js';
import { PrepareOffThread } from '../../src/engine/prepare-off-thread.js';
import { defaultLoadLimits } from '../../src/ingest/index.js';
import { largeMarkdown } from '../../evals/perf/large-markdown.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { makeDocx, makeVietnamesePdf } from '../support/make-fixtures.js';
import { openSqliteStore } from '../../src/store/index.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'trogiang-responsive-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const markdown = (fileName: string, megabytes: number, seed = 1): IngestItem => ({
  bytes: Buffer.from(largeMarkdown(megabytes * 2 ** 20, seed), 'utf8'),
  fileName,
  collection: 'on-tap',
});

/**
 * How the event loop fared while `work` ran: how many times it got round to a timer (`turns`),
 * and the longest it went without (`longest`, ms: what a `/healthz` request would have waited at
 * worst). The turn count is the robust measure on a loaded machine: a busy machine only makes
 * the slices yield more often, while a synchronous stretch gives no turn however fast it runs.
 */
async function eventLoopDuring(work: () => Promise<unknown>): Promise<{ turns: number; longest: number }> {
  let longest = 0;
  let turns = 0;
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    turns++;
    if (running) setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  try {
    await work();
  } finally {
    running = false;
  }
  return { turns, longest };
}

/** Everything an ingest leaves behind that answers depend on. */
async function snapshot(engine: Engine) {
  const chunks = (await collectChunks(engine.store)).map((c) => ({
    ...c,
    vector: Buffer.from(c.vector.buffer, c.vector.byteOffset, c.vector.byteLength).toString('base64'),
  }));
  return {
    documents: (await engine.store.listDocuments()).map((d) => ({ ...d, createdAt: '', updatedAt: '' })),
    chunks,
    bm25: engine.bm25.serialize().toString('base64'),
    stats: engine.local!.stats.serialize().toString('base64'),
  };
}

function expectSame(got: Awaited<ReturnType<typeof snapshot>>, want: Awaited<ReturnType<typeof snapshot>>): void {
  expect(got.documents).toEqual(want.documents);
  expect(got.chunks.length).toBeGreaterThan(100);
  expect(got.chunks.length).toBe(want.chunks.length);
  got.chunks.forEach((chunk, i) => expect(chunk).toStrictEqual(want.chunks[i]));
  expect(got.bm25 === want.bm25).toBe(true);
  expect(got.stats === want.stats).toBe(true);
}

describe('ingest keeps the event loop free', () => {
  // Before: parsing, chunking, embedding, storing and indexing a 2.5 MB lesson ran in one
  // synchronous stretch (2-3 s on a quiet machine, 10 s for 10 MB) and every request waited behind
  // it: the timer got a handful of turns. Now the parse runs on a worker and the rest in ~12 ms
  // slices: hundreds of turns, and the longest wait is the store's commit or the BM25 flush
  // (about 0.1-0.2 s here; the bound is generous for a loaded machine).
  it('lets the event loop run throughout while a 2.5 MB Markdown lesson is parsed, stored, indexed and saved', async () => {
    const engine = await Engine.open({ store: openSqliteStore(join(root, 'data')), dataDir: join(root, 'data'), saveEvery: 0 });
    try {
      let outcome: Awaited<ReturnType<Engine['ingest']>>[number] | undefined;
      const loop = await eventLoopDuring(async () => {
        [outcome] = await engine.ingest([markdown('on-tap.md', 2.5)]);
      });
      expect(outcome?.status).toBe('added');
      expect(outcome?.status === 'added' && outcome.document.chunkCount).toBeGreaterThan(1500);
      expect(loop.turns).toBeGreaterThan(100);
      expect(loop.longest).toBeLessThan(1500);
      expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    } finally {
      await engine.close();
    }
  }, 300_000);

  it('lets the event loop run throughout while every document is re-indexed', async () => {
    const engine = await Engine.open({ store: openSqliteStore(join(root, 'data')), dataDir: join(root, 'data'), saveEvery: 0 });
    try {
      await engine.ingest([markdown('on-tap.md', 1), markdown('de-cuong.md', 0.5, 2)]);
      const loop = await eventLoopDuring(() => engine.reindexAll());
      expect(loop.turns).toBeGreaterThan(100);
      expect(loop.longest).toBeLessThan(1500);
      expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    } finally {
      await engine.close();
    }
  }, 300_000);
});

describe('ingest off the event loop gives the same result', () => {
  it('reads a file on the worker thread into the same chunks and features as on this one', async () => {
    const reader = new PrepareOffThread();
    try {
      for (const [fileName, bytes] of [
        ['on-tap.md', markdown('x', 0.3).bytes],
        ['tin-hoc.pdf', await makeVietnamesePdf()],
        ['so-tay.docx', await makeDocx()],
      ] as const) {
        const request: PrepareRequest = {
          bytes,
          fileName,
          limits: defaultLoadLimits,
          documentId: `doc-${fileName}`,
          collection: 'chung',
          chunker: defaultChunkerSettings,
          featureWeights: defaultFeatureWeights,
        };
        const here = await prepareContent(request);
        const there = await reader.prepare(request);
        expect(there.chunks.length).toBeGreaterThan(0);
        expect(there).toEqual(here);
      }
      // A file the loaders refuse fails there with the same coded error as here.
      const empty: PrepareRequest = {
        bytes: new Uint8Array([0x20, 0x0a]),
        fileName: 'trong.txt',
        limits: defaultLoadLimits,
        documentId: 'd',
        collection: 'chung',
        chunker: defaultChunkerSettings,
        featureWeights: null,
      };
      await expect(reader.prepare(empty)).rejects.toMatchObject({ name: 'IngestError', code: 'empty_file' });
    } finally {
      await reader.close();
    }
  }, 300_000);

  it('stores the same chunks, vectors, BM25 bytes and statistics whether files are read on the worker and indexed in slices or all at once here', async () => {
    // The same bytes for both (a PDF made twice differs in its creation date).
    const pdf = await makeVietnamesePdf();
    const files = async () => [
      markdown('on-tap.md', 0.6),
      { bytes: pdf, fileName: 'tin-hoc.pdf', collection: 'tin-hoc' },
      markdown('de-cuong.md', 0.4, 3),
    ];
    // Old behaviour: nothing on the worker, no yield (one slice of a billion ms).
    const atOnce = await Engine.open({
      store: openSqliteStore(join(root, 'a')),
      dataDir: join(root, 'a'),
      prepareOnWorkerFrom: Infinity,
      sliceMs: 1e9,
    });
    const sliced = await Engine.open({
      store: openSqliteStore(join(root, 'b')),
      dataDir: join(root, 'b'),
      prepareOnWorkerFrom: 0,
      sliceMs: 0,
    });
    try {
      await atOnce.ingest(await files());
      await sliced.ingest(await files());
      expectSame(await snapshot(sliced), await snapshot(atOnce));
      // Re-indexing (every document replaced) as well.
      await atOnce.reindexAll();
      await sliced.reindexAll();
      expectSame(await snapshot(sliced), await snapshot(atOnce));
    } finally {
      await atOnce.close();
      await sliced.close();
    }
  }, 300_000);

  it('carries out deletions asked for during a sliced upload after it, and the store and indexes agree', async () => {
    const engine = await Engine.open({ store: openSqliteStore(join(root, 'data')), dataDir: join(root, 'data'), sliceMs: 0, saveEvery: 0 });
    try {
      await engine.ingest([markdown('cu.md', 0.2, 4)]);
      const old = (await engine.store.listDocuments())[0]!;
      const upload = engine.ingest([markdown('on-tap.md', 0.8)]);
      // Wait until the upload's transaction is open (its document row is visible on this connection)
      // and it is storing its chunks slice by slice.
      let uploading: Awaited<ReturnType<Engine['store']['listDocuments']>>[number] | undefined;
      for (const started = Date.now(); !uploading && Date.now() - started < 120_000; ) {
        await new Promise((r) => setImmediate(r));
        uploading = (await engine.store.listDocuments()).find((d) => d.fileName === 'on-tap.md');
      }
      expect(uploading).toBeDefined();
      // Both deletions (another file, and the file being uploaded) wait for the upload's commit.
      expect(await engine.removeDocument(old.id)).toBe(true);
      expect(await engine.removeDocument(uploading!.id)).toBe(true);
      expect(await engine.removeDocument('no-such-document')).toBe(false);
      expect(await engine.store.getDocument(old.id)).toBeDefined();
      const [outcome] = await upload;
      expect(outcome?.status).toBe('added');
      expect(await engine.store.listDocuments()).toEqual([]);
      expect(engine.bm25.size).toBe(0);
      expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    } finally {
      await engine.close();
    }
  }, 300_000);
});
