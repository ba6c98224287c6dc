import { describe, expect, it } from 'vitest';
import type { AskedTurn } from '../../evals/lib/ask-conversations.js';
import type { ConversationTurn } from '../../evals/lib/conversation-schema.js';
import { conversationReport, renderConversationMarkdown, renderConversationTable } from '../../evals/lib/conversation-report.js';
import { parseEvalArgs, UsageError } from '../../evals/lib/parse-eval-args.js';
import { questionScript, summarizeConversations } from '../../evals/lib/summarize-conversations.js';

let n = 0;
function asked(
  conversationId: string,
  turn: ConversationTurn,
  reply: { answer: string; answerable: boolean; rewrittenQuestion?: string | null; error?: string },
): AskedTurn {
  return {
    conversationId,
    index: n++,
    turn,
    serviceConversationId: 'svc',
    messageId: `m${n}`,
    mode: 'extractive',
    latencyMs: 5,
    answer: reply.answer,
    answerable: reply.answerable,
    rewrittenQuestion: reply.rewrittenQuestion ?? null,
    error: reply.error ?? null,
  };
}

const declined = { answer: 'Tài liệu của trung tâm chưa có thông tin này.', answerable: false };
const turns: AskedTurn[] = [
  asked(
    'c1',
    { q: 'Học phí một tháng bao nhiêu?', kind: 'single', type: 'money', expect: { any: ['350.000'] } },
    { answer: 'Học phí là 350.000 đồng/tháng. [1]', answerable: true },
  ),
  asked(
    'c1',
    { q: 'thu vien o dau', kind: 'string', type: 'place', expect: { any: ['nhà C'] } },
    {
      answer: 'Học phí là 350.000 đồng/tháng. [1]',
      answerable: true,
      rewrittenQuestion: 'Học phí một tháng bao nhiêu? thu vien o dau',
    },
  ),
  asked(
    'c1',
    { q: 'Thủ đô của Pháp là gì?', kind: 'out-of-scope', expect: 'decline' },
    { answer: 'Pháp đánh chiếm Sài Gòn năm 1945.', answerable: true },
  ),
  asked(
    'c2',
    { q: 'Lớp EA học phòng nào?', kind: 'single', type: 'place', expect: { any: ['A301'] } },
    { answer: 'Lớp EA học ở phòng A301. [1]', answerable: true },
  ),
  asked('c2', { q: 'còn lớp EB?', kind: 'follow-up', type: 'place', expect: { any: ['A302'] } }, declined),
  asked(
    'c3',
    { q: 'What is the capital of Australia?', kind: 'out-of-scope', expect: 'decline' },
    { answer: 'Not covered.', answerable: false },
  ),
  asked(
    'c3',
    { q: 'What is the hotline number?', kind: 'english', type: 'phone', expect: { any: ['0912 486 357'] } },
    { answer: '', answerable: false, error: 'HTTP 500: boom' },
  ),
];

