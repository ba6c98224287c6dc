/**
 * Asks a conversation set (format: docs/answers.md, "Conversation sets") turn by turn through
 * `POST /api/chat` of the real app (createApp over openService on the shipped corpus, in a
 * temporary data folder), keeping each conversation's `conversationId`, and scores every turn:
 * accuracy per kind and per answer type, and every miss with the question as searched.
 *
 * This is the tuning harness of the answer code; it reads evals/tune/conversations.jsonl by
 * default and never the held-out set.
 * Run: npx tsx evals/tune/run-conversations.ts [--set file.jsonl] [--data-dir dir] [--json out.json] [--quiet]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/server/create-app.js';
import { createLogger } from '../../src/server/logger.js';
import { openService } from '../../src/server/open-service.js';
import { normalizeAnswer } from '../lib/normalize-answer.js';

const kinds = ['single', 'string', 'follow-up', 'out-of-scope', 'english'] as const;
const types = ['time', 'date', 'place', 'phone', 'email', 'money', 'count', 'person', 'definition', 'procedure', 'other'] as const;

const turnSchema = z.object({
  q: z.string().min(1),
  kind: z.enum(kinds),
  type: z.enum(types).optional(),
  expect: z.union([
    z.literal('decline'),
    z.object({
      any: z.array(z.string().min(1)).min(1),
      all: z.array(z.string().min(1)).optional(),
      within: z.number().int().positive().optional(),
    }),
  ]),
});
const conversationSchema = z.object({ id: z.string().min(1), note: z.string().optional(), turns: z.array(turnSchema).min(1) });
export type ConversationTurn = z.infer<typeof turnSchema>;
export type Conversation = z.infer<typeof conversationSchema>;

/** Parses a JSONL conversation set; throws naming the line of the first bad one. */
export function parseConversations(text: string, file: string): Conversation[] {
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const parsed = conversationSchema.safeParse(JSON.parse(line));
    if (!parsed.success)
      throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return [parsed.data];
  });
}

/** Whether an answer meets a turn's expectation (the comparison of the conversation format). */
export function turnCorrect(turn: ConversationTurn, answer: { answer: string; answerable: boolean }): boolean {
  if (turn.expect === 'decline') return !answer.answerable;
  if (!answer.answerable) return false;
  const within = normalizeAnswer(answer.answer.slice(0, turn.expect.within ?? 400));
  const has = (s: string) => within.includes(normalizeAnswer(s));
  return turn.expect.any.some(has) && (turn.expect.all ?? []).every(has);
}

interface TurnResult {
  id: string;
  turn: number;
  kind: string;
  type: string;
  q: string;
  searched: string | null;
  answer: string;
  answerable: boolean;
  correct: boolean;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { set: { type: 'string' }, 'data-dir': { type: 'string' }, json: { type: 'string' }, quiet: { type: 'boolean' } },
  });
  const root = resolve(import.meta.dirname, '../..');
  const setFile = values.set ?? join(root, 'evals/tune/conversations.jsonl');
  const conversations = parseConversations(readFileSync(setFile, 'utf8'), setFile);
  const temp = values['data-dir'] ? null : mkdtempSync(join(tmpdir(), 'trogiang-conv-'));
  const dataDir = values['data-dir'] ?? join(temp!, 'data');
  const config = loadConfig({
    DATA_DIR: dataDir,
    CORPUS_DIR: join(root, 'corpus'),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    ADMIN_TOKEN: 'tuning-admin-token-0123456789',
  });
  const { deps } = await openService(config, createLogger('silent'));
  const app = createApp(deps);
  const results: TurnResult[] = [];
  try {
    for (const conversation of conversations) {
      let conversationId: string | undefined;
      for (const [i, turn] of conversation.turns.entries()) {
        const response = await app.request('/api/chat', {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ message: turn.q, ...(conversationId ? { conversationId } : {}) }),
        });
        if (response.status !== 200) throw new Error(`${conversation.id} turn ${i + 1}: HTTP ${response.status} ${await response.text()}`);
        const body = (await response.json()) as { conversationId: string; messageId: string; answer: string; answerable: boolean };
        conversationId = body.conversationId;
        const stored = await deps.engine.store.conversations.getMessage(body.messageId);
        results.push({
          id: conversation.id,
          turn: i + 1,
          kind: turn.kind,
          type: turn.type ?? 'decline',
          q: turn.q,
          searched: stored?.rewrittenQuestion ?? null,
          answer: body.answer,
          answerable: body.answerable,
          correct: turnCorrect(turn, body),
        });
      }
    }
  } finally {
    await deps.engine.close();
    if (temp) rmSync(temp, { recursive: true, force: true });
  }

  const share = (rows: TurnResult[]) => `${rows.filter((r) => r.correct).length}/${rows.length}`;
  const group = (key: 'kind' | 'type') =>
    Object.fromEntries([...new Set(results.map((r) => r[key]))].sort().map((k) => [k, share(results.filter((r) => r[key] === k))]));
  if (!values.quiet) {
    for (const r of results.filter((x) => !x.correct)) {
      process.stdout.write(
        `MISS ${r.id}#${r.turn} [${r.kind}/${r.type}] ${r.q}\n  searched: ${r.searched ?? '(as asked)'}\n  answer (${r.answerable ? 'answered' : 'declined'}): ${r.answer.replace(/\s+/g, ' ').slice(0, 300)}\n`,
      );
    }
  }
  const summary = { set: setFile, turns: results.length, correct: share(results), byKind: group('kind'), byType: group('type') };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (values.json) writeFileSync(values.json, JSON.stringify({ summary, results }, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
