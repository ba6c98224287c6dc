import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { expectedPattern } from './score-turn.js';

/**
 * The conversation evaluation format (/work/wt/notes/CONVERSATION-FORMAT.md, summarised in
 * docs/evaluation.md): one conversation per JSONL line, asked turn by turn through
 * `POST /api/chat` with the conversationId of its first turn.
 */

/** How a turn relates to the conversation before it. */
export const turnKinds = ['single', 'string', 'follow-up', 'out-of-scope', 'english'] as const;
export type TurnKind = (typeof turnKinds)[number];

/** What a turn asks for. */
export const answerTypes = [
  'time',
  'date',
  'place',
  'phone',
  'email',
  'money',
  'count',
  'person',
  'definition',
  'procedure',
  'other',
] as const;
export type AnswerType = (typeof answerTypes)[number];

/** The answer types of issue 14's "time / place / phone / money" figure. */
export const factTypes: readonly AnswerType[] = ['time', 'place', 'phone', 'money'];

const expectedText = z
  .string()
  .min(1)
  .refine((s) => expectedPattern(s) !== null, { message: 'an expected string needs a letter or a digit' });

/** `"decline"`, or the strings a right answer contains (one of `any`, every one of `all`). */
export const expectationSchema = z.union([
  z.literal('decline'),
  z
    .object({
      any: z.array(expectedText).min(1),
      all: z.array(expectedText).optional(),
      within: z.number().int().positive().optional(),
    })
    .strict(),
]);
export type Expectation = z.infer<typeof expectationSchema>;

export const conversationTurnSchema = z
  .object({
    q: z.string().trim().min(1),
    kind: z.enum(turnKinds),
    type: z.enum(answerTypes).optional(),
    expect: expectationSchema,
  })
  .strict()
  .superRefine((t, ctx) => {
    const issue = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    const declines = t.expect === 'decline';
    if (declines && t.type !== undefined) issue('a "decline" turn has no type', 'type');
    if (!declines && t.type === undefined) issue('a turn that expects an answer names its type', 'type');
    if ((t.kind === 'out-of-scope') !== declines) issue('kind "out-of-scope" if and only if expect is "decline"', 'kind');
  });
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

export const conversationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
    note: z.string().optional(),
    turns: z.array(conversationTurnSchema).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.turns[0]!.kind === 'follow-up')
      ctx.addIssue({ code: 'custom', message: 'a conversation cannot start with a follow-up', path: ['turns', 0, 'kind'] });
  });
export type Conversation = z.infer<typeof conversationSchema>;

/** A set that does not parse: the message names the file, the line and the field. */
export class ConversationSetError extends Error {
  override readonly name = 'ConversationSetError';
}

/** Parses a JSONL conversation set (blank lines allowed); ids must be unique. */
export function parseConversations(text: string, file = '(set)'): Conversation[] {
  const conversations: Conversation[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ConversationSetError(`${where}: not JSON (${(error as Error).message})`);
    }
    const parsed = conversationSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ConversationSetError(`${where}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
    }
    if (seen.has(parsed.data.id)) throw new ConversationSetError(`${where}: duplicate id "${parsed.data.id}"`);
    seen.add(parsed.data.id);
    conversations.push(parsed.data);
  });
  if (conversations.length === 0) throw new ConversationSetError(`${file}: no conversations`);
  return conversations;
}

/** Reads and parses a set file; an unreadable file is a {@link ConversationSetError} too. */
export function loadConversations(path: string): Conversation[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConversationSetError(`${path}: cannot read the set (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseConversations(text, path);
}
