import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';
import { openServiceEngine } from '../../src/server/open-service-engine.js';
import { redactedDatabaseUrl } from '../../src/store/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-service-pg-'));
const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody:s3cret-pw@127.0.0.1:1/none' });

describe('the service and DATABASE_URL', () => {
  it('a PostgreSQL it cannot reach stops the start with an error naming the server, never the password', async () => {
    const failed = await openService(config, createLogger('silent')).catch((error: unknown) => error as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(
      /cannot open the PostgreSQL store at postgres:\/\/nobody:…@127\.0\.0\.1:1\/none \(DATABASE_URL\)/,
    );
    expect((failed as Error).message).not.toContain('s3cret-pw');
  });

  it('redacts only the password of a connection URL', () => {
    expect(redactedDatabaseUrl('postgres://u:p@h:5432/d')).toBe('postgres://u:…@h:5432/d');
    expect(redactedDatabaseUrl('postgres://u@h/d')).toBe('postgres://u@h/d');
  });

  it('refuses PROCESSES above 1 with DATABASE_URL: one process per replica', async () => {
    const refused = openServiceEngine(config, createLogger('silent'), { processes: { role: 'writer', index: 0, writerUrl: undefined } });
    await expect(refused).rejects.toThrow(/one process per replica/);
  });
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
