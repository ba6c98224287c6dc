import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { lessonFile } from '../support/lesson-files.js';
import { openSqliteStore } from '../../src/store/index.js';

const childScript = join(import.meta.dirname, '../support/ingest-child.ts');

/** Starts the ingest child and SIGKILLs it once it has ingested `killAfter` files. */
function ingestAndKill(dataDir: string, killAfter: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // One process (node with tsx's loader), so SIGKILL hits the process doing the work.
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir, '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const progressed = [...output.matchAll(/progress (\d+)/g)].length;
      // Kill in the middle of the next file's work, not between files.
      if (progressed >= killAfter && !child.killed) setTimeout(() => child.kill('SIGKILL'), killAfter % 4);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(output);
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

describe('a crash during ingest', () => {
  for (const killAfter of [1, 4, 9]) {
    it(`leaves store and indexes in agreement when killed after ${killAfter} files, and a re-run completes`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'trogiang-crash-'));
      try {
        const output = await ingestAndKill(dataDir, killAfter);
        expect(output).toContain('ready');
        const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
        expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
        const items = Array.from({ length: 12 }, (_, i) => lessonFile(i));
        const outcomes = await engine.ingest(items);
        expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
        expect((await engine.store.listDocuments()).length).toBe(12);
        expect(await storeAndIndexesAgree(engine)).toEqual({ ok: true, problems: [] });
        await engine.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  }
});
