import { collectChunks } from '../support/collect-chunks.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder, LocalEmbedder, RemoteEmbedder } from '../../src/embed/index.js';
import { createOpenAIEmbeddings } from '../../src/embed/openai-embeddings.js';
import { Engine } from '../../src/engine/index.js';
import { embeddingText } from '../../src/indexes/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

let fake: FakeOpenAI;
let root: string;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  root = mkdtempSync(join(tmpdir(), 'trogiang-remote-embedder-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

const notice = (name: string, text: string) => ({ bytes: new TextEncoder().encode(text), fileName: name, collection: 'chung' });

describe('the engine with a remote embedder (real OpenAI client, fake server)', () => {
  it('probes the size, stores the server vectors, searches with them, and reopens without rebuilding', async () => {
    const dataDir = join(root, 'probe');
    const embeddings = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'fake-embed' });
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, embeddings, embedderId: 'fake-embed' });
    expect(engine.embedder).toBeInstanceOf(RemoteEmbedder);
    expect(engine.local).toBeNull();
    expect(engine.settings).toMatchObject({ embedderId: 'fake-embed', dimensions: 64 });
    const [outcome] = await engine.ingest([
      notice('thu-vien.md', '# Thư viện\n\nThư viện mở cửa từ 7 giờ đến 20 giờ 30, thứ Hai đến thứ Sáu.\n'),
    ]);
    expect(outcome!.status).toBe('added');
    const [stored] = await collectChunks(engine.store);
    // The vector is the server's for the chunk's embedding text, as sent.
    expect(Array.from(stored!.vector)).toEqual(Array.from(Float32Array.from(fakeEmbedding(embeddingText(stored!)))));
    const hits = await engine.retrieve('thu vien mo cua', { mode: 'vector' });
    expect(hits.results[0]?.chunk.text).toContain('Thư viện mở cửa');
    expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
    await engine.close();
    const logs: string[] = [];
    const reopened = await Engine.open({
      store: openSqliteStore(dataDir),
      dataDir,
      embeddings,
      embedderId: 'fake-embed',
      log: (m) => logs.push(m),
    });
    expect(logs.join('\n')).not.toMatch(/rebuild/);
    expect(reopened.vectors.size).toBe(1);
    await reopened.close();
  });

  it('refuses a file whose vectors have the wrong size, and stores nothing of it', async () => {
    const dataDir = join(root, 'wrong-size');
    // Told 32 dimensions, the server sends its default 64.
    const embeddings = createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'fake-embed' });
    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, embeddings, dimensions: 32, embedderId: 'fake-embed' });
    await expect(engine.ingest([notice('a.md', '# A\n\nMột đoạn văn ngắn.\n')])).rejects.toThrow(
      'the embedder returned 64 dimensions, expected 32',
    );
    expect(await engine.store.countChunks()).toBe(0);
    await engine.close();
  });

  it('picks the local embedder by default, keeping statistics, and the remote one for any other Embeddings', async () => {
    const local = await createEmbedder(undefined);
    expect(local).toBeInstanceOf(LocalEmbedder);
    expect(local).toMatchObject({ keepsStats: true, dimensions: 512 });
    const remote = await createEmbedder(createOpenAIEmbeddings({ baseURL: fake.baseURL, model: 'm', dimensions: 16 }), {
      embedderId: 'm-16',
    });
    expect(remote).toMatchObject({ keepsStats: false, stats: null, featureWeights: null, id: 'm-16', dimensions: 16 });
    expect(Array.from(await remote.embedQuery('xin chào'))).toEqual(fakeEmbedding('xin chào', 16));
  });

  it("takes a document's texts back out of the local statistics when it is not stored (undo)", async () => {
    const local = await createEmbedder(undefined);
    local.observe('Học phí lớp tin học là 450.000 đồng mỗi tháng.');
    const before = local.stats!.serialize().toString('base64');
    const slices = {
      each: async <T>(items: Iterable<T>, work: (item: T, i: number) => void) => {
        let i = 0;
        for (const item of items) work(item, i++);
      },
      map: async <T, U>(items: readonly T[], work: (item: T, i: number) => U) => items.map(work),
    };
    const { vectors, undo } = await local.embedDocument(['Thư viện mở cửa đến 20 giờ 30.', 'Phòng máy tầng 3.'], null, slices);
    expect(vectors.map((v) => v.length)).toEqual([512, 512]);
    expect(local.stats!.serialize().toString('base64')).not.toBe(before);
    undo();
    expect(local.stats!.serialize().toString('base64')).toBe(before);
  });
});
