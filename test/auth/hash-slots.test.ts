import { describe, expect, it } from 'vitest';
import type { AuthError } from '../../src/auth/index.js';
import { authServiceFor } from '../../src/server/auth-service-for.js';
import { SqliteStore } from '../../src/store/index.js';

describe('password hash slots', () => {
  it('runs at most maxConcurrentHashes at once, queues up to maxQueuedHashes, and refuses the rest with throttled', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const auth = authServiceFor(store, { scrypt: { N: 4096, r: 8, p: 1 }, maxConcurrentHashes: 2, maxQueuedHashes: 3 });
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => auth.hash(`mat-khau-so-${i}`)));
      const done = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(done).toHaveLength(5); // 2 running + 3 queued
      expect(refused).toHaveLength(3);
      for (const r of refused) expect(r.reason).toMatchObject({ code: 'throttled', retryAfterSeconds: 5 } satisfies Partial<AuthError>);
      // Slots are all given back: a later burst of the same size fares the same.
      const again = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => auth.hash(`lai-lan-nua-${i}`)));
      expect(again.every((o) => o.status === 'fulfilled')).toBe(true);
    } finally {
      store.close();
    }
  });

  it('refuses a login while the queue is full without counting it against the name', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const auth = authServiceFor(store, { scrypt: { N: 4096, r: 8, p: 1 }, maxConcurrentHashes: 1, maxQueuedHashes: 0 });
      const running = auth.hash('giu-cho-ban');
      await expect(auth.login('ai.do', 'mat-khau-bat-ky', '10.0.0.9')).rejects.toMatchObject({ code: 'throttled' });
      await running;
      expect(await auth.stores.loginAttempts.get('user:ai.do')).toBeUndefined();
    } finally {
      store.close();
    }
  });
});
