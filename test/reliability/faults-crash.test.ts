/**
 * SIGKILL of an ingest at seeded random points. Each seed runs the shared workload (adds,
 * replacements, removals, index saves) in a child process and kills it after a random number of
 * progress markers plus a random delay; some seeds kill the re-run too (a crash during recovery).
 * After each kill, the data folder on disk is checked before anything opens it:
 *
 * - the store holds exactly one of the states the workload passes through (never a mix): every
 *   document is one complete version of its file, with exactly that version's chunks;
 * - the index set `CURRENT` points at loads (never torn) and is not ahead of the store;
 *
 * then `trogiang check` must report agreement, and re-running the workload must complete and
 * end in the same state as an uninterrupted run.
 *
 * Seeds: TROGIANG_FAULT_SEEDS=1-200 (or 5,17) for a longer run or to replay a failure.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultChunkerSettings } from '../../src/chunk/index.js';
import { main } from '../../src/cli/main.js';
import { LocalEmbeddings } from '../../src/embed/index.js';
import { checkConsistency, contentHash, Engine } from '../../src/engine/index.js';
import { defaultBm25Params, defaultHnswSettings, loadIndexes, type IndexSettings } from '../../src/indexes/index.js';
import { bundleChild } from '../support/bundle-child.js';
import {
  lessonDocumentId,
  lessonVersion,
  markerCount,
  modelKey,
  parseSeeds,
  reachableStates,
  runWorkload,
  seededRandom,
  versionsByHash,
  type Model,
} from '../support/fault-workload.js';
import { openSqliteStore } from '../../src/store/index.js';

const defaultSeeds = Array.from({ length: 20 }, (_, i) => 1001 + i);
const seeds = parseSeeds(process.env.TROGIANG_FAULT_SEEDS, defaultSeeds);

let childPath: string;
/** Chunk texts of every version the workload writes, by content hash, from an uninterrupted ingest. */
const referenceChunks = new Map<string, string[]>();
let indexSettings: IndexSettings;
const freshStates = reachableStates().map(modelKey);
const finalState = freshStates.at(-1)!;

/** Where the kills landed, for the summary. */
const summary = { killPoints: new Map<string, number>(), partialSaves: 0, recoveryKills: 0, states: new Set<string>(), wallMs: 0 };

