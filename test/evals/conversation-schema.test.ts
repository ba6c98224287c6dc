import { describe, expect, it } from 'vitest';
import { ConversationSetError, parseConversations } from '../../evals/lib/conversation-schema.js';
import { lintConversations } from '../../evals/lib/lint-conversations.js';

const line = (value: unknown) => JSON.stringify(value);
const good = {
  id: 'c-001',
  note: 'fee, then a short unrelated question, a follow-up and an out-of-scope one',
  turns: [
    { q: 'Học phí một tháng bao nhiêu?', kind: 'single', type: 'money', expect: { any: ['350.000'] } },
    { q: 'lop buoi sang hoc may gio', kind: 'string', type: 'time', expect: { any: ['7h00', '7 giờ'] } },
    { q: 'còn lớp buổi tối thì sao?', kind: 'follow-up', type: 'time', expect: { any: ['18h00'], all: ['20h30'], within: 200 } },
    { q: 'Thủ đô của Pháp là gì?', kind: 'out-of-scope', expect: 'decline' },
  ],
};

describe('parseConversations', () => {
  it('reads the example of CONVERSATION-FORMAT.md, blank lines allowed', () => {
    const set = parseConversations(
      `${line(good)}\n\n${line({ id: 'c-002', turns: [{ q: 'How much is a level?', kind: 'english', type: 'money', expect: { any: ['2,000,000'] } }] })}\n`,
    );
    expect(set.map((c) => c.id)).toEqual(['c-001', 'c-002']);
    expect(set[0]!.turns[2]!.expect).toEqual({ any: ['18h00'], all: ['20h30'], within: 200 });
  });

  const refuse = (turn: unknown, message: RegExp) =>
    expect(() => parseConversations(line({ id: 'c-9', turns: [turn] }), 'set.jsonl')).toThrow(message);

  it('refuses a turn whose kind, type and expectation disagree, naming file, line and field', () => {
    refuse(
      { q: 'Thủ đô của Pháp?', kind: 'out-of-scope', type: 'place', expect: 'decline' },
      /set\.jsonl:1: turns\.0\.type: a "decline" turn has no type/,
    );
    refuse({ q: 'Học phí?', kind: 'single', expect: { any: ['350.000'] } }, /names its type/);
    refuse({ q: 'Thủ đô của Pháp?', kind: 'single', expect: 'decline' }, /out-of-scope" if and only if/);
    refuse({ q: 'Học phí?', kind: 'out-of-scope', type: 'money', expect: { any: ['350.000'] } }, /out-of-scope" if and only if/);
    refuse({ q: 'còn lớp tối?', kind: 'follow-up', type: 'time', expect: { any: ['18h00'] } }, /cannot start with a follow-up/);
  });

  it('refuses unknown kinds and types, empty or letterless expectations and unknown fields', () => {
    refuse({ q: 'x', kind: 'chitchat', type: 'time', expect: { any: ['7h00'] } }, /turns\.0\.kind/);
    refuse({ q: 'x', kind: 'single', type: 'weather', expect: { any: ['7h00'] } }, /turns\.0\.type/);
    refuse({ q: 'x', kind: 'single', type: 'time', expect: { any: [] } }, /expect/);
    refuse({ q: 'x', kind: 'single', type: 'time', expect: { any: [' - '] } }, /letter or a digit/);
    refuse({ q: 'x', kind: 'single', type: 'time', expect: { any: ['7h00'] }, lang: 'vi' }, /unknown|Unrecognized/i);
    refuse({ q: '   ', kind: 'single', type: 'time', expect: { any: ['7h00'] } }, /turns\.0\.q/);
  });

  it('refuses bad JSON and duplicate ids with the line number, and an empty set', () => {
    expect(() => parseConversations(`${line(good)}\n{oops`, 'a.jsonl')).toThrow(/a\.jsonl:2: not JSON/);
    expect(() => parseConversations(`${line(good)}\n${line(good)}`, 'a.jsonl')).toThrow(/a\.jsonl:2: duplicate id "c-001"/);
    expect(() => parseConversations('\n\n', 'a.jsonl')).toThrow(ConversationSetError);
  });
});

describe('lintConversations', () => {
  const texts = ['Học phí 350.000 đồng/tháng. Buổi sáng từ 7h00.', 'Lớp buổi tối 18h00-20h30.'];

  it('is silent when every expected string is in some document', () => {
    expect(lintConversations(parseConversations(line(good)), texts)).toEqual([]);
  });

  it('warns about a turn none of whose strings the materials contain, and about a missing `all` string', () => {
    const set = parseConversations(
      line({
        id: 'c-003',
        turns: [
          { q: 'Học phí?', kind: 'single', type: 'money', expect: { any: ['450.000', '450,000'] } },
          { q: 'còn tối?', kind: 'follow-up', type: 'time', expect: { any: ['18h00'], all: ['21h00'] } },
        ],
      }),
    );
    expect(lintConversations(set, texts)).toEqual([
      'c-003 turn 1: none of ["450.000","450,000"] is in the materials',
      'c-003 turn 2: "21h00" (all) is not in the materials',
    ]);
  });
});
