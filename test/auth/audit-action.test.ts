import { describe, expect, it } from 'vitest';
import { auditActionFor } from '../../src/server/request-actor.js';
import { authServiceFor } from '../../src/server/auth-service-for.js';
import { SqliteStore } from '../../src/store/index.js';

describe('audit of a data change', () => {
  const store = new SqliteStore(':memory:');

  it("records in the actor's center, the operator's token in the default one", async () => {
    const auth = authServiceFor(store);
    const record = auditActionFor(auth, { kind: 'token' }, '10.0.0.1', () => undefined);
    record('collection.create', 'toan', { name: 'Toán' });
    await record.written();
    const [entry] = (await auth.stores.audit.list({ limit: 1 })).entries;
    expect(entry).toMatchObject({
      centerId: 'default',
      actor: 'ADMIN_TOKEN',
      action: 'collection.create',
      target: 'toan',
      details: { name: 'Toán' },
      ip: '10.0.0.1',
    });
  });

  it('reports a failed write instead of throwing: the change it records is already made', async () => {
    const auth = authServiceFor(store);
    store.db.exec('DROP TABLE audit_log');
    const warnings: string[] = [];
    const record = auditActionFor(auth, { kind: 'token' }, null, (error, action) =>
      warnings.push(`${action}: ${(error as Error).message}`),
    );
    expect(() => record('document.delete', 'x')).not.toThrow();
    await expect(record.written()).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^document\.delete: no such table: audit_log/)]);
    store.close();
  });
});
