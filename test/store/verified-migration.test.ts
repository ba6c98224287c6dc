import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration of issue 18: verified answers and validity dates', () => {
  it('upgrades a data folder in place: messages and their feedback kept, mode "verified" accepted, other modes still refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trogiang-verified-migration-'));
    dirs.push(dir);
    const path = join(dir, 'trogiang.db');
    const before = migrations.findIndex((m) => m.includes('CREATE TABLE verified_answers'));
    expect(before).toBeGreaterThan(0);
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    for (const m of migrations.slice(0, before)) old.exec(m);
    old.pragma(`user_version = ${before}`);
    old.prepare("INSERT INTO conversations (id, site_key, created_at, updated_at) VALUES ('c1', NULL, 'x', 'x')").run();
    old
      .prepare(
        "INSERT INTO messages (id, conversation_id, question, answer, mode, answerable, answerability, lang, latency_ms, created_at) VALUES ('m1', 'c1', 'Học phí?', '450.000 đồng', 'llm', 1, 0.9, 'vi', 10, 'x')",
      )
      .run();
    old.prepare("INSERT INTO feedback (message_id, rating, created_at) VALUES ('m1', 'down', 'x')").run();
    old.close();

    const store = new SqliteStore(path);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(store.db.prepare('SELECT mode FROM messages').pluck().all()).toEqual(['llm']);
      expect(store.db.prepare('SELECT rating FROM feedback').pluck().all()).toEqual(['down']);
      const insert = (id: string, mode: string) =>
        store.db
          .prepare(
            "INSERT INTO messages (id, conversation_id, question, answer, mode, answerable, answerability, lang, latency_ms, created_at) VALUES (?, 'c1', 'q', 'a', ?, 1, 1, 'vi', 1, 'x')",
          )
          .run(id, mode);
      insert('m2', 'verified');
      expect(() => insert('m3', 'guessed')).toThrow(/CHECK constraint/);
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.db.prepare('SELECT valid_from, valid_until, last_checked, replaces FROM documents').all()).toEqual([]);
    } finally {
      store.close();
    }
    // Defensive mode is back on after migrating: the schema cannot be written to any more.
    const again = new SqliteStore(path);
    try {
      expect(() => again.db.exec('PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = sql WHERE 0;')).toThrow();
    } finally {
      again.close();
    }
  });
});
