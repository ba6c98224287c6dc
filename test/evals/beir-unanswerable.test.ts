import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBeirDataset } from '../../src/eval/index.js';
import { beirQuestions } from '../../evals/lib/eval-questions.js';

const run = promisify(execFile);
let root: string;
let beir: string;

/**
 * A tiny BEIR folder: two judged questions about the center, one out-of-domain question that
 * answers.jsonl marks unanswerable (no qrels line: there is no relevant passage to list), and one
 * unjudged question with no answers line, which stays out as before.
 */
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'trogiang-beir-unans-'));
  beir = join(root, 'tiny');
  mkdirSync(beir);
  writeFileSync(
    join(beir, 'corpus.jsonl'),
    [
      { _id: 'd1', title: 'Học phí', text: 'Học phí lớp tin học cơ bản là 600.000 đồng một tháng, đóng trước ngày 5 hằng tháng.' },
      { _id: 'd2', title: 'Thư viện', text: 'Thư viện của trung tâm mở cửa từ thứ Hai đến thứ Sáu, buổi tối đến 20 giờ 30.' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  writeFileSync(
    join(beir, 'queries.jsonl'),
    [
      { _id: 'q1', text: 'Học phí lớp tin học cơ bản một tháng là bao nhiêu?' },
      { _id: 'q2', text: 'Thư viện mở cửa đến mấy giờ?' },
      { _id: 'q3', text: 'Giá vé máy bay từ Hà Nội đi Đà Lạt là bao nhiêu?' },
      { _id: 'q4', text: 'Câu hỏi chưa được chấm' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  writeFileSync(join(beir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n');
  writeFileSync(
    join(beir, 'answers.jsonl'),
    [
      { _id: 'q1', answers: ['600.000 đồng'], answerable: true },
      { _id: 'q2', answers: ['20 giờ 30'], answerable: true },
      { _id: 'q3', answers: [], answerable: false },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a BEIR folder with unanswerable questions', () => {
  it('keeps the questions answers.jsonl marks unanswerable though qrels.tsv has no line for them', () => {
    const dataset = readBeirDataset(beir);
    expect(dataset.queries.map((q) => q.id)).toEqual(['q1', 'q2']);
    expect(dataset.unanswerableQueries).toEqual([{ id: 'q3', text: 'Giá vé máy bay từ Hà Nội đi Đà Lạt là bao nhiêu?' }]);
    const questions = beirQuestions(dataset);
    expect(questions.map((q) => [q.id, q.answerable, q.gold.length])).toEqual([
      ['q1', true, 1],
      ['q2', true, 1],
      ['q3', false, 0],
    ]);
  });

  it('measures refusal on it in `npm run eval -- --beir`', async () => {
    const reports = join(root, 'reports');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'evals/run-eval.ts', '--beir', beir, '--mode', 'hybrid', '--reports', reports],
      { cwd: join(import.meta.dirname, '../..'), env: { ...process.env, OPENAI_BASE_URL: '', OPENAI_API_KEY: '' }, timeout: 120_000 },
    );
    expect(stdout).toMatch(/3 questions/);
    const report = JSON.parse(readFileSync(join(reports, 'beir-latest.json'), 'utf8'));
    const summary = report.datasets[0].configs[0].summary;
    expect(summary.questions).toBe(3);
    expect(summary.answerable).toBe(2);
    expect(summary.unanswerable).toBe(1);
    // Retrieval metrics stay over the two judged questions only.
    expect(summary.counts.ndcg10).toBe(2);
    // Refusal recall exists (it was null: no unanswerable question was kept) and averages over q3.
    expect(summary.counts.refusalRecall).toBe(1);
    expect(summary.refusals.recall).toBeTypeOf('number');
  }, 150_000);
});
