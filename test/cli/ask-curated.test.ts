/**
 * `trogiang ask` answers as the service does (`answerQuestion` with the curation deps): the
 * center's verified answers first (no model call), expired documents never cited, the configured
 * model otherwise. Through the real CLI process on a temporary data folder.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCenterId, openSqliteStore, DocumentValidityStore, VerifiedAnswerStore } from '../../src/store/index.js';
import { verifiedMark } from '../../src/cli/commands.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';

const root = join(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'trogiang-ask-curated-'));
const dataDir = join(scratch, 'data');
const docs = join(scratch, 'docs');

/** Runs the CLI as a user does; resolves with its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, CORPUS_DIR: docs, OPENAI_BASE_URL: '', OPENAI_API_KEY: '', EMBEDDINGS: 'local', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const verifiedText = 'Học phí khóa tiếng Anh giao tiếp là 1.800.000 đồng một khóa 12 tuần (giáo vụ xác nhận).';
let expiredId = '';
let currentId = '';
let fake: FakeOpenAI;

beforeAll(async () => {
  mkdirSync(docs, { recursive: true });
  writeFileSync(
    join(docs, 'le-phi-2024.md'),
    '# Lệ phí năm 2024\n\nLệ phí thi lại môn tin học văn phòng là 150.000 đồng mỗi môn, nộp tại phòng Giáo vụ.\n',
  );
  writeFileSync(
    join(docs, 'le-phi-2026.md'),
    '# Lệ phí năm 2026\n\nLệ phí thi lại môn tin học văn phòng là 210.000 đồng mỗi môn, nộp tại phòng Giáo vụ.\n',
  );
  const ingest = await cli(['ingest', docs]);
  expect(ingest.code, ingest.stderr).toBe(0);
  // What a teacher does in the admin page, written to the same data folder while no command holds it.
  const store = openSqliteStore(dataDir);
  try {
    const byName = new Map((await store.listDocuments()).map((d) => [d.fileName, d.id]));
    expiredId = byName.get('le-phi-2024.md')!;
    currentId = byName.get('le-phi-2026.md')!;
    await new DocumentValidityStore(store.sql).update(expiredId, { validUntil: '2024-12-31' });
    await new VerifiedAnswerStore(store.sql, () => new Date()).create(
      defaultCenterId,
      { question: 'Học phí khóa tiếng Anh giao tiếp là bao nhiêu?', answer: verifiedText },
      'teacher',
    );
  } finally {
    await store.close();
  }
  fake = await startFakeOpenAI();
}, 120_000);

afterAll(async () => {
  await fake?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('trogiang ask', () => {
  it('gives the verified answer to a paraphrase typed without marks, marked as confirmed', async () => {
    const result = await cli(['ask', 'hoc phi khoa tieng anh giao tiep het bao nhieu tien']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(verifiedText);
    expect(result.stdout).toContain(verifiedMark);
  }, 90_000);

  it('never cites an expired document', async () => {
    const result = await cli(['ask', 'Lệ phí thi lại môn tin học văn phòng là bao nhiêu?']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('210.000');
    expect(result.stdout).not.toContain('150.000');
    expect(result.stdout).toContain(currentId);
    expect(result.stdout).not.toContain(expiredId);
    expect(result.stdout).not.toContain(verifiedMark);
  }, 90_000);

  it('answers with the configured model, and answers a verified question without calling it', async () => {
    fake.setChatBehavior({ reply: 'Theo tài liệu, lệ phí thi lại là 210.000 đồng mỗi môn [1].' });
    const env = { LLM: 'openai', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'test-key', EMBEDDINGS: 'local' };
    const model = await cli(['ask', 'Lệ phí thi lại môn tin học văn phòng là bao nhiêu?'], env);
    expect(model.code, model.stderr).toBe(0);
    expect(model.stdout).toContain('Theo tài liệu, lệ phí thi lại là 210.000 đồng mỗi môn');
    const chatCalls = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const before = chatCalls();
    expect(before).toBeGreaterThan(0);
    const verified = await cli(['ask', 'Học phí lớp tiếng Anh giao tiếp bao nhiêu ạ?'], env);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(verifiedText);
    expect(chatCalls()).toBe(before);
  }, 90_000);
});
