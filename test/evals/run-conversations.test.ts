import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askConversations } from '../../evals/lib/ask-conversations.js';
import { loadConversations } from '../../evals/lib/conversation-schema.js';
import type { ConversationReport } from '../../evals/lib/conversation-report.js';
import { startEvalService } from '../../evals/lib/start-eval-service.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai-server.js';
import { startService, writeSmallCorpus, type RunningService } from '../support/start-service.js';

const root = resolve(import.meta.dirname, '../..');
const tinySet = join(root, 'test/fixtures/conversations/tiny.jsonl');

/** `node --import tsx evals/run-conversations.ts …` in a child process, as `npm run eval` runs it. */
function runRunner(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'evals/run-conversations.ts'), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** The checks every run of the tiny set must pass, whatever the answers. */
function checkTinyReport(report: ConversationReport): void {
  expect(report.summary.conversations).toBe(3);
  expect(report.summary.overall.total).toBe(4);
  expect(report.turns.map((t) => `${t.id}#${t.turn}`)).toEqual(['t-001#1', 't-001#2', 't-002#1', 't-003#1']);
  expect(Object.keys(report.summary.byKind).sort()).toEqual(['out-of-scope', 'single']);
  expect(report.summary.byKind['out-of-scope']!.total).toBe(2);
  expect(report.summary.timePlacePhoneMoney.total).toBe(2);
  expect(report.summary.bars).toHaveLength(5);
  // The fee is in the small corpus ("450.000 đồng mỗi tháng"): the service answers it.
  expect(report.turns[0]).toMatchObject({ correct: true, answerable: true });
  // A decline turn is right exactly when the service declined.
  for (const t of report.turns.filter((x) => x.kind === 'out-of-scope')) expect(t.correct).toBe(!t.answerable);
  // "9h45" is in no material: always wrong, listed with the answer the service gave.
  const wrong = report.summary.wrong.find((w) => w.conversationId === 't-002')!;
  expect(wrong.question).toBe('thu vien mo cua may gio');
  expect(wrong.expected).toBe('9h45');
  expect(['missing-fact', 'wrongly-declined']).toContain(wrong.verdict);
  expect(wrong.answer.length).toBeGreaterThan(0);
  expect(report.summary.overall.correct).toBe(report.turns.filter((t) => t.correct).length);
}

