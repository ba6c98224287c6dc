import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { foldedTermsOf, joinFoldedTerms } from '../../src/retrieve/index.js';
import { openSqliteStore } from '../../src/store/index.js';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'trogiang-folded-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const corpusDir = join(import.meta.dirname, '../../corpus');
const questions = [
  'hoc phi lop 10 mot thang bao nhieu',
  'Thư viện mở cửa lúc mấy giờ?',
  'How do I reset my password?',
  'nghi qua bao nhieu tiet thi khong duoc thi',
];

async function ingestCorpus(engine: Engine): Promise<void> {
  const files = readdirSync(corpusDir).filter((f) => /\.(md|pdf|docx|html|txt)$/.test(f));
  await engine.ingest(files.map((f) => ({ bytes: readFileSync(join(corpusDir, f)), fileName: f, collection: 'chung' })));
}

const storedTerms = () => {
  const db = new Database(join(dataDir, 'trogiang.db'), { readonly: true });
  try {
    return db.prepare('SELECT seq, folded_terms AS terms FROM chunks ORDER BY seq').all() as Array<{ seq: number; terms: string | null }>;
  } finally {
    db.close();
  }
};

const results = async (engine: Engine) =>
  Promise.all(questions.map(async (q) => (await engine.retrieve(q, { k: 5 })).results.map((r) => [r.chunk.id, r.score, r.matchedTerms])));

describe('stored folded terms', () => {
  it('are written at ingest, filled in on open for chunks an earlier version stored, and retrieve as tokenising does', async () => {
    let engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    await ingestCorpus(engine);
    const written = storedTerms();
    expect(written.length).toBeGreaterThan(20);
    for (const chunk of await engine.store.getChunks(written.map((r) => r.seq))) {
      expect(chunk.foldedTerms).toBe(joinFoldedTerms(foldedTermsOf(chunk)));
    }
    const before = await results(engine);
    await engine.close();

    // As a data folder from before the column: every chunk without folded terms.
    const db = new Database(join(dataDir, 'trogiang.db'));
    db.prepare('UPDATE chunks SET folded_terms = NULL').run();
    db.close();
    const messages: string[] = [];
    engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir, log: (m) => messages.push(m) });
    try {
      expect(messages.some((m) => /folded terms stored for \d+ chunks/.test(m))).toBe(true);
      expect(storedTerms()).toEqual(written);
      expect(await results(engine)).toEqual(before);
    } finally {
      await engine.close();
    }

    // Chunks still without them (the fill could not write) are tokenised at query time: same results.
    engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    try {
      const db2 = new Database(join(dataDir, 'trogiang.db'));
      db2.prepare('UPDATE chunks SET folded_terms = NULL').run();
      db2.close();
      for (const value of Object.values(engine.retriever as unknown as Record<string, unknown>)) if (value instanceof Map) value.clear();
      expect((await engine.store.getChunks(written.map((r) => r.seq))).every((c) => c.foldedTerms === undefined)).toBe(true);
      expect(await results(engine)).toEqual(before);
    } finally {
      await engine.close();
    }
  });
});