describe('summarizeConversations', () => {
  const s = summarizeConversations(turns);

  it('counts right turns overall, per kind, per type and for time/place/phone/money', () => {
    expect(s.conversations).toBe(3);
    expect(s.overall).toEqual({ correct: 3, total: 7, accuracy: 3 / 7 });
    expect(s.byKind.single).toEqual({ correct: 2, total: 2, accuracy: 1 });
    expect(s.byKind.string).toEqual({ correct: 0, total: 1, accuracy: 0 });
    expect(s.byKind['out-of-scope']).toEqual({ correct: 1, total: 2, accuracy: 0.5 });
    expect(s.byKind['follow-up']!.accuracy).toBe(0);
    expect(s.byType.place).toEqual({ correct: 1, total: 3, accuracy: 1 / 3 });
    expect(s.byType.decline).toEqual({ correct: 1, total: 2, accuracy: 0.5 });
    expect(s.byType.time).toBeUndefined();
    // money 1/1, place 1/3, phone 0/1
    expect(s.timePlacePhoneMoney).toEqual({ correct: 2, total: 5, accuracy: 0.4 });
    expect(s.verdicts).toEqual({ answered: 2, 'missing-fact': 1, 'not-declined': 1, declined: 1, 'wrongly-declined': 1, error: 1 });
  });

  it('splits by how the question was typed', () => {
    expect(questionScript('Học phí bao nhiêu?')).toBe('vi');
    expect(questionScript('hoc phi bao nhieu')).toBe('vi-no-diacritics');
    expect(questionScript('How much is the fee?')).toBe('en');
    expect(s.byScript['vi-no-diacritics']).toEqual({ correct: 0, total: 1, accuracy: 0 });
  });

  it('lists each wrong turn with the answer given and the question as searched', () => {
    expect(s.wrong.map((w) => `${w.conversationId}#${w.turn} ${w.verdict}`)).toEqual([
      'c1#2 missing-fact',
      'c1#3 not-declined',
      'c2#5 wrongly-declined',
      'c3#7 error',
    ]);
    const glued = s.wrong[0]!;
    expect(glued.searchedAs).toBe('Học phí một tháng bao nhiêu? thu vien o dau');
    expect(glued.expected).toBe('nhà C');
    expect(glued.answer).toContain('350.000');
    expect(s.wrong[3]!.answer).toBe('(HTTP 500: boom)');
  });

  it('cuts a long answer to 240 characters', () => {
    const long = summarizeConversations([
      asked(
        'c9',
        { q: 'Học phí?', kind: 'single', type: 'money', expect: { any: ['999.999'] } },
        { answer: 'x'.repeat(1000), answerable: true },
      ),
    ]);
    expect(long.wrong[0]!.answer).toHaveLength(240);
  });

  it('checks the bars of issue 14 without gating', () => {
    expect(s.bars.map((b) => [b.name, b.min, b.pass])).toEqual([
      ['overall', 0.85, false],
      ['strings (kind string)', 0.85, false],
      ['follow-ups (kind follow-up)', 0.8, false],
      ['out-of-scope declined', 0.9, false],
      ['time / place / phone / money', 0.85, false],
    ]);
    const perfect = summarizeConversations(turns.filter((t) => t.turn.kind === 'single'));
    expect(perfect.bars[0]).toMatchObject({ name: 'overall', value: 1, pass: true });
    // No string turn asked: no value, so the bar is not met.
    expect(perfect.bars[1]).toMatchObject({ value: null, pass: false });
  });
});

describe('conversation reports', () => {
  const report = conversationReport({
    set: 'tiny.jsonl',
    service: 'http://x',
    rewritesKnown: true,
    runtimeMs: 1200,
    summary: summarizeConversations(turns),
    asked: turns,
    generatedAt: '2026-12-07T00:00:00Z',
  });

  it('keeps every turn in a few fields', () => {
    expect(report.turns).toHaveLength(7);
    expect(report.turns[0]).toEqual({
      id: 'c1',
      turn: 1,
      kind: 'single',
      type: 'money',
      correct: true,
      answerable: true,
      mode: 'extractive',
      latencyMs: 5,
    });
    expect(report.turns.filter((t) => t.correct)).toHaveLength(3);
  });

  it('prints a table and writes Markdown with the figures and the wrong turns', () => {
    const table = renderConversationTable(report);
    expect(table).toMatch(/overall\s+42\.9%\s+3\/7/);
    expect(table).toMatch(/time \/ place \/ phone \/ money\s+40\.0%\s+2\/5/);
    expect(table).toContain('searched as: "Học phí một tháng bao nhiêu? thu vien o dau"');
    const md = renderConversationMarkdown(report);
    expect(md).toContain('| kind out-of-scope | 50.0% | 1/2 |');
    expect(md).toContain('| c1#2 | string / place | missing-fact | thu vien o dau | Học phí một tháng bao nhiêu? thu vien o dau | nhà C |');
  });
});

describe('npm run eval options for the conversations', () => {
  it('asks the held-out set by default, and not with --beir or --no-conversations', () => {
    expect(parseEvalArgs([], '/repo').conversations).toBe('/repo/evals/heldout/conversations.jsonl');
    expect(parseEvalArgs(['--conversations', 'x.jsonl'], '/repo').conversations).toBe('x.jsonl');
    expect(parseEvalArgs(['--no-conversations'], '/repo').conversations).toBeNull();
    expect(parseEvalArgs(['--beir', 'b'], '/repo').conversations).toBeNull();
  });

  it('gates on the bars only with --conversations-check', () => {
    expect(parseEvalArgs(['--check'], '/r').conversationsCheck).toBe(false);
    expect(parseEvalArgs(['--conversations-check'], '/r').conversationsCheck).toBe(true);
    expect(() => parseEvalArgs(['--no-conversations', '--conversations-check'], '/r')).toThrow(UsageError);
  });
});
