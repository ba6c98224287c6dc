/**
 * An import whose ingest throws half-way (the embedding service goes down after the first
 * document was stored) is undone too: the documents already stored are removed, the collection
 * it created is deleted, and the error reaches the caller.
 */
import { Embeddings } from '@langchain/core/embeddings';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { importPackage } from '../../src/packages/index.js';
import { lessonMarkdown, makeRawZip, trogiangPackageEntries } from '../support/make-packages.js';

/** 8 dimensions from the text's letters; throws on a text holding "SẬP" (the service is down). */
class FailingEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  private vector(text: string): number[] {
    const v = new Array<number>(8).fill(0.01);
    for (const ch of text) v[ch.charCodeAt(0) % 8]! += 1;
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (texts.some((t) => t.includes('SẬP'))) throw new Error('the embedding service is down');
    return texts.map((t) => this.vector(t));
  }
  async embedQuery(text: string): Promise<number[]> {
    return this.vector(text);
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('removes the documents already stored when the ingest throws half-way, and deletes the collection it created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-import-rollback-'));
  dirs.push(dir);
  const engine = await Engine.open({
    store: openSqliteStore(dir),
    dataDir: dir,
    embeddings: new FailingEmbeddings(),
    dimensions: 8,
    embedderId: 'failing-test',
  });
  try {
    await engine.ingest([
      { bytes: lessonMarkdown('Có sẵn', 'Tài liệu có sẵn của trung tâm.'), fileName: 'co-san.md', collection: 'chung' },
    ]);
    const before = {
      documents: (await engine.store.listDocuments()).map((d) => d.id),
      chunks: await engine.store.countChunks(),
      bm25: engine.bm25.size,
      vectors: engine.vectors.size,
    };
    const zip = makeRawZip(
      trogiangPackageEntries(
        [
          { fileName: 'a-tot.md', bytes: lessonMarkdown('Bài tốt', 'Nội dung đọc và nhúng được.') },
          { fileName: 'b-sap.md', bytes: lessonMarkdown('Bài làm SẬP dịch vụ', 'Dịch vụ nhúng SẬP khi đọc bài này.') },
        ],
        { collection: { id: 'goi-dang-do', name: 'Gói dang dở' } },
      ),
    );
    await expect(importPackage(engine, zip)).rejects.toThrow('the embedding service is down');
    expect({
      documents: (await engine.store.listDocuments()).map((d) => d.id),
      chunks: await engine.store.countChunks(),
      bm25: engine.bm25.size,
      vectors: engine.vectors.size,
    }).toEqual(before);
    expect(await engine.store.collections.getCollection('goi-dang-do')).toBeUndefined();
  } finally {
    await engine.close();
  }
});
