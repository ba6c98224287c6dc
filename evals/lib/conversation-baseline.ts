import type { ConversationSummary, Tally } from './summarize-conversations.js';

/**
 * The held-out conversation figures `npm test` must keep: right turns per figure, as a committed
 * run measured them (evals/conversations-baseline.json). A regression gate, not the bars
 * (`--conversations-check`): it stops a change from losing answers learners got, while the figures
 * are still below those bars. The set is asked the same way every run (offline, extractive), so
 * the counts repeat; one turn per figure is allowed for a tie broken another way.
 */
export interface ConversationBaseline {
  set: string;
  turns: number;
  /** Right turns per figure: `overall`, `kind <k>`, `time/place/phone/money`. */
  correct: Record<string, number>;
}

/** Turns a figure may lose against the baseline before the gate fails. */
export const allowedLoss = 1;

function figures(summary: ConversationSummary): Record<string, Tally> {
  const out: Record<string, Tally> = { overall: summary.overall, 'time/place/phone/money': summary.timePlacePhoneMoney };
  for (const [kind, tally] of Object.entries(summary.byKind)) out[`kind ${kind}`] = tally;
  return out;
}

export function makeConversationBaseline(set: string, summary: ConversationSummary): ConversationBaseline {
  const correct: Record<string, number> = {};
  for (const [name, tally] of Object.entries(figures(summary))) correct[name] = tally.correct;
  return { set, turns: summary.overall.total, correct };
}

/** Problems of `summary` against `baseline`: a figure that lost more than {@link allowedLoss} turns, or a set of another size. */
export function checkConversationBaseline(baseline: ConversationBaseline, summary: ConversationSummary): string[] {
  if (baseline.turns !== summary.overall.total) {
    return [
      `the conversation set has ${summary.overall.total} turns, the baseline ${baseline.turns}: write a new baseline with --write-baseline`,
    ];
  }
  const now = figures(summary);
  const problems: string[] = [];
  for (const [name, before] of Object.entries(baseline.correct)) {
    const after = now[name]?.correct ?? 0;
    if (after < before - allowedLoss) problems.push(`conversations ${name}: ${after} right turns, baseline ${before}`);
  }
  return problems;
}
