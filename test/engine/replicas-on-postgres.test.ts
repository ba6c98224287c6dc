import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type FollowerRegistry } from '../../src/engine/index.js';
import { operationsRoutes } from '../../src/routes/operations-routes.js';
import type { AppDeps } from '../../src/server/app-deps.js';
import { errorResponse } from '../../src/server/error-response.js';
import { createLogger } from '../../src/server/logger.js';
import { registerLagMetrics } from '../../src/server/lag-metrics.js';
import { createMetrics } from '../../src/server/metrics.js';
import { type ChangeListener, isStoreUnavailable, listenForChanges, PostgresStore, type Store } from '../../src/store/index.js';
import { postgresAdapter, postgresUnavailable, testDatabaseUrl } from '../store/contract/store-adapters.js';
import { bundleChild } from '../support/bundle-child.js';
import { finds, lesson } from '../support/replica-lessons.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const unavailable = await postgresUnavailable();
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-replica-'));
  dirs.push(dir);
  return dir;
};

/** Resolves once `check` holds, polling; fails after `ms`. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Replica {
  engine: Engine<Store>;
  logs: string[];
  listener: () => ChangeListener | undefined;
}

/** A replica on `store` with its own index cache folder, woken by LISTEN only (its poll is a minute). */
async function openReplica(store: PostgresStore, dataDir: string, replicaId: string): Promise<Replica> {
  const logs: string[] = [];
  let listener: ChangeListener | undefined;
  const engine = await Engine.openReplica<Store>({
    store,
    dataDir,
    replicaId,
    pollMs: 60_000,
    log: (m) => logs.push(m),
    listen: (wake) => {
      listener = listenForChanges(store, wake, { retryMs: 100, maxRetryMs: 500, log: (m) => logs.push(m) });
      return listener;
    },
  });
  return { engine, logs, listener: () => listener };
}

/** A process-wide stand-in for the PostgreSQL follower registry another change adds to the store. */
function sharedRegistry(): FollowerRegistry & { entries: Map<string, number> } {
  const entries = new Map<string, number>();
  return {
    entries,
    report: async (id, _pid, generation) => (entries.set(id, generation), true),
    remove: async (id) => entries.delete(id),
    oldestNeeded: async () => (entries.size === 0 ? undefined : Math.min(...entries.values())),
  };
}

