import { describe, expect, it } from 'vitest';
import { allowedLoss, checkConversationBaseline, makeConversationBaseline } from '../../evals/lib/conversation-baseline.js';
import type { ConversationSummary } from '../../evals/lib/summarize-conversations.js';

const tally = (correct: number, total: number) => ({ correct, total, accuracy: correct / total });

function summary(followUps: number, overall = 20 + followUps): ConversationSummary {
  return {
    conversations: 10,
    overall: tally(overall, 40),
    byKind: { single: tally(20, 20), 'follow-up': tally(followUps, 20) },
    byType: {},
    timePlacePhoneMoney: tally(10, 12),
    byScript: {},
    verdicts: {},
    bars: [],
    wrong: [],
  };
}

describe('conversation baseline gate', () => {
  it('records the right turns of every figure', () => {
    expect(makeConversationBaseline('evals/heldout/conversations.jsonl', summary(15))).toEqual({
      set: 'evals/heldout/conversations.jsonl',
      turns: 40,
      correct: { overall: 35, 'time/place/phone/money': 10, 'kind single': 20, 'kind follow-up': 15 },
    });
  });

  it('passes the same figures, better ones, and a loss of one turn', () => {
    const baseline = makeConversationBaseline('set', summary(15));
    expect(checkConversationBaseline(baseline, summary(15))).toEqual([]);
    expect(checkConversationBaseline(baseline, summary(18))).toEqual([]);
    expect(checkConversationBaseline(baseline, summary(15 - allowedLoss))).toEqual([]);
  });

  it('fails a figure that lost more than one turn, naming it', () => {
    const problems = checkConversationBaseline(makeConversationBaseline('set', summary(15)), summary(13));
    expect(problems).toEqual([
      'conversations overall: 33 right turns, baseline 35',
      'conversations kind follow-up: 13 right turns, baseline 15',
    ]);
  });

  it('asks for a new baseline when the set changed size', () => {
    const grown = { ...summary(15), overall: tally(35, 41) };
    expect(checkConversationBaseline(makeConversationBaseline('set', summary(15)), grown)[0]).toMatch(/41 turns, the baseline 40/);
  });
});
