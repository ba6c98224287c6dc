import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConsistency, Engine } from '../../../src/engine/index.js';
import type { Store } from '../../../src/store/index.js';
import { adapters, postgresUnavailable, type Adapter } from './store-adapters.js';

const list = await adapters('engine');
const skippedPostgres = list.length === 1 ? await postgresUnavailable() : null;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-engine-store-'));
  dirs.push(dir);
  return dir;
};

const files = [
  ['hoc-phi.txt', 'Học phí khóa tin học văn phòng là 1.200.000 đồng một tháng. Học viên đóng học phí trước ngày 5 hằng tháng.'],
  ['lich-hoc.txt', 'Lớp buổi tối bắt đầu lúc 19 giờ 30 và kết thúc lúc 21 giờ. Lớp cuối tuần học sáng thứ Bảy.'],
  ['phong-may.txt', 'Phòng máy tính nằm ở tầng hai, mở cửa từ 7 giờ 30 đến 17 giờ.'],
] as const;
const questions = ['hoc phi mot thang bao nhieu', 'lớp buổi tối bắt đầu lúc mấy giờ', 'phòng máy ở đâu'];

/** What retrieval returns for the questions: chunk ids and scores, the same on every store. */
async function answers(engine: Engine<Store>) {
  const out: Array<{ ids: string[]; scores: number[]; answerable: boolean }> = [];
  for (const q of questions) {
    const r = await engine.retrieve(q, { k: 3 });
    out.push({ ids: r.results.map((h) => h.chunk.id), scores: r.results.map((h) => h.score), answerable: r.answerable });
  }
  return out;
}

const seen = new Map<string, unknown>();

describe.each(list.map((a) => [a.name, a] as const))('the engine over the %s store', (name, adapter: Adapter) => {
  it('ingests, retrieves, deletes, and rebuilds its indexes from the store alone', { timeout: 180_000 }, async () => {
    const store = await adapter.open();
    const engine = await Engine.open({ store, dataDir: tempDir() });
    const outcomes = await engine.ingest(files.map(([fileName, text]) => ({ bytes: Buffer.from(text), fileName, collection: 'chung' })));
    expect(outcomes.map((o) => o.status)).toEqual(['added', 'added', 'added']);
    const before = await answers(engine);
    expect(before[1]!.ids[0]).toContain('lich-hoc');
    expect((await checkConsistency(engine)).ok).toBe(true);

    // A second engine on the same store with no saved indexes (another replica's cold start).
    const other = await Engine.open({ store: await adapter.reopen(store), dataDir: tempDir() });
    expect(await answers(other)).toEqual(before);
    await other.close();

    const phong = (await store.listDocuments()).find((d) => d.fileName === 'phong-may.txt')!;
    expect(await engine.removeDocument(phong.id)).toBe(true);
    expect((await engine.retrieve('phòng máy ở đâu', { k: 3 })).results.every((r) => r.chunk.documentId !== phong.id)).toBe(true);
    expect((await checkConsistency(engine)).ok).toBe(true);
    seen.set(name, before);
    await engine.close();
  });
});

describe('both stores', () => {
  it.runIf(list.length === 2)('give the same retrieval, chunk for chunk and score for score', () => {
    expect(seen.get('postgres')).toEqual(seen.get('sqlite'));
    expect(seen.get('sqlite')).toBeDefined();
  });
});

if (skippedPostgres) it.skip(`the engine over the postgres store: ${skippedPostgres}`, () => {});

afterAll(async () => {
  for (const a of list) await a.cleanup();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