describe.skipIf(unavailable !== null)('replicas on one PostgreSQL store', () => {
  const adapter = postgresAdapter('replicas');
  let storeA: PostgresStore;
  let a: Replica;
  let b: Replica;
  const dirB = tempDir();

  beforeAll(async () => {
    storeA = (await adapter.open()) as PostgresStore;
    a = await openReplica(storeA, tempDir(), 'a');
    b = await openReplica((await adapter.reopen(storeA)) as PostgresStore, dirB, 'b');
  }, 60_000);

  afterAll(async () => {
    await a?.engine.close();
    await b?.engine.close();
    await adapter.cleanup();
  });

  it('an upload through A is found by A at once and by B within 5 s (woken by NOTIFY, not the poll)', { timeout: 30_000 }, async () => {
    const [outcome] = await a.engine.ingest([lesson('KX1Q')]);
    expect(outcome!.status).toBe('added');
    // Read-your-writes: the upload answered once A's own follower applied it.
    expect(await finds(a.engine, 'KX1Q')).toBe(true);
    const waited = await within(5000, () => finds(b.engine, 'KX1Q'));
    expect(waited).toBeLessThan(5000);
    expect(b.engine.bm25.size).toBe(a.engine.bm25.size);
  });

  it('a deletion through B is gone from B at once and from A within 5 s', { timeout: 30_000 }, async () => {
    await a.engine.ingest([lesson('KX2Q')]);
    await within(5000, () => finds(b.engine, 'KX2Q'));
    const id = (await storeA.listDocuments()).find((d) => d.fileName === lesson('KX2Q').fileName)!.id;
    expect(await b.engine.removeDocument(id)).toBe(true);
    expect(await finds(b.engine, 'KX2Q')).toBe(false);
    await within(5000, async () => !(await finds(a.engine, 'KX2Q')));
    // Both apply the same log: once A has applied the deletion it holds what B holds.
    await within(5000, async () => a.engine.bm25.size === b.engine.bm25.size);
    expect(a.engine.bm25.size).toBe(b.engine.bm25.size);
  });

  it('B stopped while 10 changes are made through A catches up by sequence from its saved cache when restarted', {
    timeout: 60_000,
  }, async () => {
    await b.engine.close();
    for (let i = 0; i < 10; i++) await a.engine.ingest([lesson(`KY${i}Q`)]);
    b = await openReplica((await adapter.reopen(storeA)) as PostgresStore, dirB, 'b');
    expect(b.logs.some((m) => m.startsWith('rebuilding'))).toBe(false);
    expect(b.logs).toContain('indexes caught up with 10 stored changes');
    for (let i = 0; i < 10; i++) expect(await finds(b.engine, `KY${i}Q`)).toBe(true);
    expect((await b.engine.lag())!.generationsBehind).toBe(0);
  });

  it('a terminated LISTEN connection reconnects and catches up with what was committed meanwhile', { timeout: 30_000 }, async () => {
    const listener = b.listener()!;
    await within(5000, async () => listener.listening);
    const pid = listener.backendPid!;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    // Committed at once, while B's listener is (most likely) still away.
    await a.engine.ingest([lesson('KZ1Q')]);
    await within(5000, () => finds(b.engine, 'KZ1Q'));
    await within(5000, async () => listener.connections >= 2 && listener.listening && listener.backendPid !== pid);
    expect(b.logs.some((m) => m.startsWith('stopped listening for changes'))).toBe(true);
    // Listening again: the next change arrives by NOTIFY (the poll is a minute).
    await a.engine.ingest([lesson('KZ2Q')]);
    await within(5000, () => finds(b.engine, 'KZ2Q'));
  });

  it('trims the change log no further than the slowest live replica in the registry', { timeout: 30_000 }, async () => {
    const registry = sharedRegistry();
    Object.assign(storeA, { followers: registry });
    try {
      const before = await storeA.generation();
      registry.entries.set('slow-replica', before - 3);
      await a.engine.ingest([lesson('KW1Q')]);
      await a.engine.save();
      expect(await storeA.changesSince(before - 3)).toBeDefined();
      registry.entries.delete('slow-replica');
      registry.entries.set('a', await storeA.generation());
      await a.engine.save();
      expect(await storeA.changesSince(before - 3)).toBeUndefined();
    } finally {
      Object.assign(storeA, { followers: undefined });
    }
  });
});

