/**
 * The bad package catalogue (issue #16, item 5): every case of test/fixtures/bad/packages.json is
 * imported through the real service (HTTP on loopback) and the real CLI, must be refused with the
 * listed status, code and reason in English and Vietnamese, and must leave the documents, the
 * collections with their metadata, the chunks and the indexes exactly as they were.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readZip } from '../../src/packages/index.js';
import { SqliteStore, type TrogiangStore } from '../../src/store/index.js';
import { storeAndIndexesAgree } from '../support/consistency.js';
import { badPackageGenerators, makeRawZip, sampleLessons, trogiangPackageEntries } from '../support/make-packages.js';
import { startService, writeSmallCorpus, type RunningService } from '../support/start-service.js';

interface PackageCase {
  id: string;
  input: string;
  generator: string;
  expect: { status: number; code: string; reason: string };
}

const root = join(import.meta.dirname, '..', '..');
const cases = (JSON.parse(readFileSync(join(root, 'test/fixtures/bad/packages.json'), 'utf8')) as { cases: PackageCase[] }).cases;
const vietnameseLetter = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

/** A reason a person can read, in both languages: no stack trace, no source path, no exception name. */
function expectBilingual(en: unknown, vi: unknown, label: string): void {
  for (const [text, lang] of [
    [en, 'en'],
    [vi, 'vi'],
  ] as const) {
    expect(typeof text, `${label} (${lang})`).toBe('string');
    expect((text as string).length, `${label} (${lang})`).toBeGreaterThan(20);
    expect(text as string, `${label} (${lang})`).not.toMatch(
      /\n\s+at |node_modules|\/src\/|\.ts:\d|TypeError|RangeError|undefined|\[object /,
    );
  }
  expect(vi as string, `${label} (vi)`).toMatch(vietnameseLetter);
}

/** What a refused import must not change: documents, collections and their metadata, chunks. */
async function stateOf(store: TrogiangStore) {
  return {
    documents: (await store.listDocuments()).map((d) => `${d.id} ${d.contentHash} ${d.chunkCount} ${d.updatedAt}`),
    collections: await Promise.all(
      (await store.collections.listCollections()).map(
        async (c) => `${c.id} ${c.name} ${c.documents} ${c.chunks} ${JSON.stringify(await store.collectionMetadata.get(c.id))}`,
      ),
    ),
    chunks: await store.countChunks(),
  };
}

const made = new Map<string, Promise<Uint8Array>>();
const bytesOf = (generator: string) => {
  if (!made.has(generator)) made.set(generator, Promise.resolve(badPackageGenerators[generator]!()));
  return made.get(generator)!;
};

describe('the bad package catalogue (test/fixtures/bad/packages.json)', () => {
  it('has at least ten distinct cases covering what the issue lists, each with a generator', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const reasons = new Set(cases.map((c) => c.expect.reason));
    for (const r of [
      'zip_bomb',
      'unsafe_path',
      'symlink_entry',
      'checksum_mismatch',
      'missing_manifest',
      'too_many_entries',
      'duplicate_name',
      'not_a_zip',
      'truncated_zip',
      'unsupported_file',
      'encrypted_entry',
    ]) {
      expect(reasons, r).toContain(r);
    }
    for (const c of cases) expect(badPackageGenerators, c.id).toHaveProperty([c.generator]);
  });

  it('bends a package that is otherwise good: the unbent one imports (so each case fails for its own reason)', async () => {
    const files = await readZip(makeRawZip(trogiangPackageEntries(sampleLessons())));
    expect(files.map((f) => f.name)).toEqual([
      'manifest.json',
      'metadata.jsonld',
      'documents/bai-1-bang-tinh.md',
      'documents/bai-2-thu-dien-tu.md',
    ]);
  });
});

describe('bad packages through the service', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ RATE_LIMIT_PER_MINUTE: '1000' });
    await svc.deps.engine.store.collectionMetadata.update('chung', { licence: 'CC-BY-4.0', attribution: 'TTGDTX mẫu' });
  });
  afterAll(async () => svc?.close());

  it.each(cases.map((c) => [`${c.id}: ${c.input}`, c] as const))('refuses %s, changing nothing', async (_, c) => {
    const engine = svc.deps.engine;
    const before = {
      ...(await stateOf(engine.store)),
      generation: await engine.store.generation(),
      bm25: engine.bm25.size,
      vectors: engine.vectors.size,
    };
    const form = new FormData();
    form.append('package', new Blob([(await bytesOf(c.generator)) as Uint8Array<ArrayBuffer>]), `${c.id}.zip`);
    const res = await svc.admin('/collections/import', { method: 'POST', body: form });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(c.expect.status);
    expect(body.error.code).toBe(c.expect.code);
    expect(body.error.reason).toBe(c.expect.reason);
    expectBilingual(body.error.message, body.error.messageVi, c.id);
    const after = {
      ...(await stateOf(engine.store)),
      generation: await engine.store.generation(),
      bm25: engine.bm25.size,
      vectors: engine.vectors.size,
    };
    // A package refused after its documents were ingested is rolled back: the change log records
    // the add and the removal, so only its generation moves on.
    if (c.expect.reason === 'document_failed') after.generation = before.generation;
    expect(after).toEqual(before);
    expect((await storeAndIndexesAgree(engine)).ok).toBe(true);
  });
});

describe('bad packages through the CLI', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trogiang-bad-packages-'));
    await writeSmallCorpus(join(dir, 'corpus'));
    env = { DATA_DIR: join(dir, 'data'), CORPUS_DIR: join(dir, 'corpus') };
    const quiet = { out: () => {}, err: () => {} };
    expect(await main(['ingest', join(dir, 'corpus')], quiet, env)).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const snapshot = async () => {
    const store = new SqliteStore(join(dir, 'data', 'trogiang.db'));
    try {
      return await stateOf(store);
    } finally {
      store.close();
    }
  };

  it.each(cases.map((c) => [`${c.id}`, c] as const))('import-collection refuses %s with exit 1 and both languages', async (_, c) => {
    const file = join(dir, `${c.id}.zip`);
    writeFileSync(file, await bytesOf(c.generator));
    const before = await snapshot();
    let out = '';
    let err = '';
    const code = await main(
      ['import-collection', file],
      {
        out: (t) => {
          out += t;
        },
        err: (t) => {
          err += t;
        },
      },
      env,
    );
    expect(code, err).toBe(1);
    expect(err).toContain(`${c.expect.reason}:`);
    const lines = err.split('\n').filter((l) => l.startsWith('trogiang: ') && !/^trogiang: import into /.test(l));
    expectBilingual(lines.at(-2)?.replace(/^trogiang: [a-z_]+: /, ''), lines.at(-1)?.replace(/^trogiang: /, ''), c.id);
    expect(out).not.toMatch(/imported/);
    expect(await snapshot()).toEqual(before);
  });
});
