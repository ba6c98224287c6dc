import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toPostgresPlaceholders } from '../../../src/store/sql/index.js';
import { adapters, postgresUnavailable, type Adapter } from './store-adapters.js';

const list = await adapters('sqldb');
const skippedPostgres = list.length === 1 ? await postgresUnavailable() : null;

describe('toPostgresPlaceholders', () => {
  it('numbers ? outside strings, quoted identifiers and comments', () => {
    expect(toPostgresPlaceholders("SELECT '?', \"a?\", ? FROM t -- why?\nWHERE a = ? AND b = 'it''s ?' /* ? */ AND c = ?")).toBe(
      "SELECT '?', \"a?\", $1 FROM t -- why?\nWHERE a = $2 AND b = 'it''s ?' /* ? */ AND c = $3",
    );
  });
});

describe.each(list.map((a) => [a.name, a] as const))('SqlDb on %s', (_name, adapter: Adapter) => {
  afterEach(async () => {
    await adapter.cleanup();
  });

  const idColumn = (dialect: string) =>
    dialect === 'postgres' ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const blob = (dialect: string) => (dialect === 'postgres' ? 'BYTEA' : 'BLOB');

  it('runs statements with ? parameters; integers come back as numbers, bytes as Buffers', async () => {
    const db = await adapter.sqlDb();
    await db.run(`CREATE TABLE t (id ${idColumn(db.dialect)}, name TEXT NOT NULL, n BIGINT, b ${blob(db.dialect)})`);
    const returning = db.dialect === 'postgres' ? ' RETURNING id' : '';
    const first = await db.run(`INSERT INTO t (name, n, b) VALUES (?, ?, ?)${returning}`, ['một', 2 ** 40, Buffer.from([0, 1, 255])]);
    expect(first).toEqual({ changes: 1, lastId: 1 });
    await db.run('INSERT INTO t (name, n, b) VALUES (?, ?, ?)', ['hai', 7, Buffer.alloc(0)]);
    const rows = await db.all<{ id: number; name: string; n: number; b: Buffer }>('SELECT id, name, n, b FROM t ORDER BY id');
    expect(rows).toEqual([
      { id: 1, name: 'một', n: 2 ** 40, b: Buffer.from([0, 1, 255]) },
      { id: 2, name: 'hai', n: 7, b: Buffer.alloc(0) },
    ]);
    expect(await db.get<{ n: number }>('SELECT count(*) AS n FROM t WHERE name <> ?', ['?'])).toEqual({ n: 2 });
    expect(await db.get('SELECT id FROM t WHERE name = ?', ['ba'])).toBeUndefined();
    expect((await db.run('UPDATE t SET n = n + 1')).changes).toBe(2);
  });

  it('rolls a failed transaction back whole, savepoints included', async () => {
    const db = await adapter.sqlDb();
    await db.run('CREATE TABLE t (k TEXT PRIMARY KEY)');
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (k) VALUES (?)', ['a']);
        await tx.transaction(async (inner) => inner.run('INSERT INTO t (k) VALUES (?)', ['b']));
        await tx.run('INSERT INTO t (k) VALUES (?)', ['a']); // duplicate key
      }),
    ).rejects.toThrow();
    expect(await db.all('SELECT k FROM t')).toEqual([]);
    // A failed savepoint leaves the rest of its transaction to commit.
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (k) VALUES (?)', ['c']);
      await expect(
        tx.transaction(async (inner) => {
          await inner.run('INSERT INTO t (k) VALUES (?)', ['d']);
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
    });
    expect(await db.all('SELECT k FROM t')).toEqual([{ k: 'c' }]);
  });

  it('isolates a transaction: a statement issued during it does not land inside it', async () => {
    const db = await adapter.sqlDb();
    await db.run('CREATE TABLE t (k TEXT PRIMARY KEY)');
    let outside: Promise<unknown> | undefined;
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (k) VALUES (?)', ['inside']);
        // Another request writes while this transaction awaits.
        outside = db.run('INSERT INTO t (k) VALUES (?)', ['outside']);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await outside;
    expect(await db.all('SELECT k FROM t')).toEqual([{ k: 'outside' }]);
  });

  it('serialises concurrent transactions (read, then write what was read)', async () => {
    const db = await adapter.sqlDb();
    await db.run('CREATE TABLE counter (n INTEGER NOT NULL)');
    await db.run('INSERT INTO counter (n) VALUES (0)');
    const lock = db.dialect === 'postgres' ? ' FOR UPDATE' : '';
    await Promise.all(
      Array.from({ length: 10 }, () =>
        db.transaction(async (tx) => {
          const { n } = (await tx.get<{ n: number }>(`SELECT n FROM counter${lock}`))!;
          await new Promise((resolve) => setTimeout(resolve, 2));
          await tx.run('UPDATE counter SET n = ?', [n + 1]);
        }),
      ),
    );
    expect(await db.get('SELECT n FROM counter')).toEqual({ n: 10 });
  });
});

if (skippedPostgres) it.skip(`SqlDb on postgres: ${skippedPostgres}`, () => {});

afterAll(async () => {
  for (const a of list) await a.cleanup();
});
