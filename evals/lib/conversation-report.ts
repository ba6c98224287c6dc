import type { AskedTurn } from './ask-conversations.js';
import { scoreTurn } from './score-turn.js';
import type { ConversationSummary, Tally } from './summarize-conversations.js';

/** What `conversations-latest.json` holds. */
export interface ConversationReport {
  generatedAt: string;
  /** The set file asked. */
  set: string;
  /** `own service (…)` or the `--base-url` given. */
  service: string;
  /** Whether "searched as" comes from the stored messages (needs the admin token). */
  rewritesKnown: boolean;
  runtimeMs: number;
  summary: ConversationSummary;
  /** Every turn in a few fields, for diffs between runs. */
  turns: Array<{
    id: string;
    turn: number;
    kind: string;
    type: string | null;
    correct: boolean;
    answerable: boolean;
    mode: string | null;
    latencyMs: number;
  }>;
}

/** Assembles the report (pure). */
export function conversationReport(
  input: Omit<ConversationReport, 'turns' | 'generatedAt'> & { asked: readonly AskedTurn[]; generatedAt?: string },
): ConversationReport {
  const { asked, generatedAt, ...rest } = input;
  return {
    generatedAt: generatedAt ?? new Date().toISOString(),
    ...rest,
    turns: asked.map((a) => ({
      id: a.conversationId,
      turn: a.index + 1,
      kind: a.turn.kind,
      type: a.turn.type ?? null,
      correct: !a.error && scoreTurn(a.turn.expect, a).correct,
      answerable: a.answerable,
      mode: a.mode,
      latencyMs: a.latencyMs,
    })),
  };
}

const pct = (t: Tally | undefined) => (t?.accuracy == null ? '–' : `${(t.accuracy * 100).toFixed(1)}%`);
const frac = (t: Tally | undefined) => (t ? `${t.correct}/${t.total}` : '0/0');

/** The rows every rendering shows: a label and its tally. */
export function figureRows(summary: ConversationSummary): Array<[string, Tally | undefined]> {
  return [
    ['overall', summary.overall],
    ...Object.entries(summary.byKind).map(([k, t]): [string, Tally] => [`kind ${k}`, t]),
    ['time / place / phone / money', summary.timePlacePhoneMoney],
    ...Object.entries(summary.byType).map(([k, t]): [string, Tally] => [`type ${k}`, t]),
    ...Object.entries(summary.byScript).map(([k, t]): [string, Tally] => [`typed ${k}`, t]),
  ];
}

/** A plain-text table for the terminal. */
export function renderConversationTable(report: ConversationReport, options: { wrong?: number } = {}): string {
  const s = report.summary;
  const out = [`conversations (held out): ${s.conversations} conversations, ${s.overall.total} turns, ${report.service}`];
  out.push(`${'figure'.padEnd(32)}${'accuracy'.padStart(10)}${'right'.padStart(10)}`);
  for (const [label, t] of figureRows(s)) out.push(`${label.padEnd(32)}${pct(t).padStart(10)}${frac(t).padStart(10)}`);
  out.push('', 'issue 14 bars (not a gate unless --conversations-check):');
  for (const b of s.bars) out.push(`  ${b.pass ? 'pass' : 'FAIL'}  ${b.name} >= ${b.min}: ${b.value === null ? '–' : b.value.toFixed(3)}`);
  const shown = s.wrong.slice(0, options.wrong ?? 15);
  if (!shown.length && s.wrong.length) out.push('', `wrong turns: ${s.wrong.length}`);
  if (shown.length) {
    out.push('', `wrong turns (${s.wrong.length}; first ${shown.length}, all in the report):`);
    for (const w of shown) {
      out.push(`  ${w.conversationId}#${w.turn} [${w.kind}${w.type ? `/${w.type}` : ''}] ${w.verdict}: ${JSON.stringify(w.question)}`);
      if (w.searchedAs !== w.question) out.push(`      searched as: ${JSON.stringify(w.searchedAs)}`);
      out.push(`      expected: ${w.expected}`, `      answer: ${JSON.stringify(w.answer.slice(0, 160))}`);
    }
  }
  return `${out.join('\n')}\n`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** `conversations-latest.md`. */
export function renderConversationMarkdown(report: ConversationReport): string {
  const s = report.summary;
  const out = [
    '# Conversation evaluation (held-out set)',
    '',
    `Generated ${report.generatedAt} from \`${report.set}\` through \`POST /api/chat\` of ${report.service}, in ${(report.runtimeMs / 1000).toFixed(1)} s. ` +
      `${s.conversations} conversations, ${s.overall.total} turns. How it is scored: docs/evaluation.md.`,
    '',
    '| figure | accuracy | right |',
    '|---|---:|---:|',
    ...figureRows(s).map(([label, t]) => `| ${label} | ${pct(t)} | ${frac(t)} |`),
    '',
    '## Issue 14 bars',
    '',
    '| bar | minimum | value | |',
    '|---|---:|---:|---|',
    ...s.bars.map((b) => `| ${b.name} | ${b.min} | ${b.value === null ? '–' : b.value.toFixed(3)} | ${b.pass ? 'pass' : 'FAIL'} |`),
    '',
    `## Wrong turns (${s.wrong.length})`,
    '',
    report.rewritesKnown
      ? '"Searched as" is the rewritten question the service stored with the answer.'
      : '"Searched as" is unknown (no admin token): the question as typed is shown.',
    '',
    '| turn | kind / type | verdict | question | searched as | expected | answer given |',
    '|---|---|---|---|---|---|---|',
    ...s.wrong.map(
      (w) =>
        `| ${w.conversationId}#${w.turn} | ${w.kind}${w.type ? ` / ${w.type}` : ''} | ${w.verdict} | ${cell(w.question)} | ${w.searchedAs === w.question ? '(as typed)' : cell(w.searchedAs)} | ${cell(w.expected)} | ${cell(w.answer)} |`,
    ),
    '',
  ];
  return out.join('\n');
}