beforeAll(async () => {
  childPath = await bundleChild(join(import.meta.dirname, '../support/fault-ingest-child.ts'));
  const local = new LocalEmbeddings();
  indexSettings = {
    embedderId: local.id,
    dimensions: local.dimensions,
    chunker: defaultChunkerSettings,
    bm25: defaultBm25Params,
    hnsw: defaultHnswSettings,
  };
  const dir = mkdtempSync(join(tmpdir(), 'trogiang-fault-ref-'));
  const engine = await Engine.open({ store: openSqliteStore(dir), dataDir: dir });
  for (const [hash, { lesson, version }] of versionsByHash) {
    const item = { ...lessonVersion(lesson, version), collection: `ref-${version}` };
    const [outcome] = await engine.ingest([item]);
    if (outcome?.status !== 'added') throw new Error(`reference ingest of lesson ${lesson} v${version}: ${JSON.stringify(outcome)}`);
    referenceChunks.set(
      hash,
      (await engine.store.chunksOfDocument(outcome.document.id)).map((c) => c.text),
    );
  }
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

afterAll(() => {
  if (childPath) rmSync(childPath, { force: true });
  const points = [...summary.killPoints].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${n}× ${p}`);
  console.log(
    `crash faults: ${seeds.length} seeds, ${seeds.length + summary.recoveryKills} SIGKILLs (${summary.recoveryKills} during recovery), ` +
      `${summary.partialSaves} left a half-written index save, ${summary.states.size} distinct store states at the kill, ${(summary.wallMs / 1000).toFixed(1)} s\n  ` +
      points.join('\n  '),
  );
});

/** Names the point a kill landed at from the last marker the child printed. */
function killPoint(lines: string[], saveEvery: number): string {
  const last = lines.at(-1);
  if (!lines.includes('ready')) return 'opening the data folder (replay or rebuild of the indexes)';
  if (last === 'ready') return 'before the first step';
  if (last === 'done') return 'after a clean close';
  if (last === 'begin close') return 'closing (final index save)';
  const [kind, , op] = last!.split(' ');
  if (kind === 'end') return 'between two engine calls';
  if (kind === 'begin' && op === 'save') return 'inside an index save';
  if (kind === 'begin' && op === 'remove') return saveEvery === 0 ? 'inside a removal (with its index save)' : 'inside a removal';
  if (kind === 'begin') return 'inside an ingest, before its first file was stored';
  // After a `file` marker: the next file of the batch, or the ingest's own index save.
  return saveEvery === 0
    ? 'inside an ingest, after a file was stored (next file or index save)'
    : 'inside an ingest, after a file was stored';
}

/** Runs the child on `dataDir` and SIGKILLs it after a random marker plus a random delay; returns the markers it printed. */
function runChildAndKill(dataDir: string, saveEvery: number, random: () => number): Promise<string[]> {
  const target = Math.floor(random() * markerCount);
  const delayMs = Math.floor(random() * 12);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childPath, dataDir, String(saveEvery)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let scheduled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!scheduled && stdout.split('\n').length - 1 > target) {
        scheduled = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === 'SIGKILL') resolve(stdout.split('\n').filter(Boolean));
      else reject(new Error(`the ingest child exited with ${code} before the kill: ${stderr}`));
    });
  });
}

interface DiskState {
  model: Model;
  chunks: number;
  storeGeneration: number;
  /** A temporary file or an index folder other than the current one: a save was cut short. */
  partialSave: boolean;
}

/**
 * Reads the data folder as the kill left it. Asserts that every document is one complete version
 * of its file, and that the current index set loads and is not ahead of the store.
 */
function inspectDisk(dataDir: string): DiskState {
  const model = new Map<number, number>();
  let chunks = 0;
  let storeGeneration = 0;
  const dbPath = join(dataDir, 'trogiang.db');
  if (existsSync(dbPath)) {
    const db = new Database(dbPath);
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      if (tables.some((t) => t.name === 'documents')) {
        const docs = db.prepare('SELECT id, content_hash, chunk_count FROM documents').all() as Array<{
          id: string;
          content_hash: string;
          chunk_count: number;
        }>;
        // Sources are stored in parts since schema 4.
        const sourceOf = (hash: string) =>
          Buffer.concat(
            (
              db.prepare("SELECT bytes FROM blob_parts WHERE hash = ? AND kind = 'source' ORDER BY start").all(hash) as Array<{
                bytes: Buffer;
              }>
            ).map((r) => r.bytes),
          );
        for (const doc of docs) {
          expect(contentHash(sourceOf(doc.content_hash)), `source of ${doc.id} matches its hash`).toBe(doc.content_hash);
          const version = versionsByHash.get(doc.content_hash);
          expect(version, `${doc.id} holds a version the workload wrote`).toBeDefined();
          expect(doc.id).toBe(lessonDocumentId(version!.lesson));
          const texts = (
            db.prepare('SELECT text FROM chunks WHERE document_id = ? ORDER BY ordinal').all(doc.id) as Array<{ text: string }>
          ).map((r) => r.text);
          expect(texts, `chunks of ${doc.id} are exactly those of v${version!.version}`).toEqual(referenceChunks.get(doc.content_hash));
          expect(doc.chunk_count).toBe(texts.length);
          model.set(version!.lesson, version!.version);
          chunks += texts.length;
        }
        const orphans = db.prepare('SELECT count(*) AS n FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)').get() as {
          n: number;
        };
        expect(orphans.n, 'chunks without a document').toBe(0);
        const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'chunk_changes'").get() as { seq: number } | undefined;
        storeGeneration = row?.seq ?? 0;
      }
    } finally {
      db.close();
    }
  }
  const root = join(dataDir, 'indexes');
  let partialSave = false;
  if (existsSync(join(root, 'CURRENT'))) {
    const loaded = loadIndexes(root, indexSettings, true);
    expect(loaded.ok ? 'loads' : loaded.reason, 'the current index set').toBe('loads');
    if (loaded.ok) expect(loaded.indexes.generation).toBeLessThanOrEqual(storeGeneration);
    const current = readFileSync(join(root, 'CURRENT'), 'utf8').trim();
    for (const entry of readdirSync(root)) {
      if (entry !== 'CURRENT' && entry !== current) partialSave = true;
    }
    if (readdirSync(join(root, current)).some((f) => f.includes('.tmp-'))) partialSave = true;
  } else if (existsSync(root)) {
    partialSave = readdirSync(root).length > 0;
  }
  return { model, chunks, storeGeneration, partialSave };
}

async function cliCheck(dataDir: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['check'], { out: (t) => (out += t), err: (t) => (err += t) }, { DATA_DIR: dataDir });
  return { code, out, err };
}

/** One seed: kill, inspect, check, re-run. Throws what went wrong, with how to replay it. */
async function runSeed(seed: number): Promise<void> {
  const random = seededRandom(seed);
  const saveEvery = random() < 0.5 ? 0 : 2000;
  const dataDir = mkdtempSync(join(tmpdir(), `trogiang-fault-${seed}-`));
  try {
    const lines = await runChildAndKill(dataDir, saveEvery, random);
    const point = killPoint(lines, saveEvery);
    summary.killPoints.set(point, (summary.killPoints.get(point) ?? 0) + 1);
    const first = inspectDisk(dataDir);
    summary.states.add(modelKey(first.model));
    if (first.partialSave) summary.partialSaves++;
    expect(freshStates, `store state after the kill (${point})`).toContain(modelKey(first.model));

    if (random() < 0.3) {
      // Kill the re-run as well: it opens a crashed folder (replay or rebuild), then re-applies the workload.
      summary.recoveryKills++;
      const again = await runChildAndKill(dataDir, saveEvery, random);
      const point2 = `re-run: ${killPoint(again, saveEvery)}`;
      summary.killPoints.set(point2, (summary.killPoints.get(point2) ?? 0) + 1);
      const second = inspectDisk(dataDir);
      if (second.partialSave) summary.partialSaves++;
      expect(reachableStates(first.model).map(modelKey), `store state after the second kill (${point2})`).toContain(modelKey(second.model));
    }

    const check = await cliCheck(dataDir);
    expect(check.err).not.toMatch(/unreadable|disagree/);
    expect(check.out).toMatch(/^ok: store and indexes agree on \d+ chunks$/m);
    expect(check.code).toBe(0);

    const engine = await Engine.open({ store: openSqliteStore(dataDir), dataDir });
    try {
      const outcomes = await runWorkload(engine);
      expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
      expect((await checkConsistency(engine)).problems).toEqual([]);
      const present = new Set((await engine.store.listDocuments()).map((d) => d.id));
      for (const q of ['bài tập phân số', 'lịch kiểm tra cập nhật', 'bai 4 ban sua 2']) {
        const { results } = await engine.retrieve(q);
        expect(results.length).toBeGreaterThan(0);
        for (const r of results) expect(present.has(r.chunk.documentId), `${q} → ${r.chunk.documentId}`).toBe(true);
      }
    } finally {
      await engine.close();
    }
    // The saved folder after the re-run: the same documents as an uninterrupted run, a loadable index set.
    expect(modelKey(inspectDisk(dataDir).model)).toBe(finalState);
  } catch (error) {
    (error as Error).message =
      `seed ${seed} (replay: TROGIANG_FAULT_SEEDS=${seed} npx vitest run test/reliability/faults-crash.test.ts): ${(error as Error).message}`;
    throw error;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Two seeds at a time: one's child runs while the other is checked (2 cores). */
const concurrency = 2;
const outcomes = new Map<number, unknown>();

describe('SIGKILL of an ingest at random points', () => {
  beforeAll(
    async () => {
      const started = performance.now();
      const queue = [...seeds];
      const worker = async () => {
        for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
          outcomes.set(
            seed,
            await runSeed(seed).then(
              () => null,
              (error: unknown) => error,
            ),
          );
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      summary.wallMs = performance.now() - started;
    },
    60_000 + seeds.length * 30_000,
  );

  it.each(seeds)('seed %i: the store is the state before or after each change, check agrees, a re-run completes', (seed) => {
    const error = outcomes.get(seed);
    if (error) throw error;
    expect(outcomes.has(seed)).toBe(true);
  });

  it('spread the default seeds over the workload', () => {
    if (seeds.length < defaultSeeds.length) return; // a replay of a few seeds proves nothing about spread
    expect(summary.killPoints.size).toBeGreaterThanOrEqual(4);
    expect(summary.states.size).toBeGreaterThanOrEqual(5);
  });
});
