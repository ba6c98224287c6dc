import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/index.js';
import { makeDocument, openTempStore } from './store-helpers.js';

const newTables = ['conversations', 'messages', 'feedback', 'site_keys'];

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
    (r) => r.name,
  );
}

function indexes(db: Database.Database, table: string): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as Array<{
      name: string;
    }>
  ).map((r) => r.name);
}

describe('migration 2', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('upgrades a schema-1 file in place and keeps its documents and chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trogiang-migrate-'));
    dirs.push(dir);
    const path = join(dir, 'trogiang.db');

    // A data folder written by the first release: only migration 1 has run.
    const v1 = new Database(path);
    v1.pragma('journal_mode = WAL');
    v1.exec(migrations[0]!);
    v1.pragma('user_version = 1');
    v1.prepare("INSERT INTO collections (id, name, created_at) VALUES ('tin-hoc', 'Tin học', '2024-01-01T00:00:00.000Z')").run();
    v1.prepare(
      `INSERT INTO documents (id, collection, title, file_name, format, content_hash, bytes, pages, chunk_count, source, created_at, updated_at)
       VALUES ('d1', 'tin-hoc', 'Quy chế', 'quy-che.md', 'markdown', 'h', 3, 1, 1, x'616263', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`,
    ).run();
    v1.prepare(
      `INSERT INTO chunks (id, document_id, ordinal, collection, title, heading_path, page_start, page_end, lang, text, vector)
       VALUES ('d1#0', 'd1', 0, 'tin-hoc', 'Quy chế', '[]', NULL, NULL, 'vi', 'Học phí', x'0000803f')`,
    ).run();
    expect(tables(v1)).not.toContain('messages');
    v1.close();

    const store = new SqliteStore(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
      // Later migrations are appended by each step; the count is not pinned here.
      expect(migrations.length).toBeGreaterThanOrEqual(6);
      for (const t of newTables) expect(tables(store.db)).toContain(t);
      expect(indexes(store.db, 'messages').sort()).toEqual(['messages_conversation', 'messages_created']);
      // Chunks from before schema 3 are found through the partial index, not a scan of the table.
      expect(indexes(store.db, 'chunks')).toContain('chunks_without_folded_terms');
      expect((await store.chunksWithoutFoldedTerms(10)).map((c) => c.id)).toEqual(['d1#0']);
      expect((await store.getDocument('d1'))?.title).toBe('Quy chế');
      expect((await store.getDocumentSource('d1'))?.toString()).toBe('abc');
      expect(await store.countChunks()).toBe(1);
      expect(await store.collections.listCollections()).toEqual([
        {
          id: 'tin-hoc',
          name: 'Tin học',
          documents: 1,
          chunks: 1,
          createdAt: '2024-01-01T00:00:00.000Z',
          centerId: 'default',
          publishedAt: null,
        },
      ]);
      // The new tables work on the upgraded file.
      const m = await store.conversations.recordMessage({
        question: 'q',
        answer: 'a',
        mode: 'llm',
        answerable: true,
        answerability: 0.5,
        lang: 'vi',
        latencyMs: 1,
      });
      expect((await store.conversations.getMessage(m.id))?.mode).toBe('llm');
    } finally {
      await store.close();
    }
  });

  it('keeps documents across close and reopen, and reopening runs nothing twice', async () => {
    const t = openTempStore('trogiang-migrate-');
    dirs.push(t.dir);
    const { doc, source, chunks } = makeDocument('d1', 'tin-hoc');
    await t.store.replaceDocument(doc, source, chunks);
    const c = await t.store.conversations.recordMessage({
      question: 'q',
      answer: 'a',
      mode: 'extractive',
      answerable: true,
      answerability: 0.5,
      lang: 'vi',
      latencyMs: 1,
    });
    const reopened = t.reopen();
    expect(reopened.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(await reopened.getDocument('d1')).toEqual(doc);
    expect(await reopened.chunksOfDocument('d1')).toHaveLength(1);
    for (const name of newTables) expect(tables(reopened.db)).toContain(name);
    expect((await reopened.conversations.getMessage(c.id))?.question).toBe('q');
    t.store.close();
  });

  it('refuses a file written by a newer schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trogiang-migrate-'));
    dirs.push(dir);
    const path = join(dir, 'trogiang.db');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new SqliteStore(path)).toThrow(/newer trogiang/);
  });

  it('enforces the CHECK constraints and cascades deletes', async () => {
    const t = openTempStore('trogiang-migrate-');
    dirs.push(t.dir);
    const db = t.store.db;
    const m = await t.store.conversations.recordMessage({
      question: 'q',
      answer: 'a',
      mode: 'extractive',
      answerable: false,
      answerability: 0.1,
      lang: 'vi',
      latencyMs: 1,
    });
    await t.store.conversations.setFeedback(m.id, 'down');
    expect(() => db.prepare("UPDATE messages SET mode = 'magic' WHERE id = ?").run(m.id)).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE feedback SET rating = 'meh'").run()).toThrow(/CHECK/);
    db.prepare('DELETE FROM conversations WHERE id = ?').run(m.conversationId);
    expect(await t.store.conversations.getMessage(m.id)).toBeUndefined();
    expect((db.prepare('SELECT count(*) AS n FROM feedback').get() as { n: number }).n).toBe(0);
    t.store.close();
  });
});
