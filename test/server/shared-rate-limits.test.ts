import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openRateLimiter } from '../../src/server/open-rate-limiter.js';
import type { RequestLimiter } from '../../src/server/request-limiter.js';
import { PostgresStore } from '../../src/store/index.js';
import { postgresUnavailable, testDatabaseUrl } from '../store/contract/store-adapters.js';
import { startService, type RunningService } from '../support/start-service.js';

/**
 * Issue 20 item 4: replicas share the learners' rate limits. Two limiters stand for two replicas;
 * the budget they share is 10 requests (30 a minute, a burst of 10: a window of 10 per 20 s).
 */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = (await fetchPing()) === 'PONG';
const postgresSkipped = await postgresUnavailable();
const schema = `t_limits_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const opened: RequestLimiter[] = [];
const quiet = { warn: () => {} };

async function fetchPing(): Promise<string> {
  const { Redis } = await import('ioredis');
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.ping();
  } catch {
    return 'unreachable';
  } finally {
    client.disconnect();
  }
}

/** Takes 10 alternately through both replicas, then the 11th through each: refused with the window's wait. */
async function sharesTheBudget(a: RequestLimiter, b: RequestLimiter): Promise<void> {
  const key = `browser:127.0.0.1|${randomBytes(8).toString('hex')}`;
  const waits: number[] = [];
  for (let i = 0; i < 10; i++) waits.push(await (i % 2 ? b : a).take(key, 30));
  expect(waits).toEqual(Array(10).fill(0));
  const refusedByA = await a.take(key, 30);
  const refusedByB = await b.take(key, 30);
  // The window is 20 s long and began with the first request a moment ago.
  for (const wait of [refusedByA, refusedByB]) {
    expect(wait).toBeGreaterThanOrEqual(15);
    expect(wait).toBeLessThanOrEqual(20);
  }
  // Another learner's budget is untouched.
  expect(await b.take(`${key}-other`, 30)).toBe(0);
}

const open = async (...args: Parameters<typeof openRateLimiter>) => {
  const limiter = await openRateLimiter(...args);
  opened.push(limiter);
  return limiter;
};

describe.skipIf(!redisUp)('rate limits shared over Redis', () => {
  it('two replicas share one budget: the 11th request across both is refused with the wait of the window', async () => {
    const prefix = `trogiang_test_${process.pid}`;
    await sharesTheBudget(await open({ redisUrl }, quiet, { prefix }), await open({ redisUrl }, quiet, { prefix }));
  });

  it('two services (createApp on loopback) share one learner budget through Redis', { timeout: 120_000 }, async () => {
    const services: RunningService[] = [];
    try {
      services.push(await startService({ REDIS_URL: redisUrl }), await startService({ REDIS_URL: redisUrl }));
      const clientId = randomBytes(16).toString('base64url');
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const response = await fetch(`${services[i % 2]!.baseURL}/api/search?q=hoc+phi`, { headers: { 'x-client-id': clientId } });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      expect(statuses).toEqual(Array(10).fill(200));
      for (const service of services) {
        const refused = await fetch(`${service.baseURL}/api/search?q=hoc+phi`, { headers: { 'x-client-id': clientId } });
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(15);
        expect((await refused.json()).error).toMatchObject({ code: 'rate_limited' });
      }
    } finally {
      for (const s of services) await s.close();
    }
  });
});

describe('when Redis is unreachable', () => {
  it('each process limits on its own (learners stay online) and a warning is logged once', async () => {
    const warnings: string[] = [];
    const limiter = await open({ redisUrl: 'redis://127.0.0.1:1' }, {
      warn: (_: unknown, message: string) => warnings.push(message),
    } as never);
    const key = `browser:127.0.0.1|${randomBytes(8).toString('hex')}`;
    const waits: number[] = [];
    for (let i = 0; i < 11; i++) waits.push(await limiter.take(key, 30));
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits[10]).toBeGreaterThanOrEqual(1);
    // One at start (unreachable), one when requests fell back; not one per request.
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThanOrEqual(2);
    expect(warnings.some((w) => w.includes('each process limits on its own'))).toBe(true);
  });
});

describe.skipIf(postgresSkipped)('rate limits shared over PostgreSQL (DATABASE_URL, no REDIS_URL)', () => {
  it('two replicas on one schema share one budget', async () => {
    // The store's migrations make the `rate_limits` table.
    const store = await PostgresStore.open(testDatabaseUrl, { schema, max: 1 });
    await store.close();
    const a = await open({ databaseUrl: testDatabaseUrl }, quiet, { schema });
    const b = await open({ databaseUrl: testDatabaseUrl }, quiet, { schema });
    await sharesTheBudget(a, b);
  });
});

afterAll(async () => {
  for (const l of opened.splice(0)) await l.close();
  if (!postgresSkipped) {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => admin.end());
  }
});
