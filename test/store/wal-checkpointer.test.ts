import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalCheckpointer } from '../../src/store/wal-checkpointer.js';
import { makeDocument, openTempStore } from './store-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const autoCheckpoint = (db: Database.Database) => db.pragma('wal_autocheckpoint', { simple: true }) as number;
const noPause = async () => {};

describe('WAL checkpoints off the main thread', () => {
  it('copies the frames another connection wrote into the database, on its own thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trogiang-ckpt-'));
    const path = join(dir, 'x.db');
    const db = new Database(path);
    const checkpointer = new WalCheckpointer(path);
    cleanups.push(() => {
      checkpointer.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (b BLOB)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 64; i++) insert.run(randomBytes(16 * 1024));
    })();
    const outcome = await checkpointer.checkpoint();
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.log).toBeGreaterThan(250);
    expect(outcome.checkpointed).toBe(outcome.log);
    // Nothing left for this connection to copy: its own checkpoint finds every frame done.
    const [mine] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    expect(mine!.checkpointed).toBe(mine!.log);
  });

  it('reports a database it cannot open as a failed outcome, without throwing', async () => {
    const checkpointer = new WalCheckpointer(join(tmpdir(), 'trogiang-no-such-folder', 'x.db'));
    cleanups.push(() => checkpointer.close());
    const outcome = await checkpointer.checkpoint();
    expect(outcome.ok).toBe(false);
  });

  it("leaves a large upload's checkpoint to the checkpointer, then turns SQLite's own checkpoints back on", async () => {
    const t = openTempStore('trogiang-ckpt-store-');
    cleanups.push(() => t.cleanup());
    const { doc, chunks } = makeDocument(
      'lon',
      'c',
      Array.from({ length: 300 }, (_, i) => `Đoạn ${i}: ${'học phí và lịch học '.repeat(40)}`),
    );
    const source = randomBytes(1 << 20);
    expect(autoCheckpoint(t.store.db)).toBe(1000);
    const delta = await t.store.replaceDocumentInSlices(doc, source, chunks, noPause);
    expect(delta.added).toHaveLength(300);
    // Committed and readable at once; SQLite's checkpoint stays off until the worker's is done.
    expect((await t.store.getDocumentSource('lon'))?.equals(source)).toBe(true);
    expect(autoCheckpoint(t.store.db)).toBe(0);
    await t.store.checkpointed;
    expect(autoCheckpoint(t.store.db)).toBe(1000);
    // The WAL's frames are in the database file: a fresh connection reading only it sees the document.
    const [left] = t.store.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    expect(left!.checkpointed).toBe(left!.log);
    expect((await t.reopen().getDocumentSource('lon'))?.equals(source)).toBe(true);
  });

  it('keeps a small upload on SQLite’s automatic checkpoint (no worker for a few KB)', async () => {
    const t = openTempStore('trogiang-ckpt-small-');
    cleanups.push(() => t.cleanup());
    const { doc, source, chunks } = makeDocument('nho', 'c');
    await t.store.replaceDocumentInSlices(doc, source, chunks, noPause);
    expect(autoCheckpoint(t.store.db)).toBe(1000);
    expect((await t.store.getDocument('nho'))?.chunkCount).toBe(1);
  });
});
