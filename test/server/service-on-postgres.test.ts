import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';
import { openServiceEngine } from '../../src/server/open-service-engine.js';
import { serviceStoreProblem } from '../../src/store/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-service-pg-'));
const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });

describe('the service and DATABASE_URL', () => {
  it('still refuses DATABASE_URL until every repository runs on PostgreSQL (serviceRunsOnPostgres)', async () => {
    expect(serviceStoreProblem({ databaseUrl: undefined })).toBeNull();
    expect(serviceStoreProblem(config)).toMatch(/DATABASE_URL/);
    await expect(openService(config, createLogger('silent'))).rejects.toBeInstanceOf(ConfigError);
  });

  it('refuses PROCESSES above 1 with DATABASE_URL: one process per replica', async () => {
    const refused = openServiceEngine(config, createLogger('silent'), { processes: { role: 'writer', index: 0, writerUrl: undefined } });
    await expect(refused).rejects.toThrow(/one process per replica/);
  });
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
