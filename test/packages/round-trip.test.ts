/**
 * Export → import round trip (issue #16, "done when"): the shipped sample corpus is ingested into
 * one data folder as on a first start, its collection is exported with `trogiang
 * export-collection`, and imported into a fresh data folder with `trogiang import-collection`.
 * The documents must be identical (bytes, ids, titles, chunks) and so must the answers to every
 * question of the golden sets (evals/golden/*.jsonl, each asked on its own: the follow-up set's
 * questions are asked standalone, without their conversation).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../src/answer/index.js';
import { main } from '../../src/cli/main.js';
import { Engine } from '../../src/engine/index.js';
import { openSqliteStore, SqliteStore } from '../../src/store/index.js';

const root = join(import.meta.dirname, '..', '..');
const goldenDir = join(root, 'evals', 'golden');
const questions = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort()
  .flatMap((f) =>
    readFileSync(join(goldenDir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as { id: string; question: string }),
  );

let dir: string;
let source: Engine;
let copy: Engine;
const log: string[] = [];
const output = { out: (t: string) => void log.push(t), err: (t: string) => void log.push(t) };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trogiang-round-trip-'));
  const envA = { DATA_DIR: join(dir, 'a'), CORPUS_DIR: join(root, 'corpus') };
  const envB = { DATA_DIR: join(dir, 'b'), CORPUS_DIR: join(root, 'corpus') };
  expect(await main(['ingest', join(root, 'corpus')], output, envA)).toBe(0);
  const store = new SqliteStore(join(dir, 'a', 'trogiang.db'));
  await store.collectionMetadata.update('chung', {
    licence: 'CC-BY-4.0',
    attribution: 'Trung tâm GDTX mẫu',
    about: ['Sổ tay học viên', 'Tin học'],
    inLanguage: 'vi',
    educationalLevel: 'Bổ túc THPT',
    learningResourceType: 'handbook',
    description: 'Tài liệu mẫu đi kèm trogiang.',
  });
  store.close();
  const zip = join(dir, 'chung.zip');
  expect(await main(['export-collection', 'chung', zip], output, envA), log.join('')).toBe(0);
  expect(await main(['import-collection', zip], output, envB), log.join('')).toBe(0);
  source = await Engine.open({ store: openSqliteStore(envA.DATA_DIR), dataDir: envA.DATA_DIR });
  copy = await Engine.open({ store: openSqliteStore(envB.DATA_DIR), dataDir: envB.DATA_DIR });
}, 600_000);

afterAll(() => {
  source?.close();
  copy?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('export then import into a fresh data folder', () => {
  it('gives identical documents: bytes, ids, titles, formats, pages and chunks', async () => {
    const a = await source.store.listDocuments();
    const b = await copy.store.listDocuments();
    expect(a.length).toBeGreaterThanOrEqual(8);
    expect(b.map((d) => [d.id, d.collection, d.title, d.fileName, d.format, d.contentHash, d.bytes, d.pages, d.chunkCount])).toEqual(
      a.map((d) => [d.id, d.collection, d.title, d.fileName, d.format, d.contentHash, d.bytes, d.pages, d.chunkCount]),
    );
    for (const d of a) {
      expect((await copy.store.getDocumentSource(d.id))!.equals((await source.store.getDocumentSource(d.id))!), d.fileName).toBe(true);
      const strip = (c: { id: string; headingPath: string[]; pageStart: number | null; text: string; lang: string }) => [
        c.id,
        c.headingPath,
        c.pageStart,
        c.lang,
        c.text,
      ];
      expect((await copy.store.chunksOfDocument(d.id)).map(strip), d.fileName).toEqual(
        (await source.store.chunksOfDocument(d.id)).map(strip),
      );
    }
  });

  it('carries the licence, attribution and LRMI description', async () => {
    expect(await copy.store.collectionMetadata.get('chung')).toEqual(await source.store.collectionMetadata.get('chung'));
    expect(await copy.store.collectionMetadata.get('chung')).toMatchObject({ licence: 'CC-BY-4.0', attribution: 'Trung tâm GDTX mẫu' });
  });

  it(`gives identical answers to all ${questions.length} golden questions (retrieved chunks, scores, answer text, citations)`, async () => {
    expect(questions.length).toBeGreaterThan(200);
    const answer = async (engine: Engine, q: string) => {
      const retrieval = await engine.retrieve(q);
      let done: Extract<AnswerEvent, { type: 'done' }> | undefined;
      for await (const e of engine.ask(q)) if (e.type === 'done') done = e;
      return {
        chunks: retrieval.results.map((r) => `${r.chunk.id} ${r.score.toFixed(6)}`),
        answerable: done?.answerable,
        answer: done?.answer,
        citations: done?.citations.map((c) => `${c.documentId} ${c.page} ${c.headingPath.join(' > ')}`),
      };
    };
    let differing = 0;
    for (const q of questions) {
      const [a, b] = [await answer(source, q.question), await answer(copy, q.question)];
      if (JSON.stringify(a) !== JSON.stringify(b)) differing++;
      expect(b, q.id).toEqual(a);
    }
    expect(differing).toBe(0);
  });
});
