import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startFakeOpenAI } from '../support/fake-openai-server.js';
import { makeVietnamesePdf } from '../support/make-fixtures.js';

let root: string;
let env: Record<string, string>;

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return main(args, { out: (t) => (out += t), err: (t) => (err += t) }, { ...env, ...extraEnv }).then((code) => ({ code, out, err }));
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'trogiang-cli-'));
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  writeFileSync(join(corpus, 'tin-hoc.pdf'), await makeVietnamesePdf());
  writeFileSync(join(corpus, 'thu-vien.md'), '# Thư viện\n\nThư viện mở cửa từ thứ Hai đến thứ Sáu, buổi tối đến 20 giờ 30.\n');
  env = { DATA_DIR: join(root, 'data'), CORPUS_DIR: corpus };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('trogiang CLI', () => {
  it('ingests the corpus on first ask and answers with a cited page', async () => {
    const { code, out, err } = await run(['ask', 'go tieng viet co dau can cai bo go gi']);
    expect(code).toBe(0);
    expect(err).toMatch(/first run, ingesting/);
    expect(out).toContain('Unikey');
    expect(out).toMatch(/\[1\] Tin học cơ bản cho người tự học \(trang 3/);
  });

  it('answers with the configured chat model, as the service does (it used to ignore it)', async () => {
    const fake = await startFakeOpenAI();
    try {
      fake.setChatBehavior({ reply: 'Thư viện mở cửa đến 20 giờ 30 buổi tối, từ thứ Hai đến thứ Sáu [1].' });
      const { code, out } = await run(['ask', 'thu vien mo cua den may gio'], {
        LLM: 'openai',
        EMBEDDINGS: 'local',
        OPENAI_BASE_URL: fake.baseURL,
        CHAT_MODEL: 'fake-chat',
      });
      expect(code).toBe(0);
      expect(out).toContain('Thư viện mở cửa đến 20 giờ 30 buổi tối, từ thứ Hai đến thứ Sáu [1].');
      expect(out).toMatch(/\[1\] Thư viện/);
      expect(fake.requests.filter((r) => r.path === '/v1/chat/completions')).not.toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it('lists documents and removes one by id', async () => {
    const list = await run(['docs', 'list']);
    const line = list.out.split('\n').find((l) => l.includes('Thư viện'))!;
    const id = line.split('\t')[0]!;
    expect((await run(['docs', 'remove', id])).code).toBe(0);
    expect((await run(['docs', 'list'])).out).not.toContain(id);
    expect((await run(['docs', 'remove', id])).code).toBe(1);
  });

  it('reports a failed file with its code and exits non-zero', async () => {
    const bad = join(root, 'hong.pdf');
    writeFileSync(bad, Buffer.from('%PDF-1.7\nnot really a pdf'));
    const { code, err, out } = await run(['ingest', bad]);
    expect(code).toBe(1);
    expect(err).toMatch(/hong\.pdf: corrupt_file/);
    expect(out).toMatch(/1 failed/);
  });

  it('searches with a chosen mode and shows matched terms', async () => {
    const { out } = await run(['search', 'he dieu hanh', '--mode', 'bm25', '--k', '2']);
    expect(out).toMatch(/matched: he, dieu, hanh/);
  });

  it('runs a BEIR evaluation and prints one JSON line per mode', async () => {
    const beir = join(root, 'beir');
    mkdirSync(beir);
    writeFileSync(
      join(beir, 'corpus.jsonl'),
      [
        { _id: 'd1', title: 'Học phí', text: 'Học phí lớp tin học là 450.000 đồng mỗi tháng.' },
        { _id: 'd2', title: 'Thư viện', text: 'Thư viện mở cửa đến 20 giờ 30.' },
        { _id: 'd3', title: 'Lịch thi', text: 'Kỳ thi học kỳ một diễn ra vào tháng Một.' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    writeFileSync(
      join(beir, 'queries.jsonl'),
      [
        { _id: 'q1', text: 'học phí tin học một tháng' },
        { _id: 'q2', text: 'thư viện mở đến mấy giờ' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    writeFileSync(join(beir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n');
    const { code, out } = await run(['eval', '--beir', beir, '--fold', '--mode', 'bm25,hybrid']);
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.mode)).toEqual(['bm25', 'hybrid']);
    for (const l of lines) {
      expect(l).toMatchObject({ folded: true, passages: 3, queries: 2, hit1: 1, ndcg10: 1 });
      expect(Object.keys(l)).toEqual([
        'dataset',
        'mode',
        'folded',
        'passages',
        'queries',
        'ndcg10',
        'hit1',
        'hit5',
        'mrr10',
        'recall10',
        'p50_ms',
        'p95_ms',
      ]);
    }
  });

  it('rejects an unknown mode and a bad setting with a message naming it', async () => {
    await expect(run(['eval', '--beir', root, '--mode', 'magic'])).rejects.toThrow(/unknown mode "magic"/);
    env = { ...env, LOCAL_EMBEDDING_DIMENSIONS: 'many' };
    await expect(run(['docs', 'list'])).rejects.toThrow(/LOCAL_EMBEDDING_DIMENSIONS/);
    delete env.LOCAL_EMBEDDING_DIMENSIONS;
  });
});
