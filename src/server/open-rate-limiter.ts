import { Redis } from 'ioredis';
import type pino from 'pino';
import { openPostgresPool } from '../store/sql/index.js';
import { RateLimiter } from './rate-limiter.js';
import type { RequestLimiter } from './request-limiter.js';
import { SharedRateLimiter } from './shared-rate-limiter.js';

/**
 * The learners' rate limiter the settings name: shared over Redis with `REDIS_URL`, over
 * PostgreSQL (the store's `rate_limits` table) with only `DATABASE_URL`, else in memory as before.
 * An unreachable Redis does not stop the service from starting: it limits in memory meanwhile.
 */
export async function openRateLimiter(
  config: { redisUrl?: string | undefined; databaseUrl?: string | undefined },
  logger: Pick<pino.Logger, 'warn'>,
  options: { schema?: string; prefix?: string } = {},
): Promise<RequestLimiter> {
  const warn = (message: string, error: unknown) => logger.warn({ err: error }, message);
  if (config.redisUrl) {
    const client = new Redis(config.redisUrl, {
      // A request never waits for Redis to come back: it fails at once and the fallback counts it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 500,
      connectTimeout: 2000,
      lazyConnect: true,
    });
    // ioredis reports every failed reconnection; the limiter logs the outage once a minute.
    client.on('error', () => {});
    await client
      .connect()
      .catch((error: unknown) => warn('Redis unreachable at start: rate limits are per process until it answers', error));
    return new SharedRateLimiter({ kind: 'redis', client }, { warn, ...(options.prefix && { prefix: options.prefix }) });
  }
  if (config.databaseUrl) {
    const pool = openPostgresPool(config.databaseUrl, { max: 2, ...(options.schema && { schema: options.schema }) });
    return new SharedRateLimiter({ kind: 'postgres', pool }, { warn, ...(options.prefix && { prefix: options.prefix }) });
  }
  return new RateLimiter();
}