describe('evals/run-conversations.ts against a real service', () => {
  let service: RunningService;
  let reports: string;
  beforeAll(async () => {
    service = await startService();
    reports = mkdtempSync(join(tmpdir(), 'trogiang-conv-reports-'));
  });
  afterAll(async () => {
    await service.close();
    rmSync(reports, { recursive: true, force: true });
  });

  it('asks a running service through POST /api/chat and writes the JSON report', async () => {
    const run = await runRunner([
      '--set',
      tinySet,
      '--base-url',
      service.baseURL,
      '--admin-token',
      service.adminToken,
      '--reports',
      reports,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ConversationReport;
    checkTinyReport(report);
    expect(report.service).toBe(service.baseURL);
    expect(report.rewritesKnown).toBe(true);
    expect(JSON.parse(readFileSync(join(reports, 'conversations-latest.json'), 'utf8'))).toEqual(report);
    expect(readFileSync(join(reports, 'conversations-latest.md'), 'utf8')).toContain('| t-002#1 | single / time |');
    // What was asked is what the service stored: four questions in three conversations.
    const log = (await (await service.admin('/questions?limit=100')).json()) as {
      items: Array<{ question: string; conversationId: string }>;
    };
    expect(log.items.map((i) => i.question).sort()).toEqual(
      ['Học phí lớp tin học cơ bản bao nhiêu?', 'Thủ đô của Pháp là gì?', 'Who won the 2022 World Cup?', 'thu vien mo cua may gio'].sort(),
    );
    expect(new Set(log.items.map((i) => i.conversationId)).size).toBe(3);
  });

  it('starts its own service over a corpus folder, warns about strings no material has, and gates only when asked', async () => {
    const corpus = join(reports, 'corpus');
    await writeSmallCorpus(corpus);
    const run = await runRunner([
      '--set',
      tinySet,
      '--corpus',
      corpus,
      '--reports',
      join(reports, 'own'),
      '--json',
      '--conversations-check',
    ]);
    // t-002 can never be right, so the overall bar fails: exit 1 with --conversations-check.
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('conversation-set warning: t-002 turn 1: none of ["9h45"] is in the materials');
    expect(run.stderr).toMatch(/conversation bars not met: overall/);
    const report = JSON.parse(run.stdout) as ConversationReport;
    checkTinyReport(report);
    expect(report.service).toMatch(/^own service on 127\.0\.0\.1:\d+ \(extractive answers, offline\)$/);
    expect(existsSync(join(reports, 'own', 'conversations-latest.md'))).toBe(true);
  });

  it('refuses a set that does not parse, or is missing, with exit 2 and asks nothing', async () => {
    const bad = join(reports, 'bad.jsonl');
    writeFileSync(
      bad,
      `${readFileSync(tinySet, 'utf8').split('\n')[0]}\n{"id":"x","turns":[{"q":"còn lớp tối?","kind":"follow-up","type":"time","expect":{"any":["18h00"]}}]}\n`,
    );
    const before = (await (await service.admin('/questions')).json()) as { total: number };
    const run = await runRunner(['--set', bad, '--base-url', service.baseURL]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`eval: ${bad}:2: turns.0.kind: a conversation cannot start with a follow-up`);
    const missing = await runRunner(['--set', join(reports, 'nope.jsonl'), '--base-url', service.baseURL]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: cannot read the set \(ENOENT\)/);
    expect(((await (await service.admin('/questions')).json()) as { total: number }).total).toBe(before.total);
  });
});

describe('askConversations', () => {
  it('carries the conversationId of the first reply through the later turns', async () => {
    const service = await startService();
    try {
      const [conversation] = loadConversations(tinySet);
      const asked = await askConversations([conversation!], { baseUrl: service.baseURL, adminToken: service.adminToken });
      expect(asked).toHaveLength(2);
      expect(asked[0]!.serviceConversationId).toBeTruthy();
      expect(asked[1]!.serviceConversationId).toBe(asked[0]!.serviceConversationId);
      const log = (await (await service.admin('/questions?limit=10')).json()) as { items: Array<{ id: string; conversationId: string }> };
      expect(log.items.every((i) => i.conversationId === asked[0]!.serviceConversationId)).toBe(true);
      expect(log.items.map((i) => i.id).sort()).toEqual(asked.map((a) => a.messageId).sort());
    } finally {
      await service.close();
    }
  });

  it('waits out a 429 for its Retry-After, then records the failure on the turn', async () => {
    const service = await startService({ RATE_LIMIT_PER_MINUTE: '1' });
    try {
      const [conversation] = loadConversations(tinySet);
      const waits: number[] = [];
      const asked = await askConversations([conversation!], {
        baseUrl: service.baseURL,
        maxRateLimitRetries: 2,
        sleep: async (ms) => void waits.push(ms),
      });
      expect(asked[0]!.error).toBeNull();
      expect(asked[1]!.error).toMatch(/^HTTP 429/);
      expect(waits).toHaveLength(2);
      for (const ms of waits) expect(ms).toBeGreaterThanOrEqual(1000);
    } finally {
      await service.close();
    }
  });
});

describe('startEvalService', () => {
  let corpus: string;
  let fake: FakeOpenAI;
  beforeAll(async () => {
    corpus = mkdtempSync(join(tmpdir(), 'trogiang-conv-corpus-'));
    await writeSmallCorpus(corpus);
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(corpus, { recursive: true, force: true });
  });
  const endpoint = () => ({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'test-key-not-secret',
    CHAT_MODEL: 'fake-chat',
    EMBEDDINGS: 'local',
  });

  it('runs offline by default, ignoring an endpoint in the environment, with the learner rate limit raised', async () => {
    const service = await startEvalService({ corpusDir: corpus, env: endpoint() });
    try {
      expect(service.description).toMatch(/extractive answers, offline/);
      // The default limit (30 a minute) would refuse the 31st question from this address.
      const statuses: number[] = [];
      for (let i = 0; i < 35; i++) {
        const response = await fetch(`${service.baseUrl}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ message: 'Học phí lớp tin học cơ bản bao nhiêu?' }),
        });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(fake.requests.filter((r) => r.path.includes('chat'))).toHaveLength(0);
    } finally {
      await service.close();
    }
  });

  it('answers with the configured model under useEnvSettings, and deletes its data folder on close', async () => {
    const service = await startEvalService({ corpusDir: corpus, useEnvSettings: true, env: endpoint() });
    const [conversation] = loadConversations(tinySet);
    try {
      expect(service.description).toMatch(/answers by fake-chat/);
      const asked = await askConversations([conversation!], { baseUrl: service.baseUrl });
      expect(asked[0]!.error).toBeNull();
      expect(fake.requests.some((r) => r.path.includes('chat'))).toBe(true);
      expect(existsSync(service.dataDir)).toBe(true);
    } finally {
      await service.close();
    }
    expect(existsSync(service.dataDir)).toBe(false);
  });
});
