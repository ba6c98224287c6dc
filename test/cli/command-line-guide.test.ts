/**
 * docs/command-line.md stays true: every `npx trogiang …` line of its `sh` blocks runs, in order
 * and as written, through a shell in the project folder, on a temporary data folder; each exits 0
 * and prints what the guide says it prints. And the guide covers every command and option the
 * CLI's help lists, so a new command cannot be left out of it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const guide = readFileSync(join(root, 'docs/command-line.md'), 'utf8');
const examples = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
  m[1]!.split('\n').filter((l) => l.startsWith('npx trogiang ')),
);
let scratch: string;
let tinyBeir: string;

/** What each command's output starts with (the guide's output blocks, without their figures). */
const expected: Array<[RegExp, RegExp]> = [
  [/^npx trogiang ingest /, /^\d+ files: \d+ added, \d+ replaced, \d+ unchanged, 0 failed; \d+ pages, \d+ chunks indexed\n$/],
  [
    /^npx trogiang search "hoc phi/,
    /^answerability 0\.\d\d \(answerable\)\n\n\[1\] Sổ tay học viên — .*\(trang \d+ · 3\.\d\. [^)]*học phí\)/,
  ],
  [/^npx trogiang search /, /^answerability 0\.\d\d \(answerable\)\n\n\[1\] /],
  [/^npx trogiang ask /, /\[1\][\s\S]*\n\nNguồn \/ Sources:\n\[1\] /],
  [/^npx trogiang docs list/, /^english-course-guide-md-d2f41d\ttieng-anh\tmarkdown\t/m],
  [/^npx trogiang docs remove /, /^removed english-course-guide-md-d2f41d\n$/],
  [/^npx trogiang reindex/, /^re-indexed 8 documents\n$/],
  [/^npx trogiang check --repair/, /^indexes rebuilt from the store\nok: store and indexes agree on 197 chunks\n$/],
  [/^npx trogiang check/, /^ok: store and indexes agree on 197 chunks\n$/],
  [/^npx trogiang backup /, /^backed up .*data to .*trogiang-backup\.db \([\d.]+ MB, \d+ index files\)\n$/],
  [/^npx trogiang restore /, /^restored .*trogiang-backup\.db into .*data \(the previous folder is .*data\.before-restore\)\n$/],
  [/^npx trogiang export-collection /, /^exported collection "tieng-anh" \(1 documents\) to .*tieng-anh\.trogiang\.zip \([\d.]+ KB\)\n$/],
  [
    /^npx trogiang import-collection /,
    /^ {2}\+ english-course-guide-md-[0-9a-f]{6}\t\d+ chunks\t.+\nimported 1 documents into collection "tieng-anh-ban-sao" \(created/,
  ],
  [/^npx trogiang eval /, /^(\{"dataset":.*"ndcg10":[\d.]+.*\}\n){2}$/],
  [/^npx trogiang --help/, /^trogiang: trợ giảng/],
];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'trogiang-guide-'));
  // For the eval example when ../shared/evaldata (beside the repository on the project's machines) is absent.
  tinyBeir = join(scratch, 'uit-regulation');
  mkdirSync(tinyBeir);
  writeFileSync(
    join(tinyBeir, 'corpus.jsonl'),
    [
      { _id: 'd1', title: 'Điều 5. Học phí', text: 'Sinh viên đóng học phí theo từng học kỳ, trước ngày 15 của tháng đầu học kỳ.' },
      { _id: 'd2', title: 'Điều 9. Thi lại', text: 'Sinh viên có điểm học phần dưới 4 được thi lại một lần trong cùng học kỳ.' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  writeFileSync(
    join(tinyBeir, 'queries.jsonl'),
    [
      { _id: 'q1', text: 'hạn đóng học phí' },
      { _id: 'q2', text: 'được thi lại mấy lần' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n'),
  );
  writeFileSync(join(tinyBeir, 'qrels.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docs/command-line.md', () => {
  it('covers every command and option of `npx trogiang --help`', () => {
    const help = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], { cwd: root, encoding: 'utf8' });
    const commands = help
      .split('\n')
      .filter((l) => l.startsWith('  npx trogiang '))
      .map((l) => {
        const words = l.trim().split(/\s+/).slice(2);
        return words
          .slice(0, words.findIndex((w) => /^[<["-]/.test(w)) === -1 ? words.length : words.findIndex((w) => /^[<["-]/.test(w)))
          .join(' ');
      });
    expect(commands).toEqual(expect.arrayContaining(['ingest', 'search', 'ask', 'docs list', 'docs remove', 'check', 'eval']));
    // `serve` runs until stopped, so it has a section but no example run here; the service tests
    // start it (test/server/server-entry.test.ts, test/server/processes.test.ts).
    const runUntilStopped = new Set(['serve']);
    for (const command of commands) {
      expect(
        runUntilStopped.has(command) || examples.some((e) => e.startsWith(`npx trogiang ${command}`)),
        `no example of \`${command}\``,
      ).toBe(true);
      expect(guide, `no section on \`${command}\``).toContain(`\`${command.split(' ')[0]}`);
    }
    for (const option of new Set(help.match(/--[a-z]+/g))) expect(guide, `${option} is not in the guide`).toContain(option);
  });

  it('has examples that all run as written, in order, on a temporary data folder', () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
    const evalSetPresent = existsSync(join(root, '../shared/evaldata/uit-regulation/qrels.tsv'));
    for (const example of examples) {
      const line = evalSetPresent ? example : example.replace('../shared/evaldata/uit-regulation', tinyBeir);
      const result = spawnSync('sh', ['-c', line], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          DATA_DIR: join(scratch, 'data'),
          TMPDIR: scratch,
          OPENAI_BASE_URL: '',
          OPENAI_API_KEY: '',
          EMBEDDINGS: '',
          LLM: '',
        },
      });
      expect(result.status, `${example}\n${result.stderr}`).toBe(0);
      expect(result.stderr, example).not.toMatch(/\n\s+at /);
      const shape = expected.find(([command]) => command.test(example));
      expect(shape, `no expected output for ${example}`).toBeDefined();
      expect(result.stdout, example).toMatch(shape![1]);
    }
    expect(existsSync(join(scratch, 'trogiang-backup.db'))).toBe(true);
    expect(existsSync(join(scratch, 'data.before-restore'))).toBe(true);
  }, 600_000);
});
