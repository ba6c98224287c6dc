import { detectLanguage, hasDiacritics } from '../../src/text/index.js';
import type { AskedTurn } from './ask-conversations.js';
import { answerTypes, factTypes, turnKinds } from './conversation-schema.js';
import { scoreTurn, type TurnVerdict } from './score-turn.js';

/** Right turns out of asked turns; `accuracy` is null when there were none. */
export interface Tally {
  correct: number;
  total: number;
  accuracy: number | null;
}

/** A turn scored wrong, with what the service said and searched. */
export interface WrongTurn {
  conversationId: string;
  /** 1-based, as people count turns. */
  turn: number;
  question: string;
  kind: string;
  type: string | null;
  expected: string;
  verdict: TurnVerdict | 'error';
  /** The answer given, cut to 240 characters. */
  answer: string;
  /** The question as the service searched it: its rewrite of a follow-up, or the question as typed. */
  searchedAs: string;
}

/** A bar of issue 14 (not a gate unless `--conversations-check`). */
export interface ConversationBar {
  name: string;
  min: number;
  value: number | null;
  pass: boolean;
}

export interface ConversationSummary {
  conversations: number;
  overall: Tally;
  byKind: Record<string, Tally>;
  byType: Record<string, Tally>;
  /** Issue 14's "time / place / phone / money" figure: the turns of those four types. */
  timePlacePhoneMoney: Tally;
  /** Vietnamese typed with diacritics, Vietnamese typed without, English. */
  byScript: Record<string, Tally>;
  verdicts: Record<string, number>;
  bars: ConversationBar[];
  wrong: WrongTurn[];
}

const tally = (correct: number, total: number): Tally => ({ correct, total, accuracy: total ? correct / total : null });

function count(entries: Array<{ key: string; correct: boolean }>, keys: readonly string[]): Record<string, Tally> {
  const out: Record<string, Tally> = {};
  for (const key of keys) {
    const mine = entries.filter((e) => e.key === key);
    if (mine.length) out[key] = tally(mine.filter((e) => e.correct).length, mine.length);
  }
  return out;
}

/** Which way the question was typed, for the script breakdown. */
export function questionScript(question: string): 'vi' | 'vi-no-diacritics' | 'en' {
  if (hasDiacritics(question)) return 'vi';
  return detectLanguage(question) === 'en' ? 'en' : 'vi-no-diacritics';
}

const expectedText = (turn: AskedTurn['turn']) =>
  turn.expect === 'decline'
    ? 'decline'
    : `${turn.expect.any.join(' | ')}${turn.expect.all?.length ? ` + all of ${turn.expect.all.join(', ')}` : ''}`;

/** The bars the lead may gate on (issue 14); `--conversations-check` makes them a gate. */
export const conversationBarMinimums = [
  { name: 'overall', min: 0.85, pick: (s: Pick<ConversationSummary, 'overall'>) => s.overall },
  { name: 'strings (kind string)', min: 0.85, pick: (s: Pick<ConversationSummary, 'byKind'>) => s.byKind.string },
  { name: 'follow-ups (kind follow-up)', min: 0.8, pick: (s: Pick<ConversationSummary, 'byKind'>) => s.byKind['follow-up'] },
  { name: 'out-of-scope declined', min: 0.9, pick: (s: Pick<ConversationSummary, 'byKind'>) => s.byKind['out-of-scope'] },
  { name: 'time / place / phone / money', min: 0.85, pick: (s: Pick<ConversationSummary, 'timePlacePhoneMoney'>) => s.timePlacePhoneMoney },
] as const;

/** Scores every asked turn and adds up the figures. Pure. */
export function summarizeConversations(asked: readonly AskedTurn[]): ConversationSummary {
  const scored = asked.map((a) => {
    const result = a.error ? { correct: false, verdict: 'error' as const } : scoreTurn(a.turn.expect, a);
    return { a, ...result };
  });
  const verdicts: Record<string, number> = {};
  for (const s of scored) verdicts[s.verdict] = (verdicts[s.verdict] ?? 0) + 1;
  const facts = scored.filter((s) => s.a.turn.type && factTypes.includes(s.a.turn.type));
  const partial = {
    conversations: new Set(asked.map((a) => a.conversationId)).size,
    overall: tally(scored.filter((s) => s.correct).length, scored.length),
    byKind: count(
      scored.map((s) => ({ key: s.a.turn.kind, correct: s.correct })),
      turnKinds,
    ),
    byType: count(
      scored.map((s) => ({ key: s.a.turn.type ?? 'decline', correct: s.correct })),
      [...answerTypes, 'decline'],
    ),
    timePlacePhoneMoney: tally(facts.filter((s) => s.correct).length, facts.length),
    byScript: count(
      scored.map((s) => ({ key: questionScript(s.a.turn.q), correct: s.correct })),
      ['vi', 'vi-no-diacritics', 'en'],
    ),
  };
  const bars = conversationBarMinimums.map((b) => {
    const value = b.pick(partial as ConversationSummary)?.accuracy ?? null;
    return { name: b.name, min: b.min, value, pass: value !== null && value >= b.min };
  });
  const wrong: WrongTurn[] = scored
    .filter((s) => !s.correct)
    .map(({ a, verdict }) => ({
      conversationId: a.conversationId,
      turn: a.index + 1,
      question: a.turn.q,
      kind: a.turn.kind,
      type: a.turn.type ?? null,
      expected: expectedText(a.turn),
      verdict,
      answer: a.error ? `(${a.error})` : a.answer.length > 240 ? `${a.answer.slice(0, 239)}…` : a.answer,
      searchedAs: a.rewrittenQuestion ?? a.turn.q,
    }));
  return { ...partial, verdicts, bars, wrong };
}