describe.skipIf(unavailable !== null)('a replica through a PostgreSQL outage', () => {
  const adapter = postgresAdapter('outage');
  let direct: PostgresStore;
  let writer: Replica;
  let proxy: TcpProxy;
  let replica: Replica;
  let app: Hono;
  const logLines: string[] = [];

  beforeAll(async () => {
    direct = (await adapter.open()) as PostgresStore;
    writer = await openReplica(direct, tempDir(), 'writer');
    await writer.engine.ingest([lesson('KV1Q')]);
    const target = new URL(testDatabaseUrl);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const schema = (await direct.db.get<{ s: string }>('SELECT current_schema() AS s'))!.s;
    const viaProxy = new URL(testDatabaseUrl);
    viaProxy.port = String(proxy.port);
    const store = await PostgresStore.open(viaProxy.toString(), { schema, max: 4 });
    replica = await openReplica(store, tempDir(), 'behind-proxy');
    const metrics = createMetrics();
    registerLagMetrics(metrics, replica.engine as unknown as Engine, { role: 'replica', index: 0 });
    // What /readyz and /metrics read; the other dependencies are not touched by these routes.
    const deps = { engine: replica.engine, state: { draining: false }, metrics, config: {} } as unknown as AppDeps;
    const logger = createLogger('debug', new Writable({ write: (chunk, _e, done) => done(void logLines.push(String(chunk))) }));
    app = new Hono();
    app.use('*', requestId());
    app.route('/', operationsRoutes(deps));
    app.get('/search', async (c) => c.json(await replica.engine.retrieve(c.req.query('q') ?? '', { k: 3 })));
    // A request that needs the store (a search may be served from the chunk cache alone).
    app.get('/documents', async (c) => c.json(await replica.engine.store.listDocuments()));
    app.onError(errorResponse(logger));
  }, 60_000);

  afterAll(async () => {
    await proxy?.start();
    await replica?.engine.close();
    await writer?.engine.close();
    await adapter.cleanup();
  });

  it('answers 503 with Retry-After while PostgreSQL is away, never a 500, and recovers without a restart', {
    timeout: 60_000,
  }, async () => {
    const readyBefore = await app.request('/readyz');
    expect(readyBefore.status).toBe(200);
    expect(await readyBefore.json()).toMatchObject({ ready: true, storeOpen: true, replica: { lag: { generationsBehind: 0 } } });
    expect(await (await app.request('/metrics')).text()).toMatch(/trogiang_index_generations_behind\{role="replica",process="0"\} 0/);
    expect((await app.request('/search?q=KV1Q')).status).toBe(200);

    await proxy.stop();
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, storeOpen: false });
    for (let i = 0; i < 5; i++) {
      const res = await app.request('/documents');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = (await res.json()) as { error: { code: string; messageVi: string } };
      expect(body.error.code).toBe('store_unavailable');
      expect(body.error.messageVi).toContain('cơ sở dữ liệu');
    }
    await expect(replica.engine.store.getChunks([1])).rejects.toSatisfy(isStoreUnavailable);
    // /metrics still answers (the lag gauges keep their last values).
    expect((await app.request('/metrics')).status).toBe(200);
    expect(logLines.join('')).not.toContain('unexpected error');

    // Changes go on through the other connection meanwhile; the replica catches up after.
    await writer.engine.ingest([lesson('KV2Q')]);
    await proxy.start();
    await within(10_000, async () => (await app.request('/readyz')).status === 200);
    await within(10_000, () => finds(replica.engine, 'KV2Q'));
    expect((await app.request('/documents')).status).toBe(200);
    // LISTEN is back too: a new change arrives by NOTIFY (the poll is a minute).
    await within(10_000, async () => replica.listener()!.listening);
    await writer.engine.ingest([lesson('KV3Q')]);
    await within(5000, () => finds(replica.engine, 'KV3Q'));
  });
});

describe.skipIf(unavailable !== null)('a replica in a child process', () => {
  const adapter = postgresAdapter('child');
  let a: Replica;
  let child: ChildProcess | undefined;
  let next = 1;
  const pending = new Map<number, (reply: { result?: unknown; error?: string }) => void>();
  const ask = (message: Record<string, unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, (reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply.result)));
      child!.send({ ...message, id });
    });

  beforeAll(async () => {
    const store = (await adapter.open()) as PostgresStore;
    a = await openReplica(store, tempDir(), 'in-process');
    const schema = (await store.db.get<{ s: string }>('SELECT current_schema() AS s'))!.s;
    const bundle = await bundleChild(join(import.meta.dirname, '../support/replica-child.ts'));
    child = spawn(process.execPath, [bundle], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, REPLICA_DATABASE_URL: testDatabaseUrl, REPLICA_SCHEMA: schema, REPLICA_DIR: tempDir() },
    });
    const ready = new Promise<void>((resolve, reject) => {
      pending.set(0, () => resolve());
      child!.once('exit', (code) => reject(new Error(`the replica child exited (${code})`)));
    });
    child.on('message', (reply: { id: number; result?: unknown; error?: string }) => {
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
    await ready;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) await ask({ op: 'close' }).catch(() => child?.kill('SIGKILL'));
    await a?.engine.close();
    await adapter.cleanup();
  });

  it('an upload through the child is found in this process within 5 s, a deletion here is gone there within 5 s', {
    timeout: 60_000,
  }, async () => {
    expect(await ask({ op: 'ingest', code: 'KC1Q' })).toBe('added');
    expect(await ask({ op: 'find', code: 'KC1Q' })).toBe(true);
    await within(5000, () => finds(a.engine, 'KC1Q'));

    await a.engine.ingest([lesson('KC2Q')]);
    await within(5000, async () => (await ask({ op: 'find', code: 'KC2Q' })) === true);
    const id = (await a.engine.store.listDocuments()).find((d) => d.fileName === lesson('KC1Q').fileName)!.id;
    expect(await a.engine.removeDocument(id)).toBe(true);
    await within(5000, async () => (await ask({ op: 'find', code: 'KC1Q' })) === false);
  });
});

if (unavailable) it.skip(`replicas on PostgreSQL: ${unavailable}`, () => {});

afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
